"""Declarative description of a working calendar (DOMAIN §13), compiled later by `Calendar`.

A spec is plain data: effective-dated schedule periods, each with seasons (month ranges) that give the
sessions of every weekday, plus day overrides taken from official decisions. Nothing here computes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time

from .errors import CalendarSpecError

#: Supported range when a spec does not say otherwise; dates outside are refused.
DEFAULT_FIRST_YEAR = 2015
DEFAULT_LAST_YEAR = 2035


@dataclass(frozen=True, order=True)
class Session:
    """One continuous block of working time in a day, e.g. 07:30–11:30."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise CalendarSpecError("spec_invalid_session", start=self.start, end=self.end)

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    @classmethod
    def parse(cls, text: str) -> Session:
        """Parse '07:30-11:30' (also accepts an en dash)."""
        try:
            left, right = text.replace("–", "-").split("-")
            return cls(time.fromisoformat(left.strip()), time.fromisoformat(right.strip()))
        except CalendarSpecError:
            raise
        except ValueError as exc:
            raise CalendarSpecError("spec_session_syntax", text=text) from exc


DaySessions = tuple[Session, ...]


def _check_day(sessions: DaySessions) -> DaySessions:
    ordered = tuple(sorted(sessions))
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.start < earlier.end:
            raise CalendarSpecError("spec_sessions_overlap", start=earlier.start, end=earlier.end)
    return ordered


@dataclass(frozen=True)
class Season:
    """Sessions per weekday (0 = Monday) for the months listed; weekdays absent are days off."""

    months: frozenset[int]
    week: Mapping[int, DaySessions]

    def __post_init__(self) -> None:
        if not self.months or not self.months <= set(range(1, 13)):
            raise CalendarSpecError("spec_season_months")
        week = {}
        for weekday, sessions in self.week.items():
            if weekday not in range(7):
                raise CalendarSpecError("spec_invalid_weekday", weekday=weekday)
            week[weekday] = _check_day(tuple(sessions))
        object.__setattr__(self, "week", week)

    @property
    def standard_day(self) -> DaySessions:
        """The normal weekday hours, used for make-up working days (DOMAIN §13).

        The sessions that most weekdays share; ties go to the earliest weekday.
        """
        days = [s for _, s in sorted(self.week.items()) if s]
        if not days:
            return ()
        return max(days, key=days.count)


@dataclass(frozen=True)
class SchedulePeriod:
    """Schedule in force from `valid_from` to `valid_to` inclusive (None = open-ended)."""

    valid_from: date
    valid_to: date | None
    seasons: tuple[Season, ...]
    source: str = ""

    def __post_init__(self) -> None:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise CalendarSpecError(
                "spec_period_reversed", valid_from=self.valid_from, valid_to=self.valid_to
            )
        covered: set[int] = set()
        for season in self.seasons:
            if covered & season.months:
                raise CalendarSpecError("spec_seasons_overlap", valid_from=self.valid_from)
            covered |= season.months
        if covered != set(range(1, 13)):
            missing = sorted(set(range(1, 13)) - covered)
            raise CalendarSpecError(
                "spec_months_missing", valid_from=self.valid_from, months=missing
            )

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def season_for(self, day: date) -> Season:
        for season in self.seasons:
            if day.month in season.months:
                return season
        raise CalendarSpecError("spec_no_season", day=day)  # unreachable: checked above


@dataclass(frozen=True)
class DayOverride:
    """An official decision that makes a date a day off or a (make-up) working day."""

    day: date
    working: bool
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class CalendarSpec:
    """Everything needed to build a calendar: schedules, holidays base layer, overrides, range."""

    name: str
    title: str
    periods: tuple[SchedulePeriod, ...]
    overrides: tuple[DayOverride, ...] = ()
    #: Country code for the `holidays` package base layer; None for no statutory holidays.
    holiday_country: str | None = "VN"
    first_year: int = DEFAULT_FIRST_YEAR
    last_year: int = DEFAULT_LAST_YEAR
    #: Working hours that make one working day in `add_days` (practice of provincial systems).
    hours_per_day: int = 8
    overrides_by_day: Mapping[date, DayOverride] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.periods:
            raise CalendarSpecError("spec_no_periods", calendar=self.name)
        if self.first_year > self.last_year:
            raise CalendarSpecError("spec_years_reversed")
        if self.hours_per_day <= 0:
            raise CalendarSpecError("spec_hours_per_day")
        periods = tuple(sorted(self.periods, key=lambda p: p.valid_from))
        for earlier, later in zip(periods, periods[1:], strict=False):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                raise CalendarSpecError("spec_periods_overlap", valid_from=later.valid_from)
        object.__setattr__(self, "periods", periods)
        # The last override listed for a date wins: later layers (database) come after data files.
        by_day = {o.day: o for o in self.overrides}
        object.__setattr__(self, "overrides_by_day", by_day)

    @property
    def first_day(self) -> date:
        return date(self.first_year, 1, 1)

    @property
    def last_day(self) -> date:
        return date(self.last_year, 12, 31)

    def period_for(self, day: date) -> SchedulePeriod | None:
        for period in self.periods:
            if period.covers(day):
                return period
        return None

    def with_overrides(self, extra: Iterable[DayOverride], **changes: object) -> CalendarSpec:
        """A copy with more overrides layered on top (they win on the same date)."""
        return replace(self, overrides=(*self.overrides, *extra), **changes)  # type: ignore[arg-type]
