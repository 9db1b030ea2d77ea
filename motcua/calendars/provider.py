"""Builds engine calendar specs from data files + database rows, for `motcua.worktime`."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Hashable
from datetime import date

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError

from motcua.worktime import CalendarSpec, DayOverride, SchedulePeriod, Season
from motcua.worktime.loader import builtin_names, load_builtin

from . import models

# The revision is cached per process (issue 17: a deadline used to cost a query per call, 90 % of
# its time). A change saved through the ORM in this process invalidates it at once (signals, see
# apps.py); other processes see it after at most MOTCUA_CALENDAR_RECHECK_SECONDS.
_lock = threading.Lock()
_known: Hashable = None
_checked_at = float("-inf")


def invalidate(**_kwargs: object) -> None:
    """Forget the cached revision: the next `revision()` asks the database again."""
    global _checked_at
    with _lock:
        _checked_at = float("-inf")


def revision() -> Hashable:
    """The calendars' revision, read from the database at most every few seconds per process."""
    global _known, _checked_at
    now = time.monotonic()
    if now - _checked_at < settings.MOTCUA_CALENDAR_RECHECK_SECONDS:
        return _known
    current = query_revision()
    with _lock:
        _known, _checked_at = current, now
    return current


def query_revision() -> Hashable:
    """Changes whenever any calendar row changes: one query, so every process sees new decisions."""
    parts = []
    for model in (models.WorkCalendar, models.SchedulePeriod, models.DayOverride):
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"SELECT COUNT(*), MAX(updated_at) FROM {table}")  # nosec B608  # quoted model table
    sql = " UNION ALL ".join(parts)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return tuple(tuple(row) for row in cursor.fetchall())
    except DatabaseError:
        # Tables not migrated yet (first `migrate`): the built-in data still works.
        return None


def names() -> list[str]:
    try:
        return list(models.WorkCalendar.objects.values_list("name", flat=True))
    except DatabaseError:
        return []


def _national_overrides() -> list[DayOverride]:
    rows = models.DayOverride.objects.filter(calendar__isnull=True).order_by("date")
    return [_override(row) for row in rows]


def _override(row: models.DayOverride) -> DayOverride:
    return DayOverride(row.date, row.working, row.source_document, row.note)


def _periods(calendar: models.WorkCalendar) -> tuple[SchedulePeriod, ...]:
    grouped: dict[tuple[date, date | None], list[models.SchedulePeriod]] = defaultdict(list)
    sources: dict[tuple[date, date | None], str] = {}
    for row in calendar.periods.all():
        key = (row.valid_from, row.valid_to)
        grouped[key].append(row)
        sources[key] = sources.get(key) or row.source
    periods = []
    for (valid_from, valid_to), rows in sorted(grouped.items(), key=lambda item: item[0][0]):
        seasons = tuple(
            Season(
                frozenset(row.month_list()),
                {weekday: tuple(row.session_list()) for weekday in row.weekday_list()},
            )
            for row in rows
        )
        periods.append(
            SchedulePeriod(valid_from, valid_to, seasons, sources[(valid_from, valid_to)])
        )
    return tuple(periods)


def spec_for(name: str) -> CalendarSpec | None:
    """The spec for `name` with database layers applied, or None to use the built-in file as is.

    Layers, later wins on the same date: built-in file overrides → national overrides in the
    database → this calendar's own overrides.
    """
    try:
        calendar = models.WorkCalendar.objects.filter(name=name).first()
        national = _national_overrides()
    except DatabaseError:
        return None
    if calendar is None:
        if name not in builtin_names():
            return None
        return load_builtin(name).with_overrides(national)
    base = load_builtin(calendar.base) if calendar.base else None
    own_periods = _periods(calendar)
    periods = own_periods or (base.periods if base else ())
    own = [_override(row) for row in calendar.overrides.order_by("date")]
    return CalendarSpec(
        name=calendar.name,
        title=calendar.title,
        periods=periods,
        overrides=(*(base.overrides if base else ()), *national, *own),
        holiday_country=calendar.holiday_country or None,
        hours_per_day=calendar.hours_per_day,
    )
