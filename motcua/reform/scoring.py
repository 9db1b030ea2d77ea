"""Scorecard arithmetic (DOMAIN §10), pure `Decimal`, no database access.

Definitions (documented in docs/cai-cach-hanh-chinh.md):

- the *scheme maximum* M is the sum of the maxima of the regular and survey leaves;
- the *applicable maximum* A is the same sum over the leaves that apply to the unit (an item marked
  "not applicable" is left out, which lowers the unit's maximum);
- points P = Σ scores of applicable regular and survey leaves + Σ bonus − Σ penalty;
- index % = P / A × 100, and the rescaled total on the scheme's scale = P × M / A
  (with M = 100 the two are equal). Both are rounded to 2 decimals, ROUND_HALF_UP, once, at the end;
- the classification is the band with the highest inclusive lower bound ≤ index %;
- ranking is by index % (equivalently the rescaled total), best first; ties share a rank.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TWO = Decimal("0.01")
HUNDRED = Decimal(100)

#: DOMAIN §10 default: Xuất sắc ≥ 90; Tốt 80–<90; Khá 70–<80; Trung bình 50–<70; Yếu < 50.
DEFAULT_BANDS: tuple[tuple[str, Decimal], ...] = (
    ("Xuất sắc", Decimal(90)),
    ("Tốt", Decimal(80)),
    ("Khá", Decimal(70)),
    ("Trung bình", Decimal(50)),
    ("Yếu", Decimal(0)),
)


def q2(value: Decimal) -> Decimal:
    """Round to 2 decimals, half up (the way published tables round)."""
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


def classify(index_percent: Decimal, bands: Iterable[tuple[str, Decimal]]) -> str:
    """The label of the band with the highest lower bound ≤ index_percent ('' if none fits)."""
    best: tuple[Decimal, str] | None = None
    for label, lower in bands:
        if index_percent >= lower and (best is None or lower > best[0]):
            best = (lower, label)
    return best[1] if best else ""


def assign_ranks(values: Sequence[Decimal], *, dense: bool = False) -> list[int]:
    """Ranks for values (any order), best (largest) first; equal values share a rank.

    Standard ("1, 2, 2, 4"): the rank is 1 + the number of strictly better values.
    Dense ("1, 2, 2, 3"): the rank is 1 + the number of distinct strictly better values.
    """
    distinct = sorted(set(values), reverse=True)
    position = {v: i for i, v in enumerate(distinct)}
    ordered = sorted(values, reverse=True)
    first_index: dict[Decimal, int] = {}
    for i, v in enumerate(ordered):
        first_index.setdefault(v, i)
    if dense:
        return [position[v] + 1 for v in values]
    return [first_index[v] + 1 for v in values]


@dataclass(frozen=True)
class Leaf:
    """A scored leaf as the arithmetic sees it."""

    code: str
    field: str  # code of the top-level field it belongs to
    kind: str  # regular / survey / bonus / penalty
    max_points: Decimal
    score: Decimal | None  # appraised (or self-assessed) score; None counts as 0
    not_applicable: bool = False


@dataclass
class Totals:
    scheme_max: Decimal
    applicable_max: Decimal
    regular: Decimal
    survey: Decimal
    bonus: Decimal
    penalty: Decimal
    points: Decimal
    total: Decimal  # rescaled to the scheme maximum, 2 decimals
    index_percent: Decimal  # 2 decimals
    field_indices: dict[str, Decimal] = field(default_factory=dict)


class ScoreError(ValueError):
    """A score outside 0 … max, or a scheme with nothing applicable."""


def compute(leaves: Iterable[Leaf]) -> Totals:
    """Totals of one unit's leaves (see the module docstring for the definitions)."""
    scheme_max = applicable = regular = survey = bonus = penalty = Decimal(0)
    field_points: dict[str, Decimal] = {}
    field_max: dict[str, Decimal] = {}
    for leaf in leaves:
        score = leaf.score if leaf.score is not None else Decimal(0)
        if score < 0 or score > leaf.max_points:
            raise ScoreError(f"{leaf.code}: {score} ∉ [0, {leaf.max_points}]")
        if leaf.kind == "bonus":
            bonus += score
            continue
        if leaf.kind == "penalty":
            penalty += score
            continue
        scheme_max += leaf.max_points
        if leaf.not_applicable:
            continue
        applicable += leaf.max_points
        field_max[leaf.field] = field_max.get(leaf.field, Decimal(0)) + leaf.max_points
        field_points[leaf.field] = field_points.get(leaf.field, Decimal(0)) + score
        if leaf.kind == "survey":
            survey += score
        else:
            regular += score
    if applicable <= 0:
        raise ScoreError("no applicable item")
    points = regular + survey + bonus - penalty
    return Totals(
        scheme_max=scheme_max,
        applicable_max=applicable,
        regular=regular,
        survey=survey,
        bonus=bonus,
        penalty=penalty,
        points=points,
        total=q2(points * scheme_max / applicable),
        index_percent=q2(points / applicable * HUNDRED),
        field_indices={
            code: q2(field_points[code] / mx * HUNDRED) for code, mx in field_max.items() if mx > 0
        },
    )
