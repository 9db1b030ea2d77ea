"""Reading calendar specs from the TOML data files shipped with the engine, and statutory holidays."""

from __future__ import annotations

import importlib.util
import json
import os
import tomllib
from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import CalendarSpecError, UnknownCalendarError
from .spec import CalendarSpec, DayOverride, SchedulePeriod, Season, Session

DATA_DIR = Path(__file__).with_name("data")


def builtin_names() -> list[str]:
    """Names of the calendars shipped as data files (override files are not calendars)."""
    return sorted(p.stem for p in DATA_DIR.glob("*.toml") if "period" in _read(p.stem))


@lru_cache(maxsize=32)
def _read(stem: str) -> dict[str, Any]:
    path = DATA_DIR / f"{stem}.toml"
    if not path.is_file():
        raise UnknownCalendarError("unknown_calendar", calendar=stem)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CalendarSpecError("spec_syntax", file=path.name, error=str(exc)) from exc


def _day_range(text: str) -> Iterator[date]:
    first, _, last = text.partition("/")
    day, end = date.fromisoformat(first), date.fromisoformat(last or first)
    if end < day:
        raise CalendarSpecError("spec_reversed_range", text=text)
    while day <= end:
        yield day
        day += timedelta(days=1)


def load_overrides(stem: str) -> tuple[DayOverride, ...]:
    """Day overrides from a data file: yearly blocks of day-off ranges and make-up working days."""
    data = _read(stem)
    out: list[DayOverride] = []
    for block in data.get("year", []):
        source = block.get("source", "")
        for text in block.get("off", []):
            out.extend(DayOverride(d, False, source) for d in _day_range(text))
        for text in block.get("working", []):
            out.extend(DayOverride(d, True, source) for d in _day_range(text))
    for item in data.get("override", []):
        out.append(
            DayOverride(
                item["date"], bool(item["working"]), item.get("source", ""), item.get("note", "")
            )
        )
    return tuple(out)


def parse_season(raw: dict[str, Any]) -> Season:
    sessions = tuple(Session.parse(s) for s in raw.get("sessions", []))
    week = {int(d): sessions for d in raw.get("weekdays", [])}
    for weekday, day_sessions in raw.get("sessions_by_weekday", {}).items():
        week[int(weekday)] = tuple(Session.parse(s) for s in day_sessions)
    return Season(frozenset(raw["months"]), week)


def load_builtin(name: str) -> CalendarSpec:
    """The spec of a built-in calendar, with its override files layered in order."""
    data = _read(name)
    if "period" not in data:
        raise UnknownCalendarError("unknown_calendar", calendar=name)
    try:
        periods = tuple(
            SchedulePeriod(
                valid_from=p["valid_from"],
                valid_to=p.get("valid_to"),
                seasons=tuple(parse_season(s) for s in p["season"]),
                source=p.get("source", ""),
            )
            for p in data["period"]
        )
    except KeyError as exc:
        raise CalendarSpecError(
            "spec_missing_field", file=f"{name}.toml", field=exc.args[0]
        ) from exc
    overrides = tuple(o for stem in data.get("overrides", []) for o in load_overrides(stem))
    return CalendarSpec(
        name=data.get("name", name),
        title=data.get("title", name),
        periods=periods,
        overrides=overrides,
        holiday_country=data.get("holiday_country"),
        first_year=data.get("first_year", 2015),
        last_year=data.get("last_year", 2035),
        hours_per_day=data.get("hours_per_day", 8),
    )


@lru_cache(maxsize=16)
def statutory_holidays(country: str | None, first_year: int, last_year: int) -> frozenset[date]:
    """Public holidays of the `holidays` package, the base layer under official overrides."""
    if not country:
        return frozenset()
    cache = _holidays_cache_file(country, first_year, last_year)
    if cache is not None:
        try:
            return frozenset(
                date.fromisoformat(d) for d in json.loads(cache.read_text(encoding="utf-8"))
            )
        except (OSError, ValueError, TypeError):
            pass  # no cache yet (or unreadable): compute, then try to keep it
    import holidays  # imported lazily: importing it and building its tables takes a moment

    days = frozenset(holidays.country_holidays(country, years=range(first_year, last_year + 1)))
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            temporary = cache.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(sorted(d.isoformat() for d in days)), "utf-8")
            os.replace(temporary, cache)
        except OSError:
            pass  # a read-only home: the next process computes them again
    return days


def _holidays_cache_file(country: str, first_year: int, last_year: int) -> Path | None:
    """Where the statutory holidays of one installed `holidays` version are kept between processes.

    Issue 17: importing `holidays` and building a country's tables costs a command ~0.2 s for a
    microsecond calculation. The file is named by the package's installed version (its
    dist-info, found without importing it), so an upgrade of `holidays` is never served stale
    dates. `MOTCUA_HOLIDAYS_CACHE_DIR` moves it (default `~/.cache/motcua`); "off" disables.
    """
    base = os.environ.get("MOTCUA_HOLIDAYS_CACHE_DIR", "")
    if base == "off":
        return None
    spec = importlib.util.find_spec("holidays")
    if spec is None or not spec.origin:
        return None
    dists = list(Path(spec.origin).parent.parent.glob("holidays-*.dist-info"))
    if len(dists) != 1:
        return None
    version = dists[0].name.removeprefix("holidays-").removesuffix(".dist-info")
    if not base:
        base = str(Path.home() / ".cache" / "motcua")
    safe = "".join(c for c in f"{country}-{first_year}-{last_year}" if c.isalnum() or c == "-")
    return Path(base) / f"holidays-{version}-{safe}.json"
