"""Scoring of the 766 index over a period (DOMAIN §7): ratios, proportional points, the total.

Points of a computed indicator: full at or above its target, else `value × max ÷ target` (2
decimals). Maxima and targets come from the year's settings (`settings.year_settings`); 1.1 and
1.2 are entered by the unit's leader with evidence (`manual_scores.py`); 2.2 is shown only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from .counts import ALL_COUNTS, period_counts
from .definitions import GROUPS, INDICATORS, Indicator
from .settings import YearSettings, year_settings

TWO = Decimal("0.01")
#: The counts that say whether anything happened in a period (dossiers received, settled under
#: 2.1 or with a document result, PAKN received).
ACTIVITY_COUNTS = ("received", "d21", "doc_settled", "pakn")
HUNDRED = Decimal(100)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / whole).quantize(TWO, ROUND_HALF_UP)


def measure(indicator_id: str, c: dict) -> tuple[int | None, int | None, Decimal | None]:
    """(numerator, denominator, value %) of a computed indicator from the named counts."""
    pairs = {
        "1.3": ("complete", "procedures"),
        "1.4": ("synced", "received"),
        "3.1": ("online_services", "procedures"),
        "3.2": ("used_online", "online_services"),
        "3.5": ("fee_payable", "fee_procs"),
        "3.6": ("paid_online", "fee_dossiers"),
        "4.1": ("e_result", "doc_settled"),
        "4.2": ("digitised", "received"),
        "4.3": ("reused", "received"),
        "4.4": ("data_store", "received"),
        "4.5": ("vneid", "received"),
        "5.1": ("classified", "pakn"),
    }
    if indicator_id in pairs:
        num, den = (c.get(k, 0) for k in pairs[indicator_id])
        return num, den, percent(num, den)
    if indicator_id == "2.1":
        den = c.get("d21", 0)
        return den - c.get("late21", 0), den, percent(den - c.get("late21", 0), den)
    if indicator_id == "2.2":
        # Display only: average days from reception to settling, waiting time subtracted.
        n = c.get("settled21", 0)
        if not n:
            return None, 0, None
        days = Decimal(c.get("elapsed21", 0)) / n / 86400
        return None, n, days.quantize(TWO, ROUND_HALF_UP)
    if indicator_id == "3.3":
        # DOMAIN §7, 3.3: online dossiers ÷ received × the sync rate 1.4.
        num, den, synced = c.get("online_counted", 0), c.get("received", 0), c.get("synced", 0)
        if not den:
            return num, den, None
        value = Decimal(num) * Decimal(synced) * HUNDRED / (Decimal(den) * den)
        return num, den, value.quantize(TWO, ROUND_HALF_UP)
    if indicator_id == "5.2":
        den = c.get("pakn_due", 0)
        return den - c.get("pakn_late", 0), den, percent(den - c.get("pakn_late", 0), den)
    if indicator_id == "5.3":
        den = c.get("pakn", 0)
        return den - c.get("pakn_bad", 0), den, percent(den - c.get("pakn_bad", 0), den)
    if indicator_id == "5.4":
        # DOMAIN §7, 5.4: 100 % − (late-dossier rate + rate of dossiers with a PAKN or a
        # "not satisfied" rating), over the dossiers of 2.1.
        den = c.get("d21", 0)
        num = max(den - c.get("late21", 0) - c.get("complained", 0), 0)
        return num, den, percent(num, den)
    raise KeyError(indicator_id)


def score(value: Decimal | None, maximum: Decimal, target: Decimal, empty_full: bool) -> Decimal:
    """Points for a value (percent): full at or above the target, else value × max ÷ target."""
    if value is None:
        return maximum if empty_full else Decimal(0)
    if value >= target:
        return maximum
    return (max(value, Decimal(0)) * maximum / target).quantize(TWO, ROUND_HALF_UP)


@dataclass
class IndicatorResult:
    indicator: Indicator
    numerator: int | None
    denominator: int | None
    value: Decimal | None
    score: Decimal
    max: Decimal
    target: Decimal
    note: str = ""  # manual: the evidence entered
    entered: bool = True  # manual: whether someone entered it
    url: str | None = None  # drill-down of the items that cost points (set by the view)

    @property
    def manual(self) -> bool:
        return self.indicator.manual

    @property
    def lost(self) -> Decimal:
        return self.max - self.score

    # Names the old templates and tests used.
    @property
    def points(self) -> Decimal:
        return self.score

    @property
    def ratio(self) -> Decimal | None:
        return self.value

    @property
    def measured(self) -> int | None:
        return self.denominator

    @property
    def failing(self) -> int | None:
        if self.numerator is None or self.denominator is None:
            return None
        return self.denominator - self.numerator

    def as_json(self) -> dict:
        def dec(x):
            return None if x is None else str(Decimal(x).quantize(TWO, ROUND_HALF_UP))

        return {
            "id": self.indicator.id,
            "title": str(self.indicator.title),
            "value": dec(self.value),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "target": dec(self.target),
            "score": dec(self.score),
            "max": dec(self.max),
            "manual": self.indicator.manual,
        }


@dataclass
class IndexResult:
    """The index of one period for a set of units."""

    date_from: date
    date_to: date
    results: list[IndicatorResult] = field(default_factory=list)
    settings_year: int | None = None
    #: Dossiers and PAKN the period's figures rest on (received, settled, PAKN); 0: no data.
    activity: int = 0

    @property
    def has_data(self) -> bool:
        """False for a period with no dossier and no PAKN: its points would only be the empty
        denominators' defaults, so pages show "no data" instead of a score (issue 14)."""
        return self.activity > 0

    @property
    def month(self) -> date:
        return self.date_from.replace(day=1)

    @property
    def total(self) -> Decimal:
        return sum((r.score for r in self.results), Decimal(0))

    @property
    def maximum(self) -> Decimal:
        return sum((r.max for r in self.results), Decimal(0))

    def by_id(self, indicator_id: str) -> IndicatorResult:
        return next(r for r in self.results if r.indicator.id == indicator_id)

    def groups(self) -> list[tuple[str, object, Decimal, Decimal, list[IndicatorResult]]]:
        out = []
        for key, label, _maximum in GROUPS:
            rows = [r for r in self.results if r.indicator.group == key]
            out.append(
                (
                    key,
                    label,
                    sum((r.max for r in rows), Decimal(0)),
                    sum((r.score for r in rows), Decimal(0)),
                    rows,
                )
            )
        return out

    def as_json(self, unit: str | None = None) -> dict:
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "unit": unit,
            "total": str(self.total.quantize(TWO, ROUND_HALF_UP)),
            "max": str(self.maximum.quantize(TWO, ROUND_HALF_UP)),
            "indicators": [r.as_json() for r in self.results],
        }


