from hypothesis import given
from hypothesis import strategies as st

from motcua.core.text import fold, normalize_identifier


def test_fold_strips_vietnamese_diacritics():
    assert fold("Thừa Thiên Huế") == "thua thien hue"
    assert fold("ĐÀ NẴNG, đường Lê Lợi") == "da nang, duong le loi"
    assert fold("Thân thiện – Đúng hẹn – Đơn giản") == "than thien – dung hen – don gian"


def test_fold_handles_decomposed_input():
    decomposed = "Hue\u0302\u0301"  # "Huế" typed with combining marks
    assert fold(decomposed) == "hue"


def test_normalize_identifier():
    assert normalize_identifier("ab 123.456") == "AB123456"
    assert normalize_identifier("75A-123.45") == "75A12345"
    assert normalize_identifier(" cs\t01234 ") == "CS01234"
    assert normalize_identifier("75A–123") == "75A123"  # en dash


@given(st.text())
def test_fold_is_idempotent_and_lowercase(text):
    once = fold(text)
    assert fold(once) == once
    assert "đ" not in once and "Đ" not in once


@given(st.text())
def test_normalize_identifier_is_idempotent(text):
    once = normalize_identifier(text)
    assert normalize_identifier(once) == once
    assert not any(ch in once for ch in " .-")
