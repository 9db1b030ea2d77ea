"""Local calendar dates and months of timestamps, computed in SQL (PostgreSQL and SQLite).

Used by the dossier model's stored `finished_on` / `due_on` columns and by the reports. Kept in
core so that the dossiers app does not depend on the reports app.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import cache

from django.db.models import CharField, DateField, Func
from django.db.models.functions import TruncDate
from django.utils import timezone


@cache
def fixed_offset_minutes(tzname: str) -> int | None:
    """The zone's UTC offset in minutes if it is constant from 1976 to 2100, else None.

    Viet Nam has kept +07:00 since 13 June 1975, so SQLite can use its native `date(x, '+420
    minutes')` instead of Django's per-row Python function (which is ~20x slower).
    """
    zone = timezone.get_default_timezone()
    offsets = {
        datetime(year, month, 1, 12, tzinfo=zone).utcoffset()
        for year in range(1976, 2101)
        for month in (1, 4, 7, 10)
    }
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    return int(offset.total_seconds() // 60)


@cache
def _zone_for(tzname: str) -> tzinfo:
    offset = fixed_offset_minutes(tzname)
    if offset is None:
        return timezone.get_default_timezone()
    return timezone.get_fixed_timezone(offset)


def local_zone() -> tzinfo:
    """The default zone, as one fixed-offset object when its offset has not changed since 1976
    (Viet Nam: +07:00). Times that share this object compare and convert without the zone's
    arithmetic (≈ 10× cheaper than through ZoneInfo): the dossier import parses into it and the
    daily figures take local dates in it (issue 17)."""
    return _zone_for(timezone.get_default_timezone_name())


class LocalDate(Func):
    """The calendar date of a timestamp in the default time zone (Asia/Ho_Chi_Minh)."""

    arity = 1
    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL: (x AT TIME ZONE 'Asia/Ho_Chi_Minh')::date — native and index-friendly.
        trunc = TruncDate(self.source_expressions[0], tzinfo=timezone.get_default_timezone())
        return compiler.compile(trunc)

    def as_sqlite(self, compiler, connection, **extra_context):
        offset = fixed_offset_minutes(timezone.get_default_timezone_name())
        if offset is None:  # a zone with daylight saving: fall back to Django's function
            return self.as_sql(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.source_expressions[0])
        # Django stores UTC as 'YYYY-MM-DD HH:MM:SS[.ffffff]'. SQLite's date() rounds fractions to
        # milliseconds (23:59:59.9996 would become the next day), so cut them off first.
        return f"date(substr({sql}, 1, 19), %s)", (*params, f"{offset:+d} minutes")


class LocalMonth(Func):
    """'YYYY-MM' of a timestamp in the default time zone (for monthly and quarterly groups)."""

    arity = 1
    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        zone = timezone.get_default_timezone_name()
        return f"to_char(({sql}) AT TIME ZONE %s, 'YYYY-MM')", (*params, zone)

    def as_sqlite(self, compiler, connection, **extra_context):
        offset = fixed_offset_minutes(timezone.get_default_timezone_name())
        if offset is None:
            raise NotImplementedError("LocalMonth on SQLite needs a fixed-offset time zone")
        sql, params = compiler.compile(self.source_expressions[0])
        return f"strftime('%%Y-%%m', substr({sql}, 1, 19), %s)", (*params, f"{offset:+d} minutes")
