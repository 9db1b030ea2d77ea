"""One deadline question, shared by the calculator page, the API and the `deadline` command."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal, InvalidOperation

from motcua.worktime import SAME_DAY_CUTOFF, TZ, WorktimeError, get_calendar

# Errors are engine errors with a code (motcua/worktime/messages.py), so that each surface shows them
# in its reader's language while the command line keeps the Vietnamese `str(exc)`.
_UNITS = {"giờ": "hours", "ngày": "days", "phút": "minutes"}


def parse_start(text: str) -> datetime:
    """ISO 8601 date or date-time; naive means local (Asia/Ho_Chi_Minh)."""
    value = (text or "").strip()
    if not value:
        raise WorktimeError("missing_start")
    try:
        moment = datetime.fromisoformat(value.replace(" ", "T", 1) if "T" not in value else value)
    except ValueError:
        raise WorktimeError("invalid_start", value=value) from None
    return moment


def parse_amount(text: str | float | int | None, label: str) -> Decimal | None:
    """A non-negative finite number, or None when absent.

    `label` is the unit: "hours" / "days" (or the Vietnamese "giờ" / "ngày" of older callers).
    """
    unit = _UNITS.get(label, label)
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise WorktimeError("invalid_number", unit=unit, value=text) from None
    if not value.is_finite():
        raise WorktimeError("not_finite_input", unit=unit, value=text)
    if value < 0:
        raise WorktimeError("negative", unit=unit)
    return value


@dataclass(frozen=True)
class DeadlineAnswer:
    calendar: str
    start: datetime
    due: datetime
    working_minutes: int

    def as_json(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "working_minutes": self.working_minutes,
            "calendar": self.calendar,
        }


def compute(
    *,
    start: datetime,
    hours: Decimal | None = None,
    days: Decimal | None = None,
    calendar: str = "hue",
    end_of_day: bool = False,
    same_day_cutoff: bool = False,
) -> DeadlineAnswer:
    """Due time for a procedure time given in working hours or working days."""
    if (hours is None) == (days is None):
        raise WorktimeError("hours_or_days")
    cal = get_calendar(calendar)
    cutoff: time | None = SAME_DAY_CUTOFF if same_day_cutoff else None
    if days is not None:
        if end_of_day:
            if days != days.to_integral_value():
                raise WorktimeError("end_of_day_whole_days")
            due = cal.add_days(start, int(days), end_of_day=True, cutoff=cutoff)
        else:
            # One working day = the calendar's hours per day (8 h, practice of provincial systems).
            hours = days * cal.spec.hours_per_day
    if hours is not None:
        minutes = hours * 60
        if minutes != minutes.to_integral_value():
            raise WorktimeError("whole_minutes")
        due = cal.add(start, minutes=int(minutes), cutoff=cutoff)
    aware_start = start.astimezone(TZ) if start.tzinfo else start.replace(tzinfo=TZ)
    return DeadlineAnswer(
        calendar=cal.name,
        start=aware_start.replace(second=0, microsecond=0),
        due=due,
        working_minutes=cal.working_minutes(start, due),
    )
