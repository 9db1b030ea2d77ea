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


# --- identity documents (DOMAIN §12) ------------------------------------------------------------
from django.utils import translation  # noqa: E402

from motcua.core.identity import IdType  # noqa: E402
from motcua.core.validators import (  # noqa: E402
    id_search_key,
    id_type_by_shape,
    validate_identity,
    validate_identity_guessing,
)


@pytest.mark.parametrize(
    ("id_type", "raw", "value"),
    [
        (IdType.CCCD, "046 085 012 345", "046085012345"),
        (IdType.CCCD, "046.085.012.345", "046085012345"),
        (IdType.CMND, "191 234 567", "191234567"),
        (IdType.CMND, "191-234-567", "191234567"),
        (IdType.PASSPORT, "c1234567", "C1234567"),
        (IdType.PASSPORT, "B 1234 5678", "B12345678"),
        (IdType.PASSPORT, "123456", "123456"),
        (IdType.PASSPORT, "X12AB34", "X12AB34"),
        (IdType.ORG_CODE, "0100109106", "0100109106"),
        (IdType.ORG_CODE, "0100109106-001", "0100109106-001"),
        (IdType.ORG_CODE, "0100 109 106 001", "0100109106-001"),
        (IdType.ORG_CODE, "0100109106001", "0100109106-001"),
        (IdType.OTHER, "  Thẻ  thường trú  123 ", "Thẻ thường trú 123"),
        (IdType.OTHER, "A", "A"),
    ],
)
def test_valid_identity_each_type(id_type, raw, value):
    result = validate_identity(id_type, raw, today=TODAY)
    assert result.ok, result.errors
    assert (result.id_type, result.value, result.errors) == (id_type, value, [])


@pytest.mark.parametrize(
    ("id_type", "raw", "fragment"),
    [
        (IdType.CCCD, "191234567", "CMND"),
        (IdType.CCCD, "04608501234", "12"),
        (IdType.CCCD, "04608501234X", "digits only"),
        (IdType.CMND, "046085012345", "CCCD"),
        (IdType.CMND, "19123456", "9 digits"),
        (IdType.CMND, "19123456A", "9 digits"),
        (IdType.PASSPORT, "ABCDEFGH", "at least one"),
        (IdType.PASSPORT, "C12345", "6 to 9"),  # fine: 6 characters …
        (IdType.PASSPORT, "C123456789", "6 to 9"),
        (IdType.PASSPORT, "C12_3456", "6 to 9"),
        (IdType.PASSPORT, "C1234５67", "6 to 9"),
        (IdType.ORG_CODE, "010010910", "10 digits"),
        (IdType.ORG_CODE, "0100109106-01", "10 digits"),
        (IdType.ORG_CODE, "0100109106-0011", "10 digits"),
        (IdType.ORG_CODE, "01001O9106", "10 digits"),
        (IdType.OTHER, "x" * 21, "20"),
        (IdType.OTHER, "   ", "empty"),
        ("", "046085012345", "type"),
        ("driving_licence", "046085012345", "Unknown type"),
    ],
)
def test_invalid_identity_each_type(id_type, raw, fragment):
    if raw == "C12345":
        # 6 characters with a digit is a valid (foreign) passport; 5 is not.
        assert validate_identity(id_type, raw).ok
        raw = "C1234"
    with translation.override("en"):
        result = validate_identity(id_type, raw, today=TODAY)
    assert not result.ok
    assert fragment in " ".join(result.errors)


def test_identity_cccd_unknown_province_is_a_warning_only():
    result = validate_identity(IdType.CCCD, "003085012345", today=TODAY)
    assert result.ok and result.value == "003085012345"
    assert result.warnings and "003" in result.warnings[0]


def test_identity_messages_are_vietnamese_when_active():
    with translation.override("vi"):
        result = validate_identity(IdType.ORG_CODE, "123")
        assert not result.ok
        assert "mã số doanh nghiệp" in result.errors[0].lower()
        assert validate_identity("", "123").errors[0].startswith("Chọn")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("0100109106-001", "0100 109 106 001"),
        ("0100109106-001", "0100109106001"),
        ("c1234567", "C1234567"),
        ("046.090.001.234", "046090001234"),
        ("191 234 567", "191-234-567"),
    ],
)
def test_search_key_is_the_same_for_every_spelling(a, b):
    assert id_search_key(a) == id_search_key(b)


def test_search_key_keeps_the_branch_suffix():
    assert id_search_key("0100109106-001") != id_search_key("0100109106")
    assert validate_identity(IdType.ORG_CODE, "0100 109 106 001").search_key == "0100109106001"


@pytest.mark.parametrize(
    ("raw", "id_type"),
    [
        ("046085012345", IdType.CCCD),
        ("191234567", IdType.CMND),
        ("c1234567", IdType.PASSPORT),
        ("0100109106", IdType.ORG_CODE),
        ("0100109106-001", IdType.ORG_CODE),
        ("Thẻ 12/AB", IdType.OTHER),
    ],
)
def test_guessing_defaults_the_type_by_shape(raw, id_type):
    assert id_type_by_shape(raw) == id_type
    result = validate_identity_guessing("", raw, today=TODAY)
    assert result.ok and result.id_type == id_type


def test_guessing_a_wrong_count_of_digits_explains_the_cccd():
    with translation.override("en"):
        result = validate_identity_guessing("", "12345", today=TODAY)
    assert not result.ok and result.id_type == IdType.CCCD
    assert "12 digits" in result.errors[0]


def test_guessing_with_no_number_is_no_identity():
    assert validate_identity_guessing("", "  ").ok
    assert validate_identity_guessing("", "").value == ""
    assert validate_identity_guessing(IdType.CCCD, " - ").id_type == ""
