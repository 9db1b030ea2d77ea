"""Every row of the official public-sector schedule (DOMAIN §13) on the built-in `hue` calendar."""

from datetime import date, timedelta

import pytest


def days(first: str, last: str | None = None):
    day, end = date.fromisoformat(first), date.fromisoformat(last or first)
    while day <= end:
        yield day
        day += timedelta(days=1)


# DOMAIN §13 table: year → (days off, make-up working days)
OFFICIAL = {
    2023: (
        [
            ("2023-01-02",),
            ("2023-01-20", "2023-01-26"),
            ("2023-04-29", "2023-05-03"),
            ("2023-09-01", "2023-09-04"),
        ],
        [],
    ),
    2024: (
        [
            ("2024-01-01",),
            ("2024-02-08", "2024-02-14"),
            ("2024-04-18",),
            ("2024-04-27", "2024-05-01"),
            ("2024-08-31", "2024-09-03"),
        ],
        ["2024-05-04"],
    ),
    2025: (
        [
            ("2025-01-01",),
            ("2025-01-25", "2025-02-02"),
            ("2025-04-07",),
            ("2025-04-30", "2025-05-04"),
            ("2025-08-30", "2025-09-02"),
        ],
        ["2025-04-26"],
    ),
    2026: (
        [
            ("2026-01-01", "2026-01-04"),
            ("2026-02-14", "2026-02-22"),
            ("2026-04-25", "2026-04-27"),
            ("2026-04-30", "2026-05-03"),
            ("2026-08-29", "2026-09-02"),
        ],
        ["2026-01-10", "2026-08-22"],
    ),
}


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_every_official_day_off_is_off(hue, year):
    off, _ = OFFICIAL[year]
    for span in off:
        for day in days(*span):
            assert not hue.is_working_day(day), day


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_make_up_saturdays_work_with_normal_weekday_hours(hue, year):
    _, working = OFFICIAL[year]
    for text in working:
        day = date.fromisoformat(text)
        assert day.weekday() == 5
        next_monday = day + timedelta(days=2)
        assert hue.sessions_on(day) == hue.sessions_on(next_monday) != ()


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_all_other_weekdays_are_working_and_other_weekends_off(hue, year):
    off, working = OFFICIAL[year]
    listed_off = {d for span in off for d in days(*span)}
    listed_working = {date.fromisoformat(t) for t in working}
    for day in days(f"{year}-01-01", f"{year}-12-31"):
        expected = day in listed_working or (day.weekday() < 5 and day not in listed_off)
        assert hue.is_working_day(day) is expected, day


def test_swapped_days_of_2026_follow_the_official_decision_not_the_package(hue):
    assert not hue.is_working_day(date(2026, 1, 2))  # New Year swap, missing from `holidays`
    assert hue.is_working_day(date(2026, 1, 10))
    # 24/11 "Vietnam Culture Day": listed by the package, not in the official 2026 schedule.
    assert hue.is_working_day(date(2026, 11, 24))


def test_years_without_an_official_table_use_statutory_holidays(hue):
    assert not hue.is_working_day(date(2019, 9, 2))  # National Day
    assert not hue.is_working_day(date(2030, 1, 1))
    assert not hue.is_working_day(date(2030, 2, 4))  # Tết 2030 (lunar, from the package)
    assert hue.is_working_day(date(2030, 1, 2))
