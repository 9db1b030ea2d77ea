"""Working-time engine: legal deadlines counted in working time on official calendars (DOMAIN §13).

Pure Python + numpy, no Django. Public API (stable; other modules and tools depend on it):

- `get_calendar(name) -> Calendar`
- `Calendar.add(start, *, hours=0, minutes=0, cutoff=None) -> datetime`
- `Calendar.add_days(start, days, *, end_of_day=False, cutoff=None) -> datetime`
- `Calendar.working_minutes(start, end) -> int`
- `Calendar.add_many(starts: datetime64[m], minutes: int array) -> datetime64[m]`
"""

from .calendar import TZ, Calendar, from_local_minutes, to_local_minutes
from .errors import CalendarSpecError, OutOfRangeError, UnknownCalendarError, WorktimeError
from .registry import calendar_names, clear_cache, compile_spec, configure, get_calendar
from .spec import CalendarSpec, DayOverride, SchedulePeriod, Season, Session

#: The same-day cut-off of DOMAIN §4 (received after 15:00 → counted from the next working morning).
SAME_DAY_CUTOFF = __import__("datetime").time(15, 0)

__all__ = [
    "SAME_DAY_CUTOFF",
    "TZ",
    "Calendar",
    "CalendarSpec",
    "CalendarSpecError",
    "DayOverride",
    "OutOfRangeError",
    "SchedulePeriod",
    "Season",
    "Session",
    "UnknownCalendarError",
    "WorktimeError",
    "calendar_names",
    "clear_cache",
    "compile_spec",
    "configure",
    "from_local_minutes",
    "get_calendar",
    "to_local_minutes",
]
