"""Reading calendar specs from the TOML data files shipped with the engine, and statutory holidays."""

from __future__ import annotations

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
    import holidays  # imported lazily: building its tables takes a moment

    return frozenset(holidays.country_holidays(country, years=range(first_year, last_year + 1)))
