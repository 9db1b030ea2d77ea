"""A slow, obvious reference: step through time one minute at a time (for property tests only)."""

from datetime import datetime, timedelta
from functools import cache

from motcua.worktime import TZ, Calendar

ONE = timedelta(minutes=1)


def _working_minute_checker(calendar: Calendar):
    @cache
    def day_sessions(day):
        return [
            (s.start.hour * 60 + s.start.minute, s.end.hour * 60 + s.end.minute)
            for s in calendar.sessions_on(day)
        ]

    def is_working(t: datetime) -> bool:
        """Is the minute [t, t+1) inside a working session?"""
        m = t.hour * 60 + t.minute
        return any(a <= m < b for a, b in day_sessions(t.date()))

    return is_working


def ref_add(calendar: Calendar, start: datetime, minutes: int) -> datetime:
    is_working = _working_minute_checker(calendar)
    t = start.replace(second=0, microsecond=0, tzinfo=None)
    while not is_working(t):
        t += ONE
    counted = 0
    while counted < minutes:
        if is_working(t):
            counted += 1
        t += ONE
    return t.replace(tzinfo=TZ)


def ref_working_minutes(calendar: Calendar, start: datetime, end: datetime) -> int:
    is_working = _working_minute_checker(calendar)
    t = start.replace(second=0, microsecond=0, tzinfo=None)
    end = end.replace(second=0, microsecond=0, tzinfo=None)
    counted = 0
    while t < end:
        counted += is_working(t)
        t += ONE
    return counted
