"""Validators for Vietnamese identifiers: citizen ID numbers (CCCD) and phone numbers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Province-of-registration codes of the 12-digit CCCD (Circular 07/2016/TT-BCA, as amended by
# Circular 59/2021/TT-BCA), the 63 provinces as they stood before the 2025 mergers. Numbers stay
# valid after a merger, so this list is not edited when provinces change. DOMAIN §12.
CCCD_PROVINCES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa – Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

_SEPARATORS = re.compile(r"[\s.\-]+")


@dataclass(frozen=True)
class CccdResult:
    """Outcome of validating a CCCD: ok, the normalised number, and what it encodes."""

    ok: bool
    value: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    province_code: str | None = None
    province_name: str | None = None
    birth_century: int | None = None  # first year of the century, e.g. 1900 or 2000
    birth_year: int | None = None
    sex: str | None = None  # "male" or "female", as encoded in the number


def validate_cccd(raw: str, *, today: dt.date | None = None) -> CccdResult:
    """Check a 12-digit CCCD `PPP G YY RRRRRR` (DOMAIN §12); unknown province → warning only."""
    value = _SEPARATORS.sub("", raw or "")
    if not value:
        return CccdResult(False, value, errors=[str(_("The citizen ID number is empty."))])
    if not value.isascii() or not value.isdigit():
        return CccdResult(False, value, errors=[str(_("A citizen ID number has digits only."))])
    if len(value) == 9:
        return CccdResult(
            False,
            value,
            errors=[str(_("This is an old 9-digit ID card (CMND) number; a CCCD has 12 digits."))],
        )
    if len(value) != 12:
        return CccdResult(
            False,
            value,
            errors=[str(_("A citizen ID number has 12 digits, not %(n)d.") % {"n": len(value)})],
        )

    warnings: list[str] = []
    errors: list[str] = []
    province = value[:3]
    province_name = CCCD_PROVINCES.get(province)
    if province_name is None:
        warnings.append(str(_("Unknown province code %(code)s.") % {"code": province}))

    # G: 0/1 → 1900s, 2/3 → 2000s, 4/5 → 2100s …; even male, odd female.
    gender_digit = int(value[3])
    century = 1900 + (gender_digit // 2) * 100
    sex = "male" if gender_digit % 2 == 0 else "female"
    birth_year = century + int(value[4:6])
    current_year = (today or dt.date.today()).year
    if birth_year > current_year:
        errors.append(
            str(_("The birth year %(year)d encoded in the number is in the future."))
            % {"year": birth_year}
        )

    return CccdResult(
        ok=not errors,
        value=value,
        errors=errors,
        warnings=warnings,
        province_code=province,
        province_name=province_name,
        birth_century=century,
        birth_year=birth_year,
        sex=sex,
    )


def cccd_validator(value: str) -> None:
    """Django field validator wrapping validate_cccd (warnings do not reject)."""
    result = validate_cccd(value)
    if not result.ok:
        raise ValidationError(result.errors, code="invalid_cccd")


@dataclass(frozen=True)
class PhoneResult:
    """Outcome of validating a Vietnamese phone number."""

    ok: bool
    national: str  # 0XXXXXXXXX when ok, else the cleaned input
    errors: list[str] = field(default_factory=list)
    kind: str | None = None  # "mobile" or "landline"

    @property
    def e164(self) -> str | None:
        """+84XXXXXXXXX, or None when invalid."""
        return "+84" + self.national[1:] if self.ok else None


_PHONE_NOISE = re.compile(r"[\s.\-()]+")
# Since the 2017–2018 renumbering: mobiles are 10 digits 03x, 05x, 07x, 08x, 09x; landlines are
# 11 digits, 02 + area code + subscriber (e.g. Huế 0234 xxx xxxx, Hà Nội 024 xxxx xxxx).
_MOBILE_PREFIXES = ("03", "05", "07", "08", "09")
_LANDLINE_PREFIX = "02"


def validate_phone(raw: str) -> PhoneResult:
    """Accept a Vietnamese mobile (10 digits) or landline (11 digits, 02…), or either in +84 form."""
    value = _PHONE_NOISE.sub("", raw or "")
    if not value:
        return PhoneResult(False, value, errors=[str(_("The phone number is empty."))])
    if value.startswith("+84"):
        national = "0" + value[3:]
    elif value.startswith("0084"):
        national = "0" + value[4:]
    elif value.startswith("84") and len(value) in (11, 12):
        national = "0" + value[2:]
    else:
        national = value
    if not national.isascii() or not national.isdigit():
        return PhoneResult(False, value, errors=[str(_("A phone number has digits only."))])
    if national.startswith(_MOBILE_PREFIXES) and len(national) == 10:
        return PhoneResult(True, national, kind="mobile")
    if national.startswith(_LANDLINE_PREFIX) and len(national) == 11:
        return PhoneResult(True, national, kind="landline")
    return PhoneResult(
        False,
        value,
        errors=[
            str(
                _(
                    "A Vietnamese phone number is a 10-digit mobile (03, 05, 07, 08, 09) "
                    "or an 11-digit landline (02), starting with 0 or +84."
                )
            )
        ],
    )


def phone_validator(value: str) -> None:
    """Django field validator wrapping validate_phone."""
    result = validate_phone(value)
    if not result.ok:
        raise ValidationError(result.errors, code="invalid_phone")