def index_from_counts(
    date_from: date,
    date_to: date,
    counts: dict,
    manual: dict | None = None,
    settings: YearSettings | None = None,
) -> IndexResult:
    """The index of a period from its named counts (live or summed from stored months)."""
    settings = settings or year_settings(date_to.year)
    manual = manual or {}
    counts = {k: counts.get(k, 0) for k in ALL_COUNTS}
    result = IndexResult(
        date_from,
        date_to,
        settings_year=settings.year,
        activity=sum(counts[k] for k in ACTIVITY_COUNTS),
    )
    for indicator in INDICATORS:
        maximum, target = settings.of(indicator.id)
        if indicator.manual:
            entry = manual.get(indicator.id)
            result.results.append(
                IndicatorResult(
                    indicator,
                    None,
                    None,
                    None,
                    min(entry.points, maximum) if entry else Decimal(0),
                    maximum,
                    target,
                    note=entry.note if entry else "",
                    entered=entry is not None,
                )
            )
            continue
        num, den, value = measure(indicator.id, counts)
        points = (
            Decimal(0)
            if indicator.display_only
            else score(value, maximum, target, settings.empty_full_points)
        )
        result.results.append(IndicatorResult(indicator, num, den, value, points, maximum, target))
    return result


def manual_entries(unit_ids, date_from: date, date_to: date) -> dict:
    """{indicator: IndexManualScore} of a single unit: the latest month entered in the period."""
    from ..models import IndexManualScore

    if unit_ids is None or len(list(unit_ids)) != 1:
        return {}  # entered per unit; for several units the province enters nothing
    rows = IndexManualScore.objects.filter(
        unit_id__in=list(unit_ids),
        month__gte=date_from.replace(day=1),
        month__lte=date_to.replace(day=1),
    ).order_by("month")
    return {r.indicator: r for r in rows}


def compute_index(
    date_from: date, date_to: date, *, unit_ids=None, now: datetime | None = None
) -> IndexResult:
    """The index of the period for the units (None: all units) — about seven queries."""
    counts = period_counts(date_from, date_to, unit_ids, now=now)[None]
    return index_from_counts(
        date_from, date_to, counts, manual_entries(unit_ids, date_from, date_to)
    )
