"""Validators for Vietnamese identifiers: identity documents (CCCD, CMND, passport, enterprise code,
other; DOMAIN §12) and phone numbers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.core.identity import IdType
from motcua.core.text import normalize_identifier

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


# --- identity documents (DOMAIN §12) ------------------------------------------------------------
#: Longest number a stored identity may have (Dossier.applicant_id_number, Owner.id_number).
ID_NUMBER_MAX = 20
_CMND = re.compile(r"\d{9}")
# Passports: Vietnamese ones are a letter and 7 digits (C1234567); foreign ones vary. Reasonably
# permissive: 6–9 letters and digits, at least one digit.
_PASSPORT = re.compile(r"(?=[A-Z0-9]*\d)[A-Z0-9]{6,9}")
# Mã số doanh nghiệp / tổ chức (Law on Tax Administration, Circular 105/2020/TT-BTC): 10 digits,
# or 13 for a branch or dependent unit, written 10 digits + "-" + 3 digits (0100109106-001).
_ORG_CODE = re.compile(r"(\d{10})(\d{3})?")


def id_search_key(number: str) -> str:
    """THE normalisation of an identity number for search, the same for every type (DOMAIN §12).

    Uppercase, spaces, dots and dashes removed: "c1234567" → "C1234567", "0100 109 106 001" and
    "0100109106-001" → "0100109106001" (the branch suffix is kept, so a branch never matches its
    parent's 10-digit code), "046.090.001.234" → "046090001234".
    """
    return normalize_identifier((number or "").strip())


@dataclass(frozen=True)
class IdentityResult:
    """Outcome of validating an identity document: its type, the number as stored, messages."""

    ok: bool
    id_type: str
    value: str  # the number as stored (canonical per type), or the cleaned input when not ok
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def search_key(self) -> str:
        return id_search_key(self.value)


def validate_identity(id_type: str, raw: str, *, today: dt.date | None = None) -> IdentityResult:
    """Check a document type + number (DOMAIN §12); returns the normalised number.

    CCCD: 12 digits (`validate_cccd`; an unknown province is a warning). CMND: 9 digits (legacy).
    Passport: 6–9 letters and digits with at least one digit, uppercased. Enterprise/organisation
    code: 10 digits, or 13 written "10 digits-3 digits". Other: free text, 1–20 characters.
    An empty type with a number is refused here; callers that may guess (the API, imports) pass
    `guess_id_type(number)` themselves.
    """
    text = " ".join((raw or "").split())
    compact = id_search_key(text)
    if id_type not in IdType.values:
        if not id_type:
            return IdentityResult(
                False, id_type, text, errors=[str(_("Choose the type of identity document."))]
            )
        return IdentityResult(
            False, id_type, text, errors=[str(_("Unknown type of identity document."))]
        )
    if not compact:
        return IdentityResult(
            False, id_type, "", errors=[str(_("The identity document number is empty."))]
        )
    if id_type == IdType.CCCD:
        cccd = validate_cccd(text, today=today)
        return IdentityResult(cccd.ok, id_type, cccd.value, list(cccd.errors), list(cccd.warnings))
    if id_type == IdType.CMND:
        if compact.isascii() and _CMND.fullmatch(compact):
            return IdentityResult(True, id_type, compact)
        hint = ""
        if compact.isascii() and compact.isdigit() and len(compact) == 12:
            hint = " " + str(_("A 12-digit number is a CCCD: choose that type."))
        return IdentityResult(
            False,
            id_type,
            compact,
            errors=[str(_("An old ID card (CMND) number has 9 digits.")) + hint],
        )
    if id_type == IdType.PASSPORT:
        if compact.isascii() and _PASSPORT.fullmatch(compact):
            return IdentityResult(True, id_type, compact)
        return IdentityResult(
            False,
            id_type,
            compact,
            errors=[
                str(
                    _(
                        "A passport number has 6 to 9 letters and digits, at least one of them "
                        "a digit (e.g. C1234567)."
                    )
                )
            ],
        )
    if id_type == IdType.ORG_CODE:
        match = _ORG_CODE.fullmatch(compact) if compact.isascii() else None
        if match:
            value = match[1] + (f"-{match[2]}" if match[2] else "")
            return IdentityResult(True, id_type, value)
        return IdentityResult(
            False,
            id_type,
            compact,
            errors=[
                str(
                    _(
                        "An enterprise / organisation code has 10 digits, or 13 for a branch "
                        "written 10 digits, a dash and 3 digits (e.g. 0100109106-001)."
                    )
                )
            ],
        )
    # IdType.OTHER: free, as written (spaces collapsed), at most ID_NUMBER_MAX characters.
    if len(text) > ID_NUMBER_MAX:
        return IdentityResult(
            False,
            id_type,
            text,
            errors=[
                str(_("The document number has at most %(max)d characters."))
                % {"max": ID_NUMBER_MAX}
            ],
        )
    return IdentityResult(True, id_type, text)


def id_type_by_shape(raw: str) -> str:
    """The type a number without one defaults to (the API, old import files): 12 digits CCCD,
    9 CMND, 10 or 13 an enterprise code, any other count of digits CCCD (so the message explains
    the 12 digits), 6–9 letters and digits a passport, anything else "other". Empty for no number.

    `motcua.core.identity.guess_id_type` is the narrower guess of the data migrations, which type
    existing rows as CCCD / CMND only."""
    compact = id_search_key(raw)
    if not compact:
        return ""
    if compact.isascii() and compact.isdigit():
        if len(compact) == 9:
            return IdType.CMND
        if len(compact) in (10, 13):
            return IdType.ORG_CODE
        return IdType.CCCD
    if compact.isascii() and _PASSPORT.fullmatch(compact):
        return IdType.PASSPORT
    return IdType.OTHER


def validate_identity_guessing(
    id_type: str, raw: str, *, today: dt.date | None = None
) -> IdentityResult:
    """`validate_identity`, the type guessed by the number's shape when none is given (the API,
    imports of old files); an empty number is no identity at all (ok, empty, type dropped)."""
    if not id_search_key(raw):
        return IdentityResult(True, "", "")
    return validate_identity(id_type or id_type_by_shape(raw), raw, today=today)


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
