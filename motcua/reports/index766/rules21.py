"""Indicator 2.1 (on time) exactly as the national portal describes it (DOMAIN §7, 2.1).

For a period [date_from, date_to] (local dates, Asia/Ho_Chi_Minh, +07:00):

- Only *received* dossiers count: refused at intake (`received_at` null) and never-received online
  submissions are left out.
- End of processing, by precedence: the time of "result ready" (`finished_at`, status 9), else of
  "returned" (`returned_at`, 10), else of the refusal / withdrawal / stop of a received dossier
  (`closed_at`, status 3 / 7 / 8); a dossier waiting for a supplement the citizen never brought
  (status 5, `supplement_requested_at` without `supplement_completed_at`) ends at that request;
  otherwise the dossier is unfinished and ends at min(end of the period, now). An end after the
  period's end is not an end yet (the dossier was unfinished at the end of the period).
- Denominator: received dossiers with `received_at` ≤ the period's end whose end of processing is
  not before the period's start (received in the period plus carried over).
- Late whatever the dates when a supplement was requested more than once (`supplement_requests`).
- When the citizen did supplement, the waiting time (completed − requested) is subtracted from the
  end.
- On time iff the end's local DATE ≤ the due DATE; due = `initial_due_at` (the appointment given
  at reception, before pauses moved `due_at`) else `due_at`.
- Without a due date: end − reception − waiting ≤ the procedure's statutory maximum. The maximum in
  working days / hours is converted to elapsed time at 7/5 calendar days per working day and 8
  working hours per working day (unconfirmed: the portal does not say); a procedure without a
  time limit (0) cannot be late.

Everything is computed on whole seconds since the epoch (fractions cut, as `LocalDate` does), so the
SQL (PostgreSQL and SQLite) and the pure-Python reference `classify_21` agree to the second; a
property test checks they do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    Q,
    When,
)
from django.db.models import Value as V
from django.db.models.functions import Coalesce
from django.utils import timezone

from motcua.core.sqltime import fixed_offset_minutes
from motcua.dossiers.choices import Status

ON_TIME, LATE = "on_time", "late"
DAY = 86400
#: Elapsed seconds per unit of the statutory time limit (DOMAIN §7, 2.1 without a due date).
SECONDS_PER_UNIT = {"working_days": DAY * 7 // 5, "working_hours": DAY * 7 // 5 // 8}
SECONDS_PER_UNIT["calendar_days"] = DAY
CLOSING = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED)


def offset_seconds() -> int:
    """The local zone's fixed UTC offset (+07:00 → 25200)."""
    minutes = fixed_offset_minutes(timezone.get_default_timezone_name())
    if minutes is None:  # pragma: no cover - Viet Nam has kept +07:00 since 1975
        raise NotImplementedError("indicator 2.1 needs a fixed-offset time zone")
    return minutes * 60


class EpochSeconds(Func):
    """Whole seconds since 1970-01-01 UTC of a timestamp (fractions cut)."""

    arity = 1
    output_field = BigIntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(FLOOR(EXTRACT(EPOCH FROM {sql})) AS BIGINT)", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(strftime('%%s', substr({sql}, 1, 19)) AS INTEGER)", params


def secs(moment: datetime) -> int:
    return math.floor(moment.timestamp())


def local_day(seconds: int) -> int:
    """The local calendar day number of an epoch second (what SQL computes)."""
    return (seconds + offset_seconds()) // DAY


@dataclass(frozen=True)
class Window:
    """The period's bounds: start (inclusive), end (exclusive) and the cap of unfinished ends."""

    start: datetime
    end: datetime
    cap: datetime

    @classmethod
    def of(cls, date_from: date, date_to: date, now: datetime | None = None) -> Window:
        from ..ontime import period_bounds

        start, end = period_bounds(date_from, date_to)
        now = now or timezone.now()
        return cls(start, end, min(end - timedelta(microseconds=1), now))


