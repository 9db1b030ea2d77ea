"""The compiled working calendar: deadline arithmetic in working minutes (DOMAIN §13).

A `CalendarSpec` is expanded once into a sorted list of working sessions over the supported range, each
with the working minutes elapsed before it. Every operation is then a binary search: `bisect` on Python
lists for single values, `numpy.searchsorted` for bulk recomputation (`add_many`).

Time is counted to the minute in Asia/Ho_Chi_Minh wall-clock time (no daylight saving since 1975);
seconds are ignored.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from functools import cached_property
from numbers import Real
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .errors import OutOfRangeError, WorktimeError
from .spec import CalendarSpec, DaySessions

if TYPE_CHECKING:
    import numpy as np

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_EPOCH = date(1970, 1, 1).toordinal()  # minute 0 = 1970-01-01 00:00 local, as numpy's datetime64[m]
_DAY = 1440


def to_local_minutes(moment: datetime | date) -> int:
    """Minutes since 1970-01-01 00:00 local time; naive datetimes are local, aware ones converted."""
    if type(moment) is datetime and moment.tzinfo is None:  # the common case, kept cheap
        return (moment.toordinal() - _EPOCH) * _DAY + moment.hour * 60 + moment.minute
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(TZ)
        return (moment.toordinal() - _EPOCH) * _DAY + moment.hour * 60 + moment.minute
    if isinstance(moment, date):
        return (moment.toordinal() - _EPOCH) * _DAY
    raise WorktimeError("invalid_moment", value=moment)


_EPOCH_AWARE = datetime(1970, 1, 1, tzinfo=TZ)


def from_local_minutes(minutes: int) -> datetime:
    """The aware (+07:00) datetime for a minute count of `to_local_minutes`."""
    # Aware + timedelta is wall-clock arithmetic: the offset is looked up for the result's own
    # wall time, so this is exact for every date in the supported range.
    return _EPOCH_AWARE + timedelta(minutes=minutes)


def _duration_minutes(hours: object, minutes: object) -> int:
    """Validate a duration given in hours and minutes; returns whole minutes."""
    if type(hours) is int and type(minutes) is int and hours >= 0 and minutes >= 0:
        return hours * 60 + minutes  # fast path: whole numbers need no further checks
    total = 0.0
    for value, per, unit in ((hours, 60, "hours"), (minutes, 1, "minutes")):
        if isinstance(value, bool) or not isinstance(value, Real):
            raise WorktimeError("not_a_number", unit=unit, value=value)
        if not math.isfinite(value):
            raise WorktimeError("not_finite", unit=unit)
        if value < 0:
            raise WorktimeError("negative", unit=unit)
        total += float(value) * per
    if abs(total - round(total)) > 1e-6:
        raise WorktimeError("whole_minutes")
    return round(total)


class Calendar:
    """A working calendar compiled from a spec; immutable and safe to share between threads."""

    def __init__(self, spec: CalendarSpec, statutory_holidays: frozenset[date] = frozenset()):
        self.spec = spec
        self.name = spec.name
        self.statutory_holidays = statutory_holidays
        starts: list[int] = []
        ends: list[int] = []
        session_day: list[int] = []  # index into the working-day lists below
        day_ordinals: list[int] = []
        day_first_session: list[int] = []
        for day, sessions in self._expand():
            base = (day.toordinal() - _EPOCH) * _DAY
            day_first_session.append(len(starts))
            for session in sessions:
                starts.append(base + session.start.hour * 60 + session.start.minute)
                ends.append(base + session.end.hour * 60 + session.end.minute)
                session_day.append(len(day_ordinals))
            day_ordinals.append(day.toordinal())
        if not starts:
            raise WorktimeError("no_working_hours", calendar=spec.name)
        cum = [0]
        for s, e in zip(starts, ends, strict=True):
            cum.append(cum[-1] + e - s)
        self._starts, self._ends = starts, ends
        self._cum = cum[:-1]  # working minutes before each session starts
        self._cum_end = cum[1:]  # working minutes at each session's end
        self._session_day = session_day
        self._day_ordinals = day_ordinals
        self._day_first_session = day_first_session
        self._range_start = (spec.first_day.toordinal() - _EPOCH) * _DAY
        self._range_end = (spec.last_day.toordinal() + 1 - _EPOCH) * _DAY

    @cached_property
    def _np_tables(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The session tables as numpy arrays, built on the first `add_many` (issue 17: numpy is
        imported only by the bulk path, so a command that adds one deadline starts faster)."""
        import numpy as np

        starts, ends, cum, cum_end = (
            np.asarray(values, dtype=np.int64)
            for values in (self._starts, self._ends, self._cum, self._cum_end)
        )
        return starts, ends, cum, cum_end

    @property
    def _np_starts(self) -> np.ndarray:
        return self._np_tables[0]

    @property
    def _np_ends(self) -> np.ndarray:
        return self._np_tables[1]

    # -- the calendar itself ------------------------------------------------------------------
    def _expand(self) -> Iterator[tuple[date, DaySessions]]:
        day, last = self.spec.first_day, self.spec.last_day
        while day <= last:
            sessions = self.sessions_on(day)
            if sessions:
                yield day, sessions
            day += timedelta(days=1)

    def sessions_on(self, day: date) -> DaySessions:
        """The working sessions of a date, after holidays and official overrides (empty = day off)."""
        spec = self.spec
        period = spec.period_for(day)
        if period is None:
            return ()
        season = period.season_for(day)
        override = spec.overrides_by_day.get(day)
        if override is not None:
            if not override.working:
                return ()
            # A make-up working day counts with the normal weekday hours (DOMAIN §13).
            return season.week.get(day.weekday()) or season.standard_day
        if day in self.statutory_holidays:
            return ()
        return season.week.get(day.weekday(), ())

    def is_working_day(self, day: date) -> bool:
        self._check_day(day)
        return bool(self.sessions_on(day))

    # -- scalar operations ------------------------------------------------------------------
    def _check_day(self, day: date) -> None:
        if not self.spec.first_day <= day <= self.spec.last_day:
            raise OutOfRangeError(
                "out_of_range",
                day=day,
                calendar=self.name,
                first_day=self.spec.first_day,
                last_day=self.spec.last_day,
            )

    def _minute(self, moment: datetime | date) -> int:
        t = to_local_minutes(moment)
        if not self._range_start <= t < self._range_end:
            self._check_day(date.fromordinal(_EPOCH + t // _DAY))
        return t

    def _session_at_or_after(self, t: int) -> int:
        """Index of the session containing t, or the next one; t at a session end is 'after' it."""
        i = bisect_right(self._ends, t)
        if i == len(self._ends):
            raise OutOfRangeError("no_more_working_hours", calendar=self.name)
        return i

    def _open(self, t: int, cutoff: time | None) -> tuple[int, int]:
        """Move t to working time: (minute, session index). Applies the same-day cut-off if given."""
        i = self._session_at_or_after(t)
        t = max(t, self._starts[i])
        if cutoff is not None and t % _DAY > cutoff.hour * 60 + cutoff.minute:
            # DOMAIN §4: received after the cut-off (15:00) → counts from the next working morning.
            day = self._session_day[i] + 1
            if day == len(self._day_first_session):
                raise OutOfRangeError("no_more_working_days", calendar=self.name)
            i = self._day_first_session[day]
            t = self._starts[i]
        return t, i

    def _position(self, t: int, i: int) -> int:
        """Working minutes elapsed up to t, which lies inside session i."""
        return self._cum[i] + t - self._starts[i]

    def _at_position(self, target: int) -> int:
        """The earliest minute at which `target` working minutes have elapsed (session ends stay)."""
        j = bisect_left(self._cum_end, target)
        if j == len(self._cum_end):
            raise OutOfRangeError("due_out_of_range", calendar=self.name)
        return self._starts[j] + target - self._cum[j]

    def next_opening(self, start: datetime | date) -> datetime:
        """`start` itself if it is working time, otherwise the next opening."""
        t, _ = self._open(self._minute(start), None)
        return from_local_minutes(t)

    def is_working_time(self, moment: datetime) -> bool:
        t = self._minute(moment)
        i = bisect_right(self._starts, t) - 1
        return i >= 0 and t < self._ends[i]

    def add(
        self,
        start: datetime | date,
        *,
        hours: float = 0,
        minutes: float = 0,
        cutoff: time | None = None,
    ) -> datetime:
        """Due time after `hours` + `minutes` of working time counted from `start`."""
        # The common case (whole numbers, naive local start, no cut-off) is inlined: this is the
        # call that recomputes deadlines one at a time, so it avoids helper-call overhead.
        if type(hours) is int and type(minutes) is int and hours >= 0 and minutes >= 0:
            amount = hours * 60 + minutes
        else:
            amount = _duration_minutes(hours, minutes)
        if type(start) is datetime and start.tzinfo is None:
            t = (start.toordinal() - _EPOCH) * _DAY + start.hour * 60 + start.minute
            if not self._range_start <= t < self._range_end:
                t = self._minute(start)  # raises OutOfRangeError
        else:
            t = self._minute(start)
        if cutoff is None:
            i = bisect_right(self._ends, t)
            if i == len(self._ends):
                raise OutOfRangeError("no_more_working_hours", calendar=self.name)
            opening = self._starts[i]
            if t < opening:
                t = opening
        else:
            t, i = self._open(t, cutoff)
        if amount:
            t = self._at_position(self._cum[i] + t - self._starts[i] + amount)
        return _EPOCH_AWARE + timedelta(minutes=t)

    def add_days(
        self,
        start: datetime | date,
        days: int,
        *,
        end_of_day: bool = False,
        cutoff: time | None = None,
    ) -> datetime:
        """Due time after `days` working days.

        By default one working day is `hours_per_day` (8) working hours, so the due time keeps the
        clock time of the reception. With `end_of_day=True` the due time is the close of the Nth
        working day after the reception day (N = 0: the close of the reception day itself, the
        "same-day" procedures).
        """
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise WorktimeError("invalid_days")
        if not end_of_day:
            return self.add(start, hours=days * self.spec.hours_per_day, cutoff=cutoff)
        _, i = self._open(self._minute(start), cutoff)
        day = self._session_day[i] + days
        if day >= len(self._day_first_session):
            raise OutOfRangeError("due_out_of_range", calendar=self.name)
        last_session = (
            self._day_first_session[day + 1] - 1
            if day + 1 < len(self._day_first_session)
            else len(self._ends) - 1
        )
        return from_local_minutes(self._ends[last_session])

    def working_minutes(self, start: datetime | date, end: datetime | date) -> int:
        """Working minutes between two instants (negative when `end` is before `start`)."""
        return self._elapsed(self._minute(end)) - self._elapsed(self._minute(start))

    def _elapsed(self, t: int) -> int:
        i = bisect_right(self._starts, t) - 1
        if i < 0:
            return 0
        return self._cum[i] + min(t - self._starts[i], self._ends[i] - self._starts[i])

    # -- bulk operations --------------------------------------------------------------------
    def add_many(self, starts: np.ndarray, minutes: np.ndarray) -> np.ndarray:
        """Vectorised `add`: `starts` as datetime64[m] local wall-clock, `minutes` integers ≥ 0.

        Returns datetime64[m] local wall-clock due times, element for element equal to `add`.
        """
        import numpy as np

        np_starts, np_ends, np_cum, np_cum_end = self._np_tables
        starts = np.asarray(starts)
        if starts.dtype.kind != "M":
            raise WorktimeError("starts_not_datetime64")
        t = starts.astype("datetime64[m]").astype(np.int64)
        amount = np.asarray(minutes)
        if amount.dtype.kind not in "iu":
            raise WorktimeError("minutes_not_integer")
        amount = np.broadcast_to(amount.astype(np.int64, copy=False), t.shape)
        if t.size == 0:
            return t.astype("datetime64[m]")
        if np.isnat(starts).any():
            raise WorktimeError("starts_nat")
        if amount.min() < 0:
            raise WorktimeError("negative", unit="minutes")
        if t.min() < self._range_start or t.max() >= self._range_end:
            bad = t[(t < self._range_start) | (t >= self._range_end)][0]
            self._check_day(date.fromordinal(_EPOCH + int(bad) // _DAY))
        i = np.searchsorted(np_ends, t, side="right")
        if i.max() == len(self._ends):
            raise OutOfRangeError("no_more_working_hours", calendar=self.name)
        opened = np.maximum(t, np_starts[i])
        target = np_cum[i] + (opened - np_starts[i]) + amount
        j = np.searchsorted(np_cum_end, target, side="left")
        if j.max() == len(self._cum_end):
            raise OutOfRangeError("due_out_of_range", calendar=self.name)
        due = np_starts[j] + (target - np_cum[j])
        # Zero duration: the opening itself, not the end of the previous session.
        due = np.where(amount == 0, opened, due)
        return due.astype("datetime64[m]")

    def __repr__(self) -> str:
        return f"<Calendar {self.name} {self.spec.first_year}–{self.spec.last_year}>"
