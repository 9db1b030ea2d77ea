"""Deadline arithmetic: the boundary cases of DOMAIN §13 and the semantics of the public API."""

from datetime import UTC, date, datetime, time

import numpy as np
import pytest

from motcua.worktime import (
    SAME_DAY_CUTOFF,
    TZ,
    CalendarSpec,
    CalendarSpecError,
    OutOfRangeError,
    SchedulePeriod,
    Season,
    Session,
    UnknownCalendarError,
    WorktimeError,
    compile_spec,
)
from motcua.worktime.loader import load_builtin


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        # DOMAIN §13 example: 16 working hours from Monday 10:00 → Wednesday 10:00.
        ("2025-03-10T10:00", 16, "2025-03-12T10:00"),
        # Before opening: counts from 07:30.
        ("2025-03-10T06:00", 1, "2025-03-10T08:30"),
        # During lunch: counts from 13:00.
        ("2025-03-10T12:00", 1, "2025-03-10T14:00"),
        # A due time exactly at a session end stays there (11:30, not 13:00).
        ("2025-03-10T07:30", 4, "2025-03-10T11:30"),
        ("2025-03-10T09:30", 2, "2025-03-10T11:30"),
        # Starting exactly at a session end counts from the next opening.
        ("2025-03-10T11:30", 1, "2025-03-10T14:00"),
        # After closing: next working morning; Friday evening → Monday.
        ("2025-03-10T17:30", 1, "2025-03-11T08:30"),
        ("2025-03-14T17:00", 2, "2025-03-17T09:30"),
        # Weekend start.
        ("2025-03-15T10:00", 8, "2025-03-17T17:00"),
        # A full day ends at the closing time of the same day.
        ("2025-03-10T07:30", 8, "2025-03-10T17:00"),
        # Make-up Saturday 04/05/2024 counts; 29/04–01/05 do not.
        ("2024-04-26T15:00", 8, "2024-05-02T15:00"),
        ("2024-05-03T15:00", 8, "2024-05-04T15:00"),
        ("2025-04-25T17:00", 4, "2025-04-26T11:30"),
        # Tết 2026: 14–22 Feb off.
        ("2026-02-13T09:00", 8, "2026-02-23T09:00"),
        # Season switch 2026: March has 13:00–17:00, April 13:30–17:30.
        ("2026-03-31T16:00", 2, "2026-04-01T08:30"),
        ("2026-04-01T12:00", 1, "2026-04-01T14:30"),
        ("2026-04-01T07:30", 8, "2026-04-01T17:30"),
        ("2026-09-30T17:00", 1, "2026-10-01T08:00"),
        ("2026-10-01T07:30", 8, "2026-10-01T17:00"),
        ("2026-09-30T16:30", 2, "2026-10-01T08:30"),
        # Old schedule until 31/12/2025; 2 Jan 2026 off; make-up Saturday 10 Jan 2026.
        ("2025-12-31T16:00", 2, "2026-01-05T08:30"),
        ("2026-01-09T16:00", 2, "2026-01-10T08:30"),
    ],
)
def test_add_boundary_cases(hue, start, hours, due):
    assert hue.add(datetime.fromisoformat(start), hours=hours) == at(due)


def test_results_are_aware_in_vietnam_time(hue):
    due = hue.add(datetime(2025, 3, 10, 10), hours=1)
    assert due.isoformat() == "2025-03-10T11:00:00+07:00"


def test_aware_input_is_converted(hue):
    utc_start = datetime(2025, 3, 10, 3, 0, tzinfo=UTC)  # 10:00 in Huế
    assert hue.add(utc_start, hours=16) == at("2025-03-12T10:00")


def test_seconds_are_ignored(hue):
    assert hue.add(datetime(2025, 3, 10, 10, 0, 59), minutes=30) == at("2025-03-10T10:30")


def test_zero_duration_moves_to_next_opening(hue):
    assert hue.add(datetime(2025, 3, 10, 11, 30)) == at("2025-03-10T13:00")
    assert hue.add(datetime(2025, 3, 10, 10, 15)) == at("2025-03-10T10:15")


def test_add_days_is_eight_working_hours_per_day(hue):
    start = datetime(2025, 3, 10, 10)
    assert hue.add_days(start, 3) == hue.add(start, hours=24) == at("2025-03-13T10:00")


def test_add_days_end_of_day(hue):
    start = datetime(2025, 3, 14, 10)  # Friday
    assert hue.add_days(start, 0, end_of_day=True) == at("2025-03-14T17:00")
    assert hue.add_days(start, 1, end_of_day=True) == at("2025-03-17T17:00")
    assert hue.add_days(datetime(2026, 4, 1, 9), 0, end_of_day=True) == at("2026-04-01T17:30")


def test_same_day_cutoff(hue):
    # DOMAIN §4: same-day procedures received after 15:00 are due the next working day.
    before = datetime(2025, 3, 14, 14, 59)
    after = datetime(2025, 3, 14, 15, 1)
    assert hue.add_days(before, 0, end_of_day=True, cutoff=SAME_DAY_CUTOFF) == at(
        "2025-03-14T17:00"
    )
    assert hue.add_days(after, 0, end_of_day=True, cutoff=SAME_DAY_CUTOFF) == at("2025-03-17T17:00")
    assert hue.add(after, hours=1, cutoff=SAME_DAY_CUTOFF) == at("2025-03-17T08:30")
    assert hue.add(after, hours=1) == at("2025-03-14T16:01")


