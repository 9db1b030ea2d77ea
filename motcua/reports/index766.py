"""Decision 766/QĐ-TTg real-time service index, per unit (or set of units) and month (DOMAIN §7).

Five groups, 100 points. Each sub-indicator is either *computed* from the dossiers, payments,
attachments, ratings and feedback the system holds, as a ratio (passing ÷ measured), or *manual*:
entered by hand (`IndexManualScore`) because the system cannot know it, and marked as such.

Points from a ratio follow the year's thresholds (`IndexYear`, yearly targets, not constants):
ratio ≥ full_at → all the points, ≥ half_at → half, ≥ quarter_at → a quarter, else none. A month
with nothing to measure earns all the points ("nothing to measure"). For every point lost the
result carries the reason, and `failing_queryset` gives the dossiers (or feedback) behind it.

One query per computed indicator whatever the number of months asked (conditional counts per
month), so the dashboard's 12-month trend costs the same queries as one month.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.choices import OPEN, SETTLED, AttachmentKind, Channel
from motcua.dossiers.models import Attachment, Dossier

from .ontime import COMPARE_TIMESTAMP, early_condition, on_time_condition, period_bounds

DEFAULT_THRESHOLDS = (Decimal(80), Decimal(50), Decimal(30))
TWO = Decimal("0.01")

GROUPS = (
    ("transparency", _("Transparency"), 18),
    ("progress", _("Progress and results"), 20),
    ("online", _("Online services and payment"), 22),
    ("digitisation", _("Digitisation of dossiers and results"), 22),
    ("satisfaction", _("Satisfaction"), 18),
)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[first day 00:00, first day of next month 00:00) local time."""
    first = month.replace(day=1)
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    start, _end = period_bounds(first, first)
    end, _ = period_bounds(nxt, nxt)
    return start, end


def last_day(month: date) -> date:
    """The last calendar day of the month."""
    nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def months_back(last: date, count: int) -> list[date]:
    """`count` first-of-month dates ending with `last`'s month, oldest first."""
    y, m = last.year, last.month
    out = []
    for _i in range(count):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


# --- indicator definitions -------------------------------------------------------------------
def _settled(s, e) -> Q:
    return Q(finished_at__gte=s, finished_at__lt=e, status__in=list(SETTLED))


def _received(s, e) -> Q:
    return Q(received_at__gte=s, received_at__lt=e)


def _open_at(e) -> Q:
    """Received before e and neither settled nor closed before e."""
    if e > timezone.now():
        # A month not over yet: "open at its end" is "open now", which the worklist index finds
        # (status, due_at) instead of scanning every dossier ever received.
        return Q(status__in=list(OPEN), received_at__lt=e) & Q(
            finished_at__isnull=True, closed_at__isnull=True
        )
    return (
        Q(received_at__lt=e)
        & (Q(finished_at__isnull=True) | Q(finished_at__gte=e))
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=e))
    )


def _has_attachment(kind: str) -> Q:
    # `pk IN (uncorrelated subquery)`: PostgreSQL hashes it once ("hashed SubPlan") where a
    # correlated EXISTS inside a FILTER clause runs once per row (0.5 s per month at 5M rows).
    return Q(pk__in=Attachment.objects.filter(kind=kind).values("dossier_id"))


def _dossiers(unit_ids):
    qs = Dossier.objects.all()
    return qs if unit_ids is None else qs.filter(unit_id__in=list(unit_ids))


def _payments(unit_ids):
    from motcua.payments.models import Payment

    qs = Payment.objects.filter(status="paid")
    return qs if unit_ids is None else qs.filter(dossier__unit_id__in=list(unit_ids))


def _feedback(unit_ids):
    from motcua.feedback.models import Feedback

    qs = Feedback.objects.all()
    return qs if unit_ids is None else qs.filter(unit_id__in=list(unit_ids))


def _not_satisfied_or_complaint():
    from motcua.feedback.models import Feedback, Rating

    return Q(pk__in=Rating.objects.filter(satisfied=False).values("dossier_id")) | Q(
        pk__in=Feedback.objects.filter(kind="complaint", dossier__isnull=False).values("dossier_id")
    )


