"""The legal due time of a procedure counted on its working calendar (DOMAIN §4, §13)."""

from __future__ import annotations

from datetime import datetime, timedelta

from motcua.worktime import SAME_DAY_CUTOFF, Calendar, get_calendar

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
