"""Demo organisation of Huế: the Department of Justice, its divisions, other departments, communes.

Codes follow the shape of Decision 20/2020/QĐ-TTg; apart from the Department of Justice
(000.00.12.H57, DOMAIN §5) they are illustrative. The 2025 merger of the agriculture and the
environment departments (Decree 45/2025, DOMAIN §14) is expressed with predecessors/successors.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from .choices import Role, UnitKind
from .models import Membership, Unit

DOJ_CODE = "000.00.12.H57"
DEMO_PASSWORD = "demo"  # noqa: S105  (demo only; a warning is printed)  # nosec B105

# code, name, short name, kind, parent code, valid from, valid to
UNITS: list[tuple[str, str, str, str, str | None, date | None, date | None]] = [
    ("000.00.00.H57", "Ủy ban nhân dân thành phố Huế", "UBND TP Huế", UnitKind.OTHER, None, None, None),
    ("000.00.01.H57", "Văn phòng Ủy ban nhân dân tỉnh", "VP UBND", UnitKind.DEPARTMENT, None, None, None),
    ("000.00.12.H57", "Sở Tư pháp thành phố Huế", "Sở Tư pháp", UnitKind.DEPARTMENT, None, None, None),
    ("000.01.12.H57", "Văn phòng Sở Tư pháp", "Văn phòng Sở", UnitKind.DIVISION, DOJ_CODE, None, None),
    ("000.02.12.H57", "Phòng Hành chính tư pháp", "Phòng HCTP", UnitKind.DIVISION, DOJ_CODE, None, None),
    ("000.03.12.H57", "Phòng Bổ trợ tư pháp", "Phòng BTTP", UnitKind.DIVISION, DOJ_CODE, None, None),
    ("000.04.12.H57", "Phòng Xây dựng và Kiểm tra văn bản quy phạm pháp luật", "Phòng XD&KTVB", UnitKind.DIVISION, DOJ_CODE, None, None),
    ("000.05.12.H57", "Trung tâm Trợ giúp pháp lý nhà nước", "TT TGPL", UnitKind.DIVISION, DOJ_CODE, None, None),
    ("000.06.12.H57", "Phòng Công chứng số 1", "PCC số 1", UnitKind.NOTARY_OFFICE, DOJ_CODE, None, None),
    ("000.00.05.H57", "Sở Ngoại vụ", "Sở Ngoại vụ", UnitKind.DEPARTMENT, None, None, None),
    ("000.00.15.H57", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", UnitKind.DEPARTMENT, None, None, date(2025, 2, 28)),
    ("000.00.16.H57", "Sở Tài nguyên và Môi trường", "Sở TN&MT", UnitKind.DEPARTMENT, None, None, date(2025, 2, 28)),
    ("000.00.30.H57", "Sở Nông nghiệp và Môi trường", "Sở NN&MT", UnitKind.DEPARTMENT, None, date(2025, 3, 1), None),
    ("000.00.31.H57", "Trung tâm Phục vụ hành chính công thành phố Huế", "TTPVHCC", UnitKind.SERVICE_CENTRE, None, None, None),
    ("000.00.41.H57", "Ủy ban nhân dân huyện Quảng Điền", "UBND huyện Quảng Điền", UnitKind.DISTRICT, None, None, date(2025, 6, 30)),
    ("000.00.42.H57", "Ủy ban nhân dân huyện Phú Vang", "UBND huyện Phú Vang", UnitKind.DISTRICT, None, None, date(2025, 6, 30)),
    ("000.00.61.H57", "Ủy ban nhân dân phường Thuận Hóa", "UBND phường Thuận Hóa", UnitKind.COMMUNE, None, date(2025, 7, 1), None),
    ("000.00.62.H57", "Ủy ban nhân dân phường Phú Xuân", "UBND phường Phú Xuân", UnitKind.COMMUNE, None, date(2025, 7, 1), None),
    ("000.00.63.H57", "Ủy ban nhân dân xã Quảng Điền", "UBND xã Quảng Điền", UnitKind.COMMUNE, None, date(2025, 7, 1), None),
    ("000.00.64.H57", "Ủy ban nhân dân xã Phú Vang", "UBND xã Phú Vang", UnitKind.COMMUNE, None, date(2025, 7, 1), None),
]  # fmt: skip

# successor code → predecessor codes (DOMAIN §14)
SUCCESSIONS = {
    "000.00.30.H57": ["000.00.15.H57", "000.00.16.H57"],  # Decree 45/2025: merged from 01/03/2025
    "000.00.63.H57": ["000.00.41.H57"],  # district level abolished on 01/07/2025
    "000.00.64.H57": ["000.00.42.H57"],
}

# username, first name, last name, role — all members of the Department of Justice
STAFF = [
    ("tiepnhan", "Lan", "Nguyễn Thị", Role.INTAKE_CLERK),
    ("chuyenvien", "Minh", "Trần Văn", Role.SPECIALIST),
    ("lanhdao", "Hùng", "Lê Quang", Role.LEADER),
    ("kiemsoat", "Hoa", "Phạm Thị", Role.AUDITOR),
    ("congchung", "Tâm", "Hoàng Đức", Role.NOTARY),
    ("caicach", "Thảo", "Võ Thị", Role.REFORM_OFFICER),  # self-assessment, simplification plans
]


def load_units() -> dict[str, Unit]:
    """Create or refresh the demo units (idempotent) and return them by code."""
    units: dict[str, Unit] = {}
    for code, name, short, kind, parent, valid_from, valid_to in UNITS:
        unit, _created = Unit.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "parent": units[parent] if parent else None,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "calendar_name": "hue",
            },
        )
        units[code] = unit
    for successor, predecessors in SUCCESSIONS.items():
        units[successor].predecessors.add(*(units[code] for code in predecessors))
    return units


def load(stdout) -> None:
    """Demo units of Huế and demo staff accounts of the Department of Justice (idempotent)."""
    units = load_units()
    stdout.write(f"Demo units: {len(units)} (Sở Tư pháp {DOJ_CODE}).")
    user_model = get_user_model()
    created = []
    for username, first, last, role in STAFF:
        user, was_created = user_model.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created.append(username)
        Membership.objects.get_or_create(user=user, unit=units[DOJ_CODE], role=role)
    if created:
        stdout.write(
            "WARNING: created demo staff accounts "
            + ", ".join(created)
            + f" with the password '{DEMO_PASSWORD}'. These are demo accounts: never run the "
            "demo where others can reach it; delete them before real use."
        )
    else:
        stdout.write("Demo staff accounts already exist (password 'demo' unless changed).")
