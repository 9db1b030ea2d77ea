"""Satisfaction and PAKN figures per unit, procedure and quarter (DOMAIN §7, §8).

Each function is one aggregate query whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum

from motcua.reports.ontime import LocalMonth, period_bounds

from .choices import INDICES, FeedbackStatus, Overall, SenderVerdict
from .models import Feedback, Rating

GROUPS = ("unit", "procedure", "quarter")


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole × 100 with 2 decimals (half up); None when whole is 0."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class RatingFigures:
    """Ratings of one group: counts and the derived shares."""

    key: str | int | None
    ratings: int
    satisfied: int  # no "not satisfied" in either overall answer
    service_ok: int  # overall_service satisfied or very satisfied
    result_ok: int
    very_satisfied: int
    index_points: int  # sum of the 9 indices over all ratings

    @property
    def satisfied_share(self) -> Decimal | None:
        return percent(self.satisfied, self.ratings)

    @property
    def sipas_share(self) -> Decimal | None:
        """SIPAS-style index: share of "satisfied" + "very satisfied" answers (both questions)."""
        return percent(self.service_ok + self.result_ok, 2 * self.ratings)

    @property
    def index_share(self) -> Decimal | None:
        """Points of the 9 indices over the maximum (2 each)."""
        return percent(self.index_points, 2 * len(INDICES) * self.ratings)


def _rating_aggregates() -> dict:
    ok = [Overall.SATISFIED, Overall.VERY_SATISFIED]
    points = sum((F(name) for name, _label in INDICES[1:]), F(INDICES[0][0]))
    return {
        "ratings": Count("pk"),
        "satisfied": Count("pk", filter=Q(satisfied=True)),
        "service_ok": Count("pk", filter=Q(overall_service__in=ok)),
        "result_ok": Count("pk", filter=Q(overall_result__in=ok)),
        "very_satisfied": Count("pk", filter=Q(overall_service=Overall.VERY_SATISFIED)),
        "index_points": Sum(points),
    }


def rating_figures(
    date_from: date, date_to: date, *, unit_ids=None, group_by: str | None = None
) -> list[RatingFigures]:
    """Ratings given in the period, grouped by unit, procedure or quarter ('2023-Q4')."""
    start, end = period_bounds(date_from, date_to)
    qs = Rating.objects.filter(created_at__gte=start, created_at__lt=end)
    if unit_ids is not None:
        qs = qs.filter(dossier__unit_id__in=list(unit_ids))
    aggregates = _rating_aggregates()
    if group_by is None:
        row = qs.aggregate(**aggregates)
        return [_figures(None, row)]
    if group_by not in GROUPS:
        raise ValueError(f"unknown grouping {group_by!r}")
    key = {
        "unit": F("dossier__unit_id"),
        "procedure": F("dossier__procedure_id"),
        "quarter": LocalMonth("created_at"),
    }[group_by]
    rows = list(qs.order_by().values(key=key).annotate(**aggregates).order_by("key"))
    if group_by != "quarter":
        return [_figures(r["key"], r) for r in rows]
    quarters: dict[str, dict] = {}
    for r in rows:
        year, month = r["key"].split("-")
        q = f"{year}-Q{(int(month) - 1) // 3 + 1}"
        acc = quarters.setdefault(q, dict.fromkeys(aggregates, 0))
        for name in aggregates:
            acc[name] += r[name] or 0
    return [_figures(q, acc) for q, acc in sorted(quarters.items())]


def _figures(key, row: dict) -> RatingFigures:
    return RatingFigures(key=key, **{k: row[k] or 0 for k in _rating_aggregates()})


@dataclass(frozen=True)
class FeedbackFigures:
    """PAKN of one group: received, answered, on time, open and overdue, the sender's verdicts."""

    key: int | None
    received: int
    answered: int
    answered_on_time: int
    open_overdue: int
    due: int  # answered, or open past the due time: the dossiers whose deadline has come
    verdicts: int
    not_satisfied: int

    @property
    def on_time_share(self) -> Decimal | None:
        """766 group 5, ratio 1: feedback handled on time ÷ feedback whose deadline has come."""
        return percent(self.answered_on_time, self.due)

    @property
    def satisfied_share(self) -> Decimal | None:
        """766 group 5, ratio 2: answers without "not satisfied" ÷ answers."""
        return percent(self.answered - self.not_satisfied, self.answered)


def feedback_figures(
    date_from: date, date_to: date, *, unit_ids=None, group_by: str | None = None
) -> list[FeedbackFigures]:
    """Feedback received in the period, as it stands at the period's end."""
    start, end = period_bounds(date_from, date_to)
    qs = Feedback.objects.filter(received_at__gte=start, received_at__lt=end)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    answered = Q(status=FeedbackStatus.ANSWERED, answered_at__lt=end)
    aggregates = {
        "received": Count("pk"),
        "answered": Count("pk", filter=answered),
        "answered_on_time": Count("pk", filter=answered & Q(answered_at__lte=F("due_at"))),
        # A rejected PAKN is closed, not overdue (DOMAIN §7, 5.2).
        "open_overdue": Count("pk", filter=~answered & ~Q(rejected_at__lt=end) & Q(due_at__lt=end)),
        "verdicts": Count("pk", filter=answered & ~Q(sender_verdict="")),
        "not_satisfied": Count(
            "pk", filter=answered & Q(sender_verdict=SenderVerdict.NOT_SATISFIED)
        ),
    }

    def build(key, row):
        values = {k: row[k] or 0 for k in aggregates}
        return FeedbackFigures(key=key, due=values["answered"] + values["open_overdue"], **values)

    if group_by is None:
        return [build(None, qs.aggregate(**aggregates))]
    if group_by != "unit":
        raise ValueError(f"unknown grouping {group_by!r}")
    rows = qs.order_by().values("unit_id").annotate(**aggregates).order_by("unit_id")
    return [build(r["unit_id"], r) for r in rows]
