"""Finding calendars by name: built-in data files, optionally extended by a provider (the database).

The Django app `motcua.calendars` installs a provider so that administrators' calendars and official
overrides entered in the admin apply without a code release; the engine itself stays Django-free.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from .calendar import Calendar
from .loader import builtin_names, load_builtin, statutory_holidays
from .spec import CalendarSpec

SpecProvider = Callable[[str], CalendarSpec | None]

_lock = threading.Lock()
_cache: dict[str, tuple[Hashable, Calendar]] = {}
_provider: SpecProvider | None = None
_names_provider: Callable[[], list[str]] | None = None


def _revision() -> Hashable:
    return None


def configure(
    *,
    provider: SpecProvider | None,
    names: Callable[[], list[str]] | None = None,
    revision: Callable[[], Hashable] | None = None,
) -> None:
    """Install a spec provider; `revision()` changes whenever the provider's data changes."""
    global _provider, _names_provider, _revision
    with _lock:
        _provider, _names_provider = provider, names
        _revision = revision or (lambda: None)
        _cache.clear()


def compile_spec(spec: CalendarSpec) -> Calendar:
    """Build a calendar from a spec, with the statutory holidays of its country as the base layer."""
    return Calendar(spec, statutory_holidays(spec.holiday_country, spec.first_year, spec.last_year))


def get_calendar(name: str) -> Calendar:
    """The calendar called `name`; raises UnknownCalendarError if there is none."""
    revision = _revision()
    cached = _cache.get(name)
    if cached is not None and cached[0] == revision:
        return cached[1]
    spec = _provider(name) if _provider is not None else None
    calendar = compile_spec(spec if spec is not None else load_builtin(name))
    with _lock:
        _cache[name] = (revision, calendar)
    return calendar


def calendar_names() -> list[str]:
    """Every calendar name that `get_calendar` accepts."""
    names = set(builtin_names())
    if _names_provider is not None:
        names.update(_names_provider())
    return sorted(names)


def clear_cache() -> None:
    with _lock:
        _cache.clear()
