"""A dossier as the national portal (DVCQG) reads it: the field names of DOMAIN §7.

The portal's own field list is not published in full; the names below are those DOMAIN §7 and
the 766 scorer use (`MaHoSo`, `KenhThucHien`, `NgayTiepNhan`, `NgayHenTra`, `NgayKetThucXuLy`,
`TrangThaiHoSo`, `DuocThanhToanTrucTuyen`, `MaKetQua`, `DuongDanTepTinKetQua`, per-document
`DuocSoHoa` / `DuocLayTuKhoDMQG`, `TaiKhoanDuocXacThucVoiVNeID`) and a few more in the same style.
docs/integration-dvcqg.md describes each field.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:
    from motcua.dossiers.models import Dossier

#: KenhThucHien, as provincial systems send it (practice, unconfirmed): 1 counter, 2 online, 3 post.
CHANNEL_CODES = {"counter": 1, "online": 2, "post": 3}
#: Timestamps travel as local (UTC+07:00) `yyyyMMddHHmmss`, the portal's usual shape.
TIME_FORMAT = "%Y%m%d%H%M%S"


def portal_time(value: datetime | None) -> str | None:
    """A timestamp as the portal writes it, in Vietnam's time zone; None stays None."""
    if value is None:
        return None
    return timezone.localtime(value).strftime(TIME_FORMAT)


def parse_portal_time(value: str | None) -> datetime | None:
    """The inverse of `portal_time` (aware, Vietnam's time zone); ISO 8601 is accepted too."""
    if not value:
        return None
    try:
        naive = datetime.strptime(value, TIME_FORMAT)
    except ValueError:
        parsed = datetime.fromisoformat(value)
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    return timezone.make_aware(naive)


def result_link(dossier: Dossier) -> str:
    """Where the citizen downloads the electronic result (an access-checked page of ours)."""
    if not dossier.electronic_result:
        return ""
    return f"{settings.MOTCUA_PUBLIC_URL}/ho-so-cua-toi/{quote(dossier.code)}/"


def dossier_payload(dossier: Dossier) -> dict[str, Any]:
    """The dossier's fields as they are in memory (no query).

    The procedure and unit codes and the documents (`MaTTHC`, `MaDonVi`, `DanhSachGiayTo`) are
    added by the INSERT itself (outbox.py), so that writing the message costs one statement.
    """
    # DOMAIN §7, 2.1: the end of processing is "result ready" (9), else "returned" (10), else
    # the refusal, stop or withdrawal (closed_at).
    ended = dossier.finished_at or dossier.returned_at or dossier.closed_at
    return {
        "MaHoSo": dossier.code,
        "KenhThucHien": CHANNEL_CODES.get(dossier.channel, 0),
        "TrangThaiHoSo": int(dossier.status),
        "NgayNopHoSo": portal_time(dossier.submitted_at),
        "NgayTiepNhan": portal_time(dossier.received_at),
        "NgayHenTra": portal_time(dossier.due_at),
        "NgayHenTraBanDau": portal_time(dossier.initial_due_at),
        "NgayHenTraMoi": portal_time(dossier.new_appointment_at),
        "NgayKetThucXuLy": portal_time(ended),
        "NgayTraKetQua": portal_time(dossier.returned_at),
        "SoLanYeuCauBoSung": dossier.supplement_requests,
        "NgayYeuCauBoSung": portal_time(dossier.supplement_requested_at),
        "NgayHoanThanhBoSung": portal_time(dossier.supplement_completed_at),
        "DuocThanhToanTrucTuyen": dossier.paid_online,
        "PhiLePhi": None if dossier.fee is None else int(dossier.fee),
        "MaKetQua": dossier.result_number,
        "CoKetQuaDienTu": dossier.electronic_result,
        "DuongDanTepTinKetQua": result_link(dossier),
        "DuocSoHoa": dossier.digitised,
        "DuocTaiSuDung": dossier.reused_data,
        "DuocLayTuKhoDMQG": dossier.from_data_store,
        "TaiKhoanDuocXacThucVoiVNeID": dossier.vneid_verified,
        "ChuHoSo": {
            "HoTen": dossier.applicant_name,
            "LoaiGiayTo": dossier.applicant_id_type,
            "SoGiayTo": dossier.applicant_id_number,
        },
    }
