"""Engine errors: a stable code, the same Vietnamese `str(exc)` as before, and an English text."""

import ast
import pickle
import string
import tomllib
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from motcua.calendars import deadline as question
from motcua.worktime import (
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
    loader,
    to_local_minutes,
)
from motcua.worktime.messages import LANGUAGES, MESSAGES, UNITS, UNSPECIFIED, normalize_language

from .conftest import builtin

ROOT = Path(__file__).resolve().parents[2]
ERROR_CLASSES = {"WorktimeError", "OutOfRangeError", "UnknownCalendarError", "CalendarSpecError"}
ALL_MONTHS = frozenset(range(1, 13))
MORNING = (Session(time(7, 30), time(11, 30)),)
WEEK = Season(ALL_MONTHS, {d: MORNING for d in range(5)})
HUE = builtin("hue")
MONDAY = datetime(2025, 3, 10, 10, 0)


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


# -- the table -------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_has_both_languages_with_the_same_placeholders(code):
    templates = MESSAGES[code]
    assert set(templates) == set(LANGUAGES) == {"vi", "en"}
    assert all(text.strip() for text in templates.values())
    assert placeholders(templates["vi"]) == placeholders(templates["en"])
    assert code == code.lower() and " " not in code


def test_units_are_translated_in_both_languages():
    assert set(UNITS) == set(LANGUAGES)
    assert set(UNITS["vi"]) == set(UNITS["en"])