def test_working_minutes(hue):
    assert hue.working_minutes(datetime(2025, 3, 10, 10), datetime(2025, 3, 12, 10)) == 960
    assert hue.working_minutes(datetime(2025, 3, 10, 11), datetime(2025, 3, 10, 14)) == 90
    assert hue.working_minutes(datetime(2025, 3, 15, 8), datetime(2025, 3, 16, 20)) == 0
    assert hue.working_minutes(datetime(2025, 3, 12, 10), datetime(2025, 3, 10, 10)) == -960


def test_add_many_matches_add_on_boundaries(hue):
    starts = ["2025-03-10T11:30", "2025-03-15T10:00", "2026-02-13T09:00", "2026-03-31T16:00"]
    minutes = np.array([60, 480, 480, 120])
    got = hue.add_many(np.array(starts, dtype="datetime64[m]"), minutes)
    expected = [
        hue.add(datetime.fromisoformat(s), minutes=int(m)).replace(tzinfo=None)
        for s, m in zip(starts, minutes, strict=True)
    ]
    assert got.tolist() == expected


def test_add_many_zero_minutes_opens(hue):
    got = hue.add_many(np.array(["2025-03-10T11:30"], dtype="datetime64[m]"), np.array([0]))
    assert str(got[0]) == "2025-03-10T13:00"


def test_add_many_empty_and_bad_input(hue):
    empty = hue.add_many(np.array([], dtype="datetime64[m]"), np.array([], dtype=np.int64))
    assert empty.size == 0
    start = np.array(["2025-03-10T10:00"], dtype="datetime64[m]")
    with pytest.raises(WorktimeError):
        hue.add_many(start, np.array([-1]))
    with pytest.raises(WorktimeError):
        hue.add_many(start, np.array([1.5]))
    with pytest.raises(WorktimeError):
        hue.add_many(np.array(["NaT"], dtype="datetime64[m]"), np.array([1]))
    with pytest.raises(OutOfRangeError):
        hue.add_many(np.array(["2040-01-01T10:00"], dtype="datetime64[m]"), np.array([1]))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -1, "3", True, None])
def test_bad_durations_are_refused(hue, bad):
    with pytest.raises(WorktimeError):
        hue.add(datetime(2025, 3, 10, 10), hours=bad)


def test_fractional_minutes_refused_fractional_hours_allowed(hue):
    assert hue.add(datetime(2025, 3, 10, 10), hours=1.5) == at("2025-03-10T11:30")
    assert hue.add(datetime(2025, 3, 10, 10), hours=2.5) == at("2025-03-10T14:00")
    with pytest.raises(WorktimeError):
        hue.add(datetime(2025, 3, 10, 10), minutes=0.5)


@pytest.mark.parametrize("start", [datetime(2014, 12, 31, 10), datetime(2036, 1, 2, 10)])
def test_dates_outside_the_supported_range_are_errors(hue, start):
    with pytest.raises(OutOfRangeError, match="phạm vi"):
        hue.add(start, hours=1)


def test_result_past_the_range_is_an_error(hue):
    with pytest.raises(OutOfRangeError):
        hue.add(datetime(2035, 12, 28, 10), hours=200)


def test_unknown_calendar():
    with pytest.raises(UnknownCalendarError):
        load_builtin("atlantis")


def test_custom_calendar_with_per_weekday_sessions():
    # An agency that also works Saturday mornings.
    week = {d: (Session.parse("08:00-12:00"), Session.parse("13:00-17:00")) for d in range(5)}
    week[5] = (Session.parse("08:00-12:00"),)
    spec = CalendarSpec(
        name="test",
        title="test",
        periods=(SchedulePeriod(date(2015, 1, 1), None, (Season(frozenset(range(1, 13)), week),)),),
        holiday_country=None,
    )
    cal = compile_spec(spec)
    assert cal.add(datetime(2025, 3, 14, 16), hours=3) == at("2025-03-15T10:00")
    assert cal.add(datetime(2025, 3, 15, 11), hours=2) == at("2025-03-17T09:00")


@pytest.mark.parametrize(
    "build",
    [
        lambda: Session(time(12), time(11)),
        lambda: Session.parse("7h30-11h30"),
        lambda: Season(frozenset({13}), {}),
        lambda: SchedulePeriod(date(2020, 1, 1), None, (Season(frozenset({1, 2}), {}),)),
        lambda: Season(
            frozenset(range(1, 13)),
            {0: (Session.parse("07:00-12:00"), Session.parse("11:00-17:00"))},
        ),
    ],
)
def test_inconsistent_specs_are_refused(build):
    with pytest.raises(CalendarSpecError):
        build()


def test_overlapping_periods_are_refused():
    season = (Season(frozenset(range(1, 13)), {0: (Session.parse("08:00-12:00"),)}),)
    with pytest.raises(CalendarSpecError):
        CalendarSpec(
            name="x",
            title="x",
            periods=(
                SchedulePeriod(date(2015, 1, 1), date(2020, 12, 31), season),
                SchedulePeriod(date(2020, 6, 1), None, season),
            ),
        )