@dataclass(frozen=True)
class Indicator:
    """A sub-indicator: its points, and for a computed one the measured set and the failures."""

    code: str
    group: str
    label: object
    points: int
    reason: object = ""  # what a failing item is (shown with the lost points)
    subject: str = "dossier"  # what the drill-down lists: "dossier", "payment", "feedback"
    base: Callable | None = None  # unit_ids → queryset
    measured: Callable | None = None  # (start, end) → Q of the items measured in the month
    failing: Callable | None = None  # (start, end) → Q of the measured items that fail
    unit_field: str = "unit_id"  # how an item reaches its unit (for per-unit counts)
    window: str = "received"  # indicators with the same base and window share one query

    @property
    def manual(self) -> bool:
        return self.base is None


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "T1",
        "transparency",
        _("Dossiers the applicant can follow (phone or ID number recorded)"),
        6,
        _("no phone and no ID number: the applicant cannot track the dossier"),
        base=_dossiers,
        measured=_received,
        failing=lambda s, e: Q(applicant_phone="", applicant_id_number=""),
    ),
    Indicator(
        "T2",
        "transparency",
        _("Online submissions accepted or returned within the intake deadline"),
        6,
        _("received after the intake deadline"),
        base=_dossiers,
        measured=lambda s, e: (
            _received(s, e) & Q(channel=Channel.ONLINE, intake_due_at__isnull=False)
        ),
        failing=lambda s, e: Q(received_at__gt=F("intake_due_at")),
    ),
    Indicator(
        "T3",
        "transparency",
        _("Procedures published and up to date on the national portal (entered by hand)"),
        6,
    ),
    Indicator(
        "P1",
        "progress",
        _("Dossiers settled early or on time"),
        10,
        _("settled late"),
        base=_dossiers,
        measured=_settled,
        failing=lambda s, e: ~early_condition() & ~on_time_condition(COMPARE_TIMESTAMP),
        window="settled",
    ),
    Indicator(
        "P2",
        "progress",
        _("Dossiers in progress within the deadline at the end of the month"),
        10,
        _("in progress and overdue at the end of the month"),
        base=_dossiers,
        measured=lambda s, e: _open_at(e),
        failing=lambda s, e: Q(due_at__lt=e),
        window="open",
    ),
    Indicator(
        "O1",
        "online",
        _("Dossiers received online"),
        12,
        _("received at the counter or by post"),
        base=_dossiers,
        measured=_received,
        failing=lambda s, e: ~Q(channel=Channel.ONLINE),
    ),
    Indicator(
        "O2",
        "online",
        _("Fees paid online"),
        10,
        _("fee paid at the counter"),
        subject="payment",
        unit_field="dossier__unit_id",
        base=_payments,
        measured=lambda s, e: Q(paid_at__gte=s, paid_at__lt=e),
        failing=lambda s, e: Q(provider="counter"),
        window="paid",
    ),
    Indicator(
        "D1",
        "digitisation",
        _("Dossiers received with digitised documents"),
        11,
        _("no digitised document attached"),
        base=_dossiers,
        measured=_received,
        failing=lambda s, e: ~_has_attachment(AttachmentKind.SUBMITTED),
    ),
    Indicator(
        "D2",
        "digitisation",
        _("Settled dossiers with an electronic result"),
        11,
        _("no electronic result attached"),
        base=_dossiers,
        measured=_settled,
        failing=lambda s, e: ~_has_attachment(AttachmentKind.RESULT),
        window="settled",
    ),
    Indicator(
        "S1",
        "satisfaction",
        _("Feedback and petitions answered on time"),
        6,
        _("answered late or still unanswered after the deadline"),
        subject="feedback",
        base=_feedback,
        measured=lambda s, e: (
            _received(s, e) & (Q(answered_at__lt=e) | Q(answered_at__isnull=True, due_at__lt=e))
        ),
        failing=lambda s, e: Q(answered_at__isnull=True) | Q(answered_at__gt=F("due_at")),
        window="feedback",
    ),
    Indicator(
        "S2",
        "satisfaction",
        _("Answers to feedback without a 'not satisfied' verdict"),
        6,
        _("the sender was not satisfied with the answer"),
        subject="feedback",
        base=_feedback,
        measured=lambda s, e: _received(s, e) & Q(answered_at__lt=e),
        failing=lambda s, e: Q(sender_verdict="not_satisfied"),
        window="feedback",
    ),
    Indicator(
        "S3",
        "satisfaction",
        _("Settled dossiers without a 'not satisfied' rating or a complaint"),
        6,
        _("rated 'not satisfied' or complained about"),
        base=_dossiers,
        measured=_settled,
        failing=lambda s, e: _not_satisfied_or_complaint(),
        window="settled",
    ),
)