def _raise_sites():
    """Every `raise <engine error>(...)` in motcua, engine and Django side alike."""
    for path in sorted((ROOT / "motcua").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name in ERROR_CLASSES:
                    yield f"{path.relative_to(ROOT)}:{node.lineno}", node.exc


SITES = list(_raise_sites())


def test_raise_sites_are_found():
    assert len(SITES) > 40
    assert any(where.startswith("motcua/worktime/calendar.py") for where, _ in SITES)
    assert any(where.startswith("motcua/calendars/deadline.py") for where, _ in SITES)


@pytest.mark.parametrize(("where", "call"), SITES, ids=[where for where, _ in SITES])
def test_every_raise_site_uses_a_code_of_the_table(where, call):
    assert call.args and isinstance(call.args[0], ast.Constant), f"{where}: no code"
    code = call.args[0].value
    assert code in MESSAGES and code != UNSPECIFIED, f"{where}: unknown code {code!r}"
    assert len(call.args) == 1, f"{where}: parameters go in keyword arguments"
    assert {k.arg for k in call.keywords} == placeholders(MESSAGES[code]["vi"]), where


# -- each code, raised for real: code, Vietnamese (unchanged) and English ------------------------
def _run(action):
    with pytest.raises(WorktimeError) as info:
        action()
    return info.value


def _bad_toml(tmp_path, monkeypatch, text):
    (tmp_path / "bad.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(loader, "DATA_DIR", tmp_path)
    loader._read.cache_clear()
    try:
        return _run(lambda: loader.load_builtin("bad"))
    finally:
        loader._read.cache_clear()


def _no_season():
    period = SchedulePeriod(date(2025, 1, 1), None, (WEEK,))
    object.__setattr__(period, "seasons", ())  # impossible through the constructor
    period.season_for(date(2025, 5, 1))


def _spec(**changes):
    values = {
        "name": "x",
        "title": "x",
        "periods": (SchedulePeriod(date(2015, 1, 1), None, (WEEK,)),),
        "holiday_country": None,
    }
    values.update(changes)
    return CalendarSpec(**values)


def _end_of_day_fraction(monkeypatch):
    monkeypatch.setattr(question, "get_calendar", lambda name: HUE)
    question.compute(start=MONDAY, days=Decimal("1.5"), end_of_day=True)


LATE = datetime(2035, 12, 31, 18, 0)  # Monday, after closing, on the calendar's last day

# (code, action, error class, Vietnamese text as before this change, English text)
CASES = [
    (
        "invalid_moment",
        lambda: to_local_minutes("2025-03-10"),
        WorktimeError,
        "Thời điểm không hợp lệ: '2025-03-10'",
        "Invalid point in time: '2025-03-10'",
    ),
    (
        "missing_start",
        lambda: question.parse_start("  "),
        WorktimeError,
        "Thiếu thời điểm bắt đầu",
        "The start time is missing",
    ),
    (
        "invalid_start",
        lambda: question.parse_start("2025-02-30T10:00"),
        WorktimeError,
        "Thời điểm không hợp lệ: '2025-02-30T10:00' (dạng YYYY-MM-DDTHH:MM, ví dụ 2025-03-10T10:00)",
        "Invalid point in time: '2025-02-30T10:00' (format YYYY-MM-DDTHH:MM, e.g. 2025-03-10T10:00)",
    ),
    (
        "not_a_number",
        lambda: HUE.add(MONDAY, hours="2"),
        WorktimeError,
        "Số giờ phải là một số, không phải '2'",
        "The number of hours must be a number, not '2'",
    ),
    (
        "invalid_number",
        lambda: question.parse_amount("abc", "giờ"),
        WorktimeError,
        "Số giờ không hợp lệ: 'abc'",
        "Invalid number of hours: 'abc'",
    ),
    (
        "not_finite",
        lambda: HUE.add(MONDAY, minutes=float("inf")),
        WorktimeError,
        "Số phút phải là số hữu hạn",
        "The number of minutes must be finite",
    ),
    (
        "not_finite_input",
        lambda: question.parse_amount("nan", "ngày"),
        WorktimeError,
        "Số ngày phải là số hữu hạn, không phải 'nan'",
        "The number of days must be finite, not 'nan'",
    ),
    (
        "negative",
        lambda: HUE.add(MONDAY, hours=-1.5),
        WorktimeError,
        "Số giờ không được âm",
        "The number of hours must not be negative",
    ),
    (
        "whole_minutes",
        lambda: HUE.add(MONDAY, minutes=0.5),
        WorktimeError,
        "Thời gian phải tính tròn đến phút",
        "The time must be a whole number of minutes",
    ),
    (
        "invalid_days",
        lambda: HUE.add_days(MONDAY, 1.5),
        WorktimeError,
        "Số ngày làm việc phải là số nguyên không âm",
        "The number of working days must be a non-negative whole number",
    ),
    (
        "hours_or_days",
        lambda: question.compute(start=MONDAY, hours=Decimal(1), days=Decimal(1)),
        WorktimeError,
        "Cần đúng một trong hai: số giờ làm việc hoặc số ngày làm việc",
        "Give exactly one of the two: working hours or working days",
    ),
    (
        "end_of_day_whole_days",
        "monkeypatch",
        WorktimeError,
        "Hạn 'cuối ngày làm việc' cần số ngày nguyên",
        "A due time at 'the end of the working day' needs a whole number of days",
    ),
    (
        "starts_not_datetime64",
        lambda: HUE.add_many(np.array([1, 2]), np.array([1, 2])),
        WorktimeError,
        "starts phải là mảng datetime64",
        "starts must be a datetime64 array",
    ),
    (
        "minutes_not_integer",
        lambda: HUE.add_many(np.array(["2025-03-10T10:00"], "datetime64[m]"), np.array([1.5])),
        WorktimeError,
        "minutes phải là mảng số nguyên",
        "minutes must be an integer array",
    ),
    (
        "starts_nat",
        lambda: HUE.add_many(np.array(["NaT"], "datetime64[m]"), np.array([1])),
        WorktimeError,
        "starts có giá trị trống (NaT)",
        "starts has empty values (NaT)",
    ),
    (
        "no_working_hours",
        lambda: compile_spec(
            _spec(periods=(SchedulePeriod(date(2015, 1, 1), None, (Season(ALL_MONTHS, {}),)),))
        ),
        WorktimeError,
        "Lịch 'x' không có giờ làm việc nào",
        "The calendar 'x' has no working hours",
    ),
    (
        "out_of_range",
        lambda: HUE.add(datetime(2045, 1, 1, 10, 0), hours=1),
        OutOfRangeError,
        "Ngày 01/01/2045 nằm ngoài phạm vi hỗ trợ của lịch 'hue' (01/01/2015–31/12/2035)",
        "The date 2045-01-01 is outside the range supported by the calendar 'hue' "
        "(2015-01-01 to 2035-12-31)",
    ),
    (
        "no_more_working_hours",
        lambda: HUE.add(LATE, hours=1),
        OutOfRangeError,
        "Không còn giờ làm việc nào trong phạm vi của lịch 'hue'",
        "No working hours are left within the range of the calendar 'hue'",
    ),
    (
        "no_more_working_days",
        lambda: HUE.add(LATE.replace(hour=16), hours=1, cutoff=time(15, 0)),
        OutOfRangeError,
        "Không còn ngày làm việc nào trong lịch 'hue'",
        "No working days are left in the calendar 'hue'",
    ),
    (
        "due_out_of_range",
        lambda: HUE.add(LATE.replace(hour=10), hours=100),
        OutOfRangeError,
        "Hạn xử lý vượt quá phạm vi hỗ trợ của lịch 'hue'",
        "The due time is beyond the range supported by the calendar 'hue'",
    ),
    (
        "unknown_calendar",
        lambda: loader.load_builtin("atlantis"),
        UnknownCalendarError,
        "Không có lịch làm việc tên 'atlantis'",
        "There is no working calendar named 'atlantis'",
    ),
    (
        "spec_syntax",
        "toml:name = ",
        CalendarSpecError,
        "Tệp lịch bad.toml sai cú pháp: {error}",
        "The calendar file bad.toml has a syntax error: {error}",
    ),
    (
        "spec_missing_field",
        "toml:[[period]]\nvalid_to = 2030-01-01\nseason = []\n",
        CalendarSpecError,
        "Tệp lịch bad.toml thiếu trường 'valid_from'",
        "The calendar file bad.toml lacks the field 'valid_from'",
    ),
    (
        "spec_reversed_range",
        lambda: list(loader._day_range("2025-03-10/2025-03-01")),
        CalendarSpecError,
        "Khoảng ngày ngược: 2025-03-10/2025-03-01",
        "Date range in reverse order: 2025-03-10/2025-03-01",
    ),
    (
        "spec_invalid_session",
        lambda: Session(time(11, 30), time(7, 30)),
        CalendarSpecError,
        "Phiên làm việc không hợp lệ: 11:30:00–07:30:00",
        "Invalid working session: 11:30:00–07:30:00",
    ),
    (
        "spec_session_syntax",
        lambda: Session.parse("7h-11h"),
        CalendarSpecError,
        "Không đọc được phiên làm việc '7h-11h' (dạng 07:30-11:30)",
        "Cannot read the working session '7h-11h' (format 07:30-11:30)",
    ),
    (
        "spec_sessions_overlap",
        lambda: Season(ALL_MONTHS, {0: (*MORNING, Session(time(11), time(12)))}),
        CalendarSpecError,
        "Các phiên chồng lấn nhau: 07:30:00–11:30:00",
        "Working sessions overlap: 07:30:00–11:30:00",
    ),
    (
        "spec_season_months",
        lambda: Season(frozenset({0, 1}), {}),
        CalendarSpecError,
        "Mùa phải gồm các tháng từ 1 đến 12",
        "A season must consist of months from 1 to 12",
    ),
    (
        "spec_invalid_weekday",
        lambda: Season(ALL_MONTHS, {7: MORNING}),
        CalendarSpecError,
        "Thứ trong tuần không hợp lệ: 7",
        "Invalid day of the week: 7",
    ),
    (
        "spec_period_reversed",
        lambda: SchedulePeriod(date(2025, 2, 1), date(2025, 1, 31), (WEEK,)),
        CalendarSpecError,
        "Thời hạn lịch không hợp lệ: 2025-02-01 > 2025-01-31",
        "Invalid schedule validity: 2025-02-01 > 2025-01-31",
    ),
    (
        "spec_seasons_overlap",
        lambda: SchedulePeriod(date(2025, 1, 1), None, (WEEK, Season(frozenset({4}), {}))),
        CalendarSpecError,
        "Các mùa trùng tháng từ ngày 2025-01-01",
        "Seasons share months in the schedule from 2025-01-01",
    ),
    (
        "spec_months_missing",
        lambda: SchedulePeriod(date(2025, 1, 1), None, (Season(frozenset(range(1, 11)), {}),)),
        CalendarSpecError,
        "Lịch từ ngày 2025-01-01 thiếu các tháng [11, 12]",
        "The schedule from 2025-01-01 lacks the months [11, 12]",
    ),
    (
        "spec_no_season",
        _no_season,
        CalendarSpecError,
        "Không có mùa nào cho ngày 2025-05-01",
        "No season covers the date 2025-05-01",
    ),
    (
        "spec_no_periods",
        lambda: _spec(periods=()),
        CalendarSpecError,
        "Lịch 'x' không có lịch làm việc nào",
        "The calendar 'x' has no working schedule",
    ),
    (
        "spec_years_reversed",
        lambda: _spec(first_year=2030, last_year=2020),
        CalendarSpecError,
        "Năm bắt đầu lớn hơn năm kết thúc",
        "The first year is after the last year",
    ),
    (
        "spec_hours_per_day",
        lambda: _spec(hours_per_day=0),
        CalendarSpecError,
        "Số giờ của một ngày làm việc phải dương",
        "The hours of a working day must be positive",
    ),
    (
        "spec_periods_overlap",
        lambda: _spec(
            periods=(
                SchedulePeriod(date(2015, 1, 1), date(2025, 12, 31), (WEEK,)),
                SchedulePeriod(date(2025, 6, 1), None, (WEEK,)),
            )
        ),
        CalendarSpecError,
        "Các lịch làm việc chồng lấn tại 2025-06-01",
        "Working schedules overlap at 2025-06-01",
    ),
]


def test_every_code_is_exercised():
    assert sorted(code for code, *_ in CASES) == sorted(set(MESSAGES) - {UNSPECIFIED})


@pytest.mark.parametrize(("code", "action", "cls", "vi", "en"), CASES, ids=[c[0] for c in CASES])
def test_error_code_and_texts(code, action, cls, vi, en, tmp_path, monkeypatch):
    if action == "monkeypatch":
        exc = _run(lambda: _end_of_day_fraction(monkeypatch))
    elif isinstance(action, str) and action.startswith("toml:"):
        text = action.removeprefix("toml:")
        exc = _bad_toml(tmp_path, monkeypatch, text)
        if "{error}" in vi:
            try:
                tomllib.loads(text)
            except tomllib.TOMLDecodeError as decode_error:
                vi, en = vi.format(error=decode_error), en.format(error=decode_error)
    else:
        exc = _run(action)
    assert type(exc) is cls
    assert exc.code == code
    assert str(exc) == vi  # unchanged: the command line and existing callers rely on it
    assert exc.message("vi") == vi
    assert exc.message("en") == en
    assert exc.message("en") != exc.message("vi")


# -- the other cases the unit may take, languages, and the error object ---------------------------
@pytest.mark.parametrize(
    ("action", "vi", "en"),
    [
        (lambda: HUE.add(MONDAY, minutes=-1), "Số phút không được âm", "minutes must not"),
        (
            lambda: HUE.add_many(np.array([MONDAY], "datetime64[m]"), np.array([-1])),
            "Số phút không được âm",
            "The number of minutes must not be negative",
        ),
        (lambda: question.parse_amount("-2", "ngày"), "Số ngày không được âm", "days must not"),
        (lambda: question.parse_amount("-2", "days"), "Số ngày không được âm", "days must not"),
        (
            lambda: HUE.add(MONDAY, minutes=True),
            "Số phút phải là một số, không phải True",
            "not True",
        ),
    ],
)
def test_units_follow_the_language(action, vi, en):
    exc = _run(action)
    assert str(exc) == vi
    assert en in exc.message("en")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", "vi"),
        ("en", "en"),
        ("en-us", "en"),
        ("en_GB", "en"),
        ("EN", "en"),
        ("vi-VN", "vi"),
        ("fr", "vi"),
        ("", "vi"),
        (None, "vi"),
    ],
)
def test_language_names(language, expected):
    assert normalize_language(language) == expected
    exc = _run(lambda: HUE.add(MONDAY, hours=-1))
    assert exc.message(language) == MESSAGES["negative"][expected].format(
        unit=UNITS[expected]["hours"]
    )


