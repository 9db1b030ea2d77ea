"""Errors raised by the working-time engine; messages are Vietnamese first (the users' language)."""


class WorktimeError(ValueError):
    """Base class: bad input to the engine. `str(err)` is a one-line reason fit for a user."""


class OutOfRangeError(WorktimeError):
    """A date outside the calendar's supported range: an error, never a guess."""


class UnknownCalendarError(WorktimeError):
    """No calendar with that name."""


class CalendarSpecError(WorktimeError):
    """A calendar definition (data file or database rows) is inconsistent."""