BY_CODE = {i.code: i for i in INDICATORS}
assert sum(i.points for i in INDICATORS) == 100
assert all(sum(i.points for i in INDICATORS if i.group == g) == m for g, _l, m in GROUPS)


# --- scoring -----------------------------------------------------------------------------------
def thresholds(
    year: int, code: str, rows: dict | None = None
) -> tuple[tuple[Decimal, Decimal, Decimal], bool]:
    """(full_at, half_at, quarter_at) for the indicator in that year; False when defaulted.

    `rows` caches the IndexYear rows by year across calls (one query per year)."""
    from .models import IndexYear

    if rows is not None and year in rows:
        row = rows[year]
    else:
        row = IndexYear.objects.filter(year=year).first()
        if rows is not None:
            rows[year] = row
    if row is None:
        return DEFAULT_THRESHOLDS, False
    override = (row.overrides or {}).get(code)
    if override and len(override) == 3:
        return tuple(Decimal(str(x)) for x in override), True  # type: ignore[return-value]
    return (row.full_at, row.half_at, row.quarter_at), True


def score(points: int, ratio: Decimal | None, limits) -> Decimal:
    """Points earned for a ratio (percent) under (full_at, half_at, quarter_at)."""
    if ratio is None:
        return Decimal(points)
    full_at, half_at, quarter_at = limits
    share = (
        Decimal(1)
        if ratio >= full_at
        else Decimal("0.5")
        if ratio >= half_at
        else Decimal("0.25")
        if ratio >= quarter_at
        else Decimal(0)
    )
    return (Decimal(points) * share).quantize(TWO, ROUND_HALF_UP)


@dataclass
class IndicatorResult:
    indicator: Indicator
    measured: int | None  # None for a manual indicator
    failing: int | None
    points: Decimal
    limits: tuple = ()
    note: str = ""  # manual: the evidence entered; computed: the reason of the loss
    entered: bool = True  # manual: whether someone entered it
    url: str | None = None  # the drill-down of the failing items (set by the view)

    @property
    def ratio(self) -> Decimal | None:
        if not self.measured:
            return None
        return (Decimal(self.measured - self.failing) * 100 / self.measured).quantize(
            TWO, ROUND_HALF_UP
        )

    @property
    def lost(self) -> Decimal:
        return Decimal(self.indicator.points) - self.points


@dataclass
class IndexResult:
    """The index of one month for a set of units."""

    month: date
    results: list[IndicatorResult] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((r.points for r in self.results), Decimal(0))

    def groups(self) -> list[tuple[str, object, int, Decimal, list[IndicatorResult]]]:
        out = []
        for key, label, maximum in GROUPS:
            rows = [r for r in self.results if r.indicator.group == key]
            out.append((key, label, maximum, sum((r.points for r in rows), Decimal(0)), rows))
        return out

    def as_json(self) -> dict:
        return {
            "month": self.month.strftime("%Y-%m"),
            "total": str(self.total),
            "indicators": {
                r.indicator.code: {
                    "points": str(r.points),
                    "max": r.indicator.points,
                    "manual": r.indicator.manual,
                    "measured": r.measured,
                    "failing": r.failing,
                    "ratio": str(r.ratio) if r.ratio is not None else None,
                }
                for r in self.results
            },
        }


def indicator_counts(
    indicator: Indicator, unit_ids, months: list[date], *, by_unit: bool = False
) -> dict[tuple[date, int | None], tuple[int, int]]:
    """{(month, unit id or None): (measured, failing)} in one query."""
    return counts_many([indicator], unit_ids, months, by_unit=by_unit)[indicator.code]


