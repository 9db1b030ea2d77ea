"""Demo data of the blocking registry: about 30 requests from courts, enforcement offices and police.

Loaded through the services (so the audit trail and the search keys exist), by the demo officers of
the Department of Justice (`chuyenvien` enters, `lanhdao` approves and publishes). Idempotent: a
request whose incoming-register number already exists is skipped. Every request is marked
"Dữ liệu minh hoạ" in its note; names, ID numbers and serials are invented.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from motcua.orgs.choices import Role
from motcua.orgs.models import Membership, Unit
from motcua.worktime import TZ

from . import services as s
from .models import AuthorityType, BlockingRequest

DOJ_CODE = "000.00.12.H57"
DEMO_NOTE = "Dữ liệu minh hoạ (demo) – không phải dữ liệu thật."
PREFIX = "DEMO-NC-"

WARDS = [
    "phường Thuận Hóa",
    "phường Phú Xuân",
    "phường Kim Long",
    "phường Vỹ Dạ",
    "phường An Cựu",
    "phường Thủy Xuân",
    "phường Hương Thủy",
    "phường Thuận An",
]
STREETS = [
    "Lê Lợi",
    "Hùng Vương",
    "Trần Hưng Đạo",
    "Điện Biên Phủ",
    "Nguyễn Huệ",
    "Phan Đình Phùng",
    "Bà Triệu",
    "Nguyễn Sinh Cung",
    "Lý Thường Kiệt",
    "Kim Long",
]
NAMES = [
    ("Nguyễn Văn Đức", 1978),
    ("Trần Thị Thu Hà", 1985),
    ("Lê Quang Vinh", 1969),
    ("Phạm Thị Ngọc Ánh", 1991),
    ("Hoàng Minh Tuấn", 1982),
    ("Võ Thị Mỹ Linh", 1975),
    ("Huỳnh Văn Phước", 1960),
    ("Đặng Thị Hồng", 1988),
    ("Bùi Xuân Thành", 1972),
    ("Ngô Thị Lệ Thủy", 1966),
    ("Dương Công Khải", 1994),
    ("Tôn Nữ Diệu Hiền", 1980),
    ("Nguyễn Phước Bảo", 1958),
    ("Lê Thị Kim Oanh", 1983),
    ("Trương Văn Lực", 1977),
]
AUTHORITIES = [
    ("court", "Tòa án nhân dân thành phố Huế", "QĐ-BPKCTT"),
    ("court", "Tòa án nhân dân khu vực 1 – Huế", "QĐ-BPKCTT"),
    ("enforcement", "Chi cục Thi hành án dân sự thành phố Huế", "QĐ-CCTHADS"),
    ("enforcement", "Cục Thi hành án dân sự thành phố Huế", "QĐ-CTHADS"),
    ("police", "Cơ quan Cảnh sát điều tra Công an thành phố Huế", "QĐ-CSĐT"),
    ("procuracy", "Viện kiểm sát nhân dân thành phố Huế", "QĐ-VKS"),
]
SUMMARIES = {
    "court": "Quyết định áp dụng biện pháp khẩn cấp tạm thời: cấm chuyển dịch quyền về tài sản.",
    "enforcement": "Quyết định tạm dừng việc đăng ký, chuyển quyền sở hữu, sử dụng tài sản.",
    "police": "Quyết định kê biên tài sản phục vụ điều tra vụ án.",
    "procuracy": "Yêu cầu tạm dừng giao dịch đối với tài sản liên quan vụ án.",
}
SERIAL_SERIES = ["CS", "AB", "BĐ", "CĐ", "DA"]


def _cccd(index: int, year: int) -> str:
    """A plausible CCCD of Huế (046), or a legacy 9-digit CMND for every fifth owner."""
    if index % 5 == 4:
        return f"19{index:07d}"[:9]
    gender = index % 2  # 0 male, 1 female (born in the 1900s)
    return f"046{gender}{year % 100:02d}{(index * 7919) % 1_000_000:06d}"


def _serial(index: int) -> str:
    series = SERIAL_SERIES[index % len(SERIAL_SERIES)]
    if series == "CS":
        return f"CS {1000 + index * 37:05d}"
    return f"{series} {100000 + index * 4321:06d}"


def _plate(index: int) -> str:
    letter = "ABCDEFGH"[index % 8]
    return f"75{letter}-{100 + index * 3:03d}.{10 + index * 7 % 90:02d}"


def _assets(index: int) -> list[s.AssetInput]:
    name, year = NAMES[index % len(NAMES)]
    owner_list = [s.OwnerInput(name, _cccd(index, year), year)]
    if index % 3 == 0:
        spouse, spouse_year = NAMES[(index + 7) % len(NAMES)]
        owner_list.append(s.OwnerInput(spouse, _cccd(index + 50, spouse_year), spouse_year))
    street = STREETS[index % len(STREETS)]
    ward = WARDS[index % len(WARDS)]
    land = s.AssetInput(
        "land",
        owner_list,
        {
            "certificate_serial": _serial(index),
            "certificate_issuer": "Sở Tài nguyên và Môi trường tỉnh Thừa Thiên Huế",
            "certificate_date": date(2012 + index % 12, 1 + index % 12, 1 + index % 27),
            "parcel_number": str(40 + index * 13 % 900),
            "map_sheet": str(3 + index % 45),
            "address": f"{10 + index * 3} {street}, {ward}, thành phố Huế",
            "area": 80 + index * 11 % 400,
            "use_purpose": "Đất ở tại đô thị",
        },
    )
    vehicle = s.AssetInput(
        "vehicle",
        owner_list[:1],
        {
            "plate": _plate(index),
            "registration_number": f"0{31000 + index * 17}",
            "frame_number": f"RLHJC{5200 + index:04d}K{index:03d}",
            "engine_number": f"JC52E-{700000 + index * 91}",
        },
    )
    if index % 4 == 1:
        return [vehicle]
    if index % 6 == 2:
        return [land, vehicle]
    return [land]


def _received(now: datetime, index: int) -> datetime:
    """Spread over the past four weeks, on working hours (the newest a few hours old)."""
    day = timezone.localtime(now, TZ).date() - timedelta(days=(29 - index) * 27 // 29)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    moment = datetime.combine(day, time(8 + index % 8, 15 * (index % 4)), tzinfo=TZ)
    if moment > now:
        moment = now - timedelta(hours=1)
    return moment


def _user(username: str, role: str, unit: Unit):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    if created:
        user.set_password("demo")
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return user


def load(stdout, *, now: datetime | None = None) -> None:
    """About 30 demo requests; skips those already present (idempotent)."""
    now = now or timezone.now()
    unit = Unit.objects.filter(code=DOJ_CODE).first()
    if unit is None:
        from motcua.orgs.demo import load as load_orgs

        load_orgs(stdout)
        unit = Unit.objects.get(code=DOJ_CODE)
    from django.conf import settings

    from motcua.procedures.models import Procedure

    if not Procedure.objects.filter(code=settings.MOTCUA_BLOCKING_PROCEDURE_CODE).exists():
        # The registry's time limit is the catalogue's (DOMAIN §11): load the demo catalogue.
        from motcua.procedures.demo import load as load_procedures

        load_procedures(stdout)
    clerk = _user("chuyenvien", Role.SPECIALIST, unit)
    leader = _user("lanhdao", Role.LEADER, unit)
    _user("congchung", Role.NOTARY, unit)
    types = {t.code: t for t in AuthorityType.objects.all()}
    existing = set(
        BlockingRequest.objects.filter(request_no__startswith=PREFIX).values_list(
            "request_no", flat=True
        )
    )
    created = 0
    for index in range(30):
        request_no = f"{PREFIX}{index + 1:03d}"
        if request_no in existing:
            continue
        received = _received(now, index)
        if index == 17:
            kind, type_code = "reference", "other"
            authority = "Ngân hàng TMCP Công Thương Việt Nam – Chi nhánh Huế"
            suffix = "CV-NH"
            summary = "Thông báo tài sản đang thế chấp, đề nghị lưu ý khi công chứng (tham khảo)."
        else:
            type_code, authority, suffix = AUTHORITIES[index % len(AUTHORITIES)]
            kind = "blocking"
            summary = SUMMARIES[type_code]
        data = s.RequestInput(
            request_no=request_no,
            kind=kind,
            authority_type=types[type_code],
            authority_name=authority,
            sender_person="",
            document_number=f"{100 + index}/{received.year}/{suffix}",
            document_date=received.date() - timedelta(days=index % 3),
            received_at=received,
            summary=summary,
            note=DEMO_NOTE,
        )
        entered = min(received + timedelta(hours=1), now)
        request = s.request_enter(
            actor=clerk, unit=unit, data=data, assets=_assets(index), at=entered
        )
        created += 1
        # The oldest ones are published (some released); a few recent ones wait, some overdue.
        if index < 24 and index % 8 != 7:
            checked = min(received + timedelta(hours=3), now)
            s.request_approve(actor=leader, request_id=request.pk, at=checked)
            if index % 11 != 5:
                s.request_publish(actor=leader, request_id=request.pk, at=checked)
        if index in (2, 8):
            assets = list(request.assets.values_list("pk", flat=True))
            chosen = assets if index == 8 else assets[:1]
            s.request_release(
                actor=leader,
                request_id=request.pk,
                asset_ids=chosen,
                document_number=f"{300 + index}/{received.year}/QĐ-GTBP",
                document_date=received.date() + timedelta(days=3),
                authority_name=data.authority_name,
                note=DEMO_NOTE,
                at=min(received + timedelta(days=4), now),
            )
    stdout.write(
        f"Demo blocking requests: {created} created, {len(existing)} already present "
        f"(numbers {PREFIX}001…, marked “Dữ liệu minh hoạ”)."
    )