# --- SQL ----------------------------------------------------------------------------------------
def annotations(window: Window) -> dict:
    """The annotations `end_s`, `wait_s`, `late21` needs (used by `in_scope` / `late_q`)."""
    e = window.end
    end_s = Case(
        When(finished_at__lt=e, then=EpochSeconds("finished_at")),
        When(returned_at__lt=e, then=EpochSeconds("returned_at")),
        When(Q(status__in=CLOSING, closed_at__lt=e), then=EpochSeconds("closed_at")),
        When(
            Q(
                status=Status.WAITING_SUPPLEMENT,
                supplement_requested_at__lt=e,
                supplement_completed_at__isnull=True,
            ),
            then=EpochSeconds("supplement_requested_at"),
        ),
        default=V(secs(window.cap)),
        output_field=BigIntegerField(),
    )
    wait_s = Case(
        When(
            Q(
                supplement_requested_at__isnull=False,
                supplement_completed_at__gte=F("supplement_requested_at"),
            ),
            then=EpochSeconds("supplement_completed_at") - EpochSeconds("supplement_requested_at"),
        ),
        default=V(0),
        output_field=BigIntegerField(),
    )
    off = offset_seconds()
    limit = ExpressionWrapper(
        F("procedure__time_value")
        * Case(
            *[When(procedure__time_unit=u, then=V(s)) for u, s in SECONDS_PER_UNIT.items()],
            default=V(SECONDS_PER_UNIT["working_days"]),
        ),
        output_field=DecimalField(max_digits=20, decimal_places=2),
    )
    return {
        "end_s": end_s,
        "wait_s": wait_s,
        "end_day": ExpressionWrapper(
            (F("end_s") - F("wait_s") + V(off)) / V(DAY), output_field=BigIntegerField()
        ),
        "due_day": ExpressionWrapper(
            (EpochSeconds(Coalesce("initial_due_at", "due_at")) + V(off)) / V(DAY),
            output_field=BigIntegerField(),
        ),
        "elapsed_s": ExpressionWrapper(
            F("end_s") - EpochSeconds("received_at") - F("wait_s"), output_field=BigIntegerField()
        ),
        "limit_s": limit,
    }


def in_scope(window: Window) -> Q:
    """The denominator of 2.1 (on a queryset annotated with `annotations`)."""
    return Q(received_at__isnull=False, received_at__lt=window.end, end_s__gte=secs(window.start))


def late_q() -> Q:
    """Late by the national rule (on a queryset annotated with `annotations`)."""
    has_due = Q(initial_due_at__isnull=False) | Q(due_at__isnull=False)
    return (
        Q(supplement_requests__gt=1)
        | (has_due & Q(end_day__gt=F("due_day")))
        | (~has_due & Q(procedure__time_value__gt=0) & Q(elapsed_s__gt=F("limit_s")))
    )


def ended_q(window: Window) -> Q:
    """Dossiers whose end of processing is a real end (not the period's cap)."""
    e = window.end
    return (
        Q(finished_at__lt=e)
        | Q(returned_at__lt=e)
        | Q(status__in=CLOSING, closed_at__lt=e)
        | Q(
            status=Status.WAITING_SUPPLEMENT,
            supplement_requested_at__lt=e,
            supplement_completed_at__isnull=True,
        )
    )


def late_queryset(qs, window: Window):
    """The dossiers of `qs` that cost 2.1 points in the window."""
    return qs.annotate(**annotations(window)).filter(in_scope(window)).filter(late_q())


# --- the pure-Python reference ------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict21:
    """`outcome` ON_TIME / LATE, or None when the dossier is not in the denominator; `reason`."""

    outcome: str | None
    reason: str
    end: int | None = None  # epoch seconds of the end of processing (before the waiting time)


def _end(d, window: Window) -> tuple[int, bool]:
    e = window.end

    def before_end(moment):
        return moment is not None and moment < e

    if before_end(d.finished_at):
        return secs(d.finished_at), True
    if before_end(d.returned_at):
        return secs(d.returned_at), True
    if d.status in CLOSING and before_end(d.closed_at):
        return secs(d.closed_at), True
    if (
        d.status == Status.WAITING_SUPPLEMENT
        and before_end(d.supplement_requested_at)
        and d.supplement_completed_at is None
    ):
        return secs(d.supplement_requested_at), True
    return secs(window.cap), False


def classify_21(d, window: Window) -> Verdict21:
    """Indicator 2.1 for one dossier, in plain Python (the reference the SQL is tested against)."""
    if d.received_at is None:
        return Verdict21(None, "not received")
    if d.received_at >= window.end:
        return Verdict21(None, "received after the period")
    end, ended = _end(d, window)
    if end < secs(window.start):
        return Verdict21(None, "ended before the period", end)
    wait = 0
    requested, completed = d.supplement_requested_at, d.supplement_completed_at
    if requested is not None and completed is not None and completed >= requested:
        wait = secs(completed) - secs(requested)
    if d.supplement_requests > 1:
        return Verdict21(LATE, "supplement requested more than once", end)
    due = d.initial_due_at or d.due_at
    if due is not None:
        if local_day(end - wait) <= local_day(secs(due)):
            return Verdict21(ON_TIME, "end date on or before the due date", end)
        return Verdict21(LATE, "end date after the due date", end)
    value = Decimal(d.procedure.time_value)
    if value <= 0:
        return Verdict21(ON_TIME, "no due date and no time limit", end)
    limit = value * SECONDS_PER_UNIT.get(d.procedure.time_unit, SECONDS_PER_UNIT["working_days"])
    if end - secs(d.received_at) - wait <= limit:
        return Verdict21(ON_TIME, "within the statutory maximum", end)
    return Verdict21(LATE, "beyond the statutory maximum", end)