def counts_many(
    indicators, unit_ids, months: list[date], *, by_unit: bool = False
) -> dict[str, dict[tuple[date, int | None], tuple[int, int]]]:
    """Counts of several indicators: ONE query per kind of item (dossiers, payments, feedback),
    so the seven dossier indicators of a month read the month's dossiers once, not seven times."""
    out: dict[str, dict] = {}
    batches: dict[tuple, list[Indicator]] = {}
    for indicator in indicators:
        key = (indicator.base, indicator.unit_field, indicator.window)
        batches.setdefault(key, []).append(indicator)
    bounds = {m: month_bounds(m) for m in months}
    for (base, unit_field, _window), batch in batches.items():
        qs = base(unit_ids).order_by()
        overall = Q()
        aggregates = {}
        for indicator in batch:
            for i, (s, e) in enumerate(bounds.values()):
                measured = indicator.measured(s, e)
                overall |= measured
                aggregates[f"{indicator.code}_m{i}"] = Count("pk", filter=measured)
                aggregates[f"{indicator.code}_f{i}"] = Count(
                    "pk", filter=measured & indicator.failing(s, e)
                )
        qs = qs.filter(overall)
        if by_unit:
            rows = list(qs.values(u=F(unit_field)).annotate(**aggregates).order_by())
        else:
            rows = [{"u": None, **qs.aggregate(**aggregates)}]
        for indicator in batch:
            found = out.setdefault(indicator.code, {})
            for row in rows:
                for i, m in enumerate(bounds):
                    found[(m, row["u"])] = (
                        row[f"{indicator.code}_m{i}"] or 0,
                        row[f"{indicator.code}_f{i}"] or 0,
                    )
    return out


def index_from_counts(
    month: date,
    counts: dict[str, tuple[int, int]],
    manual: dict | None = None,
    limits_cache: dict | None = None,
) -> IndexResult:
    """The index of a month from stored (measured, failing) counts (the dashboard's trend)."""
    result = IndexResult(month=month)
    manual = manual or {}
    for indicator in INDICATORS:
        if indicator.manual:
            entry = manual.get(indicator.code)
            result.results.append(
                IndicatorResult(
                    indicator,
                    None,
                    None,
                    min(entry.points, Decimal(indicator.points)) if entry else Decimal(0),
                    note=entry.note if entry else "",
                    entered=entry is not None,
                )
            )
            continue
        measured, failing = counts.get(indicator.code, (0, 0))
        key = (month.year, indicator.code)
        if limits_cache is None:
            limits_cache = {}
        if key not in limits_cache:
            years = limits_cache.setdefault("_rows", {})
            limits_cache[key] = thresholds(month.year, indicator.code, years)[0]
        limits = limits_cache[key]
        r = IndicatorResult(indicator, measured, failing, Decimal(0), limits=limits)
        r.points = score(indicator.points, r.ratio, limits)
        result.results.append(r)
    return result


def compute_index(months: list[date], *, unit_ids=None) -> list[IndexResult]:
    """The index of each month (first days) for the units (None: all units)."""
    from .models import IndexManualScore

    months = sorted({m.replace(day=1) for m in months})
    results = {m: IndexResult(month=m) for m in months}
    manual = {}
    if unit_ids is not None and len(list(unit_ids)) == 1:
        # Manual scores are per unit; for several units the province enters nothing.
        rows = IndexManualScore.objects.filter(unit_id__in=list(unit_ids), month__in=months)
        manual = {(r.month, r.indicator): r for r in rows}
    limits_cache: dict[tuple[int, str], tuple] = {}
    computed = [i for i in INDICATORS if not i.manual]
    all_counts = counts_many(computed, unit_ids, months)
    for indicator in INDICATORS:
        if indicator.manual:
            for m in months:
                entry = manual.get((m, indicator.code))
                results[m].results.append(
                    IndicatorResult(
                        indicator,
                        None,
                        None,
                        min(entry.points, Decimal(indicator.points)) if entry else Decimal(0),
                        note=entry.note if entry else "",
                        entered=entry is not None,
                    )
                )
            continue
        found = all_counts[indicator.code]
        for m in months:
            measured, failing = found.get((m, None), (0, 0))
            key = (m.year, indicator.code)
            if key not in limits_cache:
                years = limits_cache.setdefault("_rows", {})  # type: ignore[call-overload]
                limits_cache[key] = thresholds(m.year, indicator.code, years)[0]
            limits = limits_cache[key]
            r = IndicatorResult(indicator, measured, failing, Decimal(0), limits=limits)
            r.points = score(indicator.points, r.ratio, limits)
            results[m].results.append(r)
    return [results[m] for m in months]


def failing_queryset(indicator: Indicator, month: date, unit_ids=None) -> QuerySet:
    """The dossiers (payments, feedback) behind the points `indicator` lost in `month`."""
    if indicator.manual:
        raise ValueError("a manual indicator has no items behind it")
    s, e = month_bounds(month)
    qs = indicator.base(unit_ids)
    return qs.filter(indicator.measured(s, e) & indicator.failing(s, e))
