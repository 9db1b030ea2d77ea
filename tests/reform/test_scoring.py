"""Scorecard arithmetic: rescaling, bonus/penalty, band boundaries, ties (pure, no database)."""

from decimal import Decimal

import pytest

from motcua.reform.scoring import DEFAULT_BANDS, Leaf, ScoreError, assign_ranks, classify, compute

D = Decimal


def leaf(code, mx, score, kind="regular", na=False, field="1"):
    return Leaf(code, field, kind, D(mx), None if score is None else D(score), na)


def test_full_scheme_total_equals_points():
    t = compute([leaf("1.1", 60, "55.5"), leaf("2.1", 40, 30, "survey", field="2")])
    assert t.applicable_max == 100
    assert t.total == D("85.50") and t.index_percent == D("85.50")
    assert t.field_indices == {"1": D("92.50"), "2": D("75.00")}


def test_not_applicable_lowers_maximum_and_rescales():
    # 10 points do not apply: 72 of 90 applicable = 80 %; rescaled to the 100-point scale = 80.
    t = compute(
        [
            leaf("1.1", 50, 45),
            leaf("1.3", 10, None, na=True),
            leaf("2.1", 40, 27, "survey", field="2"),
        ]
    )
    assert t.scheme_max == 100 and t.applicable_max == 90
    assert t.points == 72
    assert t.index_percent == D("80.00") and t.total == D("80.00")


def test_rescaling_rounds_half_up_once():
    # 1 / 160 × 100 = 0.625 → 0.63 (half up, not banker's 0.62)
    t = compute([leaf("a", 160, 1)])
    assert t.index_percent == D("0.63")


def test_rescaling_exact_thirds():
    t = compute([leaf("a", 30, 20), leaf("b", 70, None, na=True)])
    assert t.index_percent == D("66.67") and t.total == D("66.67")


def test_bonus_and_penalty():
    t = compute(
        [
            leaf("1.1", 100, 88),
            leaf("T", 2, "1.5", "bonus"),
            leaf("K", 3, 1, "penalty"),
        ]
    )
    assert t.bonus == D("1.5") and t.penalty == 1
    assert t.applicable_max == 100  # bonus/penalty never change the maximum
    assert t.total == D("88.50")


def test_bonus_may_exceed_100():
    t = compute([leaf("1.1", 100, 100), leaf("T", 2, 2, "bonus")])
    assert t.index_percent == D("102.00")


def test_scores_out_of_range_are_refused():
    with pytest.raises(ScoreError):
        compute([leaf("1.1", 10, 11)])
    with pytest.raises(ScoreError):
        compute([leaf("1.1", 10, -1)])
    with pytest.raises(ScoreError):
        compute([leaf("1.1", 10, None, na=True)])


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("100", "Xuất sắc"),
        ("90.00", "Xuất sắc"),
        ("89.99", "Tốt"),
        ("80.00", "Tốt"),
        ("79.99", "Khá"),
        ("70.00", "Khá"),
        ("69.99", "Trung bình"),
        ("50.00", "Trung bình"),
        ("49.99", "Yếu"),
        ("0", "Yếu"),
        ("92.62", "Xuất sắc"),
        ("90.83", "Xuất sắc"),
        ("86.19", "Tốt"),
    ],
)
def test_default_bands_at_boundaries(value, label):
    assert classify(D(value), DEFAULT_BANDS) == label


def test_four_band_scheme():
    bands = [("Tốt", D(85)), ("Khá", D(70)), ("Trung bình", D(50)), ("Yếu", D(0))]
    assert classify(D("90"), bands) == "Tốt"
    assert classify(D("84.99"), bands) == "Khá"


def test_ties_standard_and_dense():
    values = [D("92.62"), D("90.91"), D("90.91"), D("88")]
    assert assign_ranks(values) == [1, 2, 2, 4]
    assert assign_ranks(values, dense=True) == [1, 2, 2, 3]
    # any input order
    assert assign_ranks([D(1), D(3), D(3), D(2)]) == [4, 1, 1, 3]
    assert assign_ranks([D(5), D(5), D(5)]) == [1, 1, 1]