def test_params_keep_the_values():
    exc = _run(lambda: HUE.add(datetime(2045, 1, 1, 10, 0, tzinfo=TZ), hours=1))
    assert exc.params == {
        "day": date(2045, 1, 1),
        "calendar": "hue",
        "first_day": date(2015, 1, 1),
        "last_day": date(2035, 12, 31),
    }
    assert exc.message() == str(exc)


def test_pickle_keeps_class_code_and_params():
    exc = _run(lambda: HUE.add(datetime(2045, 1, 1, 10, 0), hours=1))
    copy = pickle.loads(pickle.dumps(exc))
    assert type(copy) is OutOfRangeError
    assert (copy.code, copy.params, str(copy)) == (exc.code, exc.params, str(exc))
    assert copy.message("en") == exc.message("en")


def test_a_sentence_instead_of_a_code_is_kept_as_it_is():
    # Callers outside the engine may still raise with a sentence; it stays readable, untranslated.
    exc = WorktimeError("Lý do tự do")
    assert (exc.code, str(exc), exc.message("en")) == (UNSPECIFIED, "Lý do tự do", "Lý do tự do")
    assert pickle.loads(pickle.dumps(exc)).message("en") == "Lý do tự do"


def test_errors_are_still_value_errors():
    exc = _run(lambda: HUE.add(MONDAY, hours=-1))
    assert isinstance(exc, ValueError)
    assert exc.args == ("Số giờ không được âm",)
