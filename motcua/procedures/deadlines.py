"""The legal due time of a procedure counted on its working calendar (DOMAIN §4, §13)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from motcua.worktime import SAME_DAY_CUTOFF, Calendar, WorktimeError, get_calendar

from .choices import TimeUnit
from .models import Procedure


def calendar_for(procedure: Procedure) -> Calendar:
    return get_calendar(procedure.effective_calendar)


def procedure_due(
    procedure: Procedure, start: datetime, calendar: Calendar | None = None
) -> datetime:
    """Due time of `procedure` for a dossier received at `start`."""
    cal = calendar or calendar_for(procedure)
    cutoff = SAME_DAY_CUTOFF if procedure.same_day_cutoff else None
    value = procedure.time_value
    if procedure.time_unit == TimeUnit.WORKING_HOURS:
        return cal.add(start, minutes=int(value * 60), cutoff=cutoff)
    if procedure.time_unit == TimeUnit.CALENDAR_DAYS:
        # Calendar days run through weekends; a due time outside working hours waits for opening.
        return cal.next_opening(start + timedelta(days=float(value)))
    if procedure.same_day_cutoff and value == value.to_integral_value():
        # Same-day style procedures: due at the close of the Nth working day (0 = the same day).
        return cal.add_days(start, int(value), end_of_day=True, cutoff=cutoff)
    return cal.add(start, minutes=int(value * cal.spec.hours_per_day * 60), cutoff=cutoff)


#: Step budgets of a same-day procedure must fit between the 15:00 cut-off and the 17:00 close
#: (Decree 23/2015 art. 7 for certification: same day, or the next working day if received after 15:00).
SAME_DAY_STEP_HOURS = Decimal(2)


def budget_limit_hours(procedure: Procedure) -> Decimal | None:
    """Working hours the internal steps may use in total; None when not countable (calendar days)."""
    value = Decimal(procedure.time_value)
    if procedure.time_unit == TimeUnit.WORKING_HOURS:
        return value
    if procedure.time_unit == TimeUnit.WORKING_DAYS:
        if procedure.same_day_cutoff and value == 0:
            return SAME_DAY_STEP_HOURS
        try:
            hours_per_day = calendar_for(procedure).spec.hours_per_day
        except WorktimeError:
            hours_per_day = 8  # DOMAIN §13: 8 working hours per working day
        return value * hours_per_day
    return None
