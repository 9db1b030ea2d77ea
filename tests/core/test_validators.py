import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from motcua.core.validators import (
    CCCD_PROVINCES,
    cccd_validator,
    phone_validator,
    validate_cccd,
    validate_phone,
)

TODAY = dt.date(2025, 6, 1)


def test_province_list_has_63_codes_from_001_to_096():
    assert len(CCCD_PROVINCES) == 63
    assert CCCD_PROVINCES["001"] == "Hà Nội"
    assert CCCD_PROVINCES["046"] == "Thừa Thiên Huế"
    assert CCCD_PROVINCES["096"] == "Cà Mau"
    assert all(len(code) == 3 and code.isdigit() for code in CCCD_PROVINCES)


def test_valid_cccd_male_born_1985_in_hue():
    result = validate_cccd("046085012345", today=TODAY)
    assert result.ok
    assert result.province_name == "Thừa Thiên Huế"
    assert result.birth_century == 1900
    assert result.birth_year == 1985
    assert result.sex == "male"
    assert result.warnings == []


def test_valid_cccd_female_born_2003_with_separators():
    result = validate_cccd("001 3 03 000123", today=TODAY)
    assert result.ok
    assert result.value == "001303000123"
    assert (result.birth_century, result.birth_year, result.sex) == (2000, 2003, "female")


def test_unknown_province_is_a_warning_not_a_rejection():
    result = validate_cccd("003085012345", today=TODAY)
    assert result.ok
    assert result.province_name is None
    assert result.warnings and "003" in result.warnings[0]


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "04608501234", "0460850123456", "04608501234a", "０４６０８５０１２３４５"],
)
def test_malformed_cccd_rejected(raw):
    result = validate_cccd(raw, today=TODAY)
    assert not result.ok
    assert result.errors


def test_old_cmnd_is_explained():
    result = validate_cccd("191234567", today=TODAY)
    assert not result.ok
    assert "9" in result.errors[0]


def test_future_birth_year_rejected():
    assert not validate_cccd("046299012345", today=TODAY).ok  # 2099
    assert not validate_cccd("046400012345", today=TODAY).ok  # 2100


def test_cccd_django_validator():
    cccd_validator("046085012345")
    with pytest.raises(ValidationError):
        cccd_validator("12345")


@pytest.mark.parametrize(
    ("raw", "national", "kind"),
    [
        ("0912345678", "0912345678", "mobile"),
        ("091 234 5678", "0912345678", "mobile"),
        ("+84 912 345 678", "0912345678", "mobile"),
        ("84912345678", "0912345678", "mobile"),
        ("0084-3-1234-5678", "0312345678", "mobile"),
        ("0234.3822.123", "02343822123", "landline"),
        ("(0234) 382 2123", "02343822123", "landline"),
        ("+84 24 3825 3536", "02438253536", "landline"),
    ],
)
def test_valid_phones(raw, national, kind):
    result = validate_phone(raw)
    assert result.ok, result.errors
    assert result.national == national
    assert result.kind == kind
    assert result.e164 == "+84" + national[1:]


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "091234567",
        "09123456789",
        "1912345678",
        "0112345678",
        "0412345678",
        "0234382212",
        "09123x5678",
        "+1 555 123 4567",
    ],
)
def test_invalid_phones(raw):
    result = validate_phone(raw)
    assert not result.ok
    assert result.errors
    assert result.e164 is None


def test_phone_django_validator():
    phone_validator("0912345678")
    with pytest.raises(ValidationError):
        phone_validator("123")
