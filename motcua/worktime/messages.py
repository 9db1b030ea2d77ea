"""The texts of the engine's errors, one template per error code and language.

Pure Python, no gettext: the engine stays Django-free, and `str(error)` is always the Vietnamese text
(the command line's stable contract, `motcua deadline`). A caller that knows the reader's language
asks for `error.message(language)`: Vietnamese for "vi", English for "en", Vietnamese otherwise.

Templates are `str.format` strings. Every language uses the same placeholder names (checked by
tests/worktime/test_messages.py); format specs may differ, e.g. dates d/m/Y in Vietnamese and ISO in
English. The placeholder `unit` takes a unit key ("hours", "minutes", "days") and is shown in the
reader's language (`UNITS`).
"""

from __future__ import annotations

from collections.abc import Mapping

DEFAULT_LANGUAGE = "vi"
LANGUAGES = ("vi", "en")

#: Code of an error raised with a free sentence instead of a code (kept for outside callers).
UNSPECIFIED = "unspecified"

#: Words for the `unit` placeholder.
UNITS: dict[str, dict[str, str]] = {
    "vi": {"hours": "giờ", "minutes": "phút", "days": "ngày"},
    "en": {"hours": "hours", "minutes": "minutes", "days": "days"},
}

#: code → language → template. Codes are stable: API clients and tests rely on them.
MESSAGES: dict[str, dict[str, str]] = {
    # -- durations and moments (calendar.py, and the deadline question of motcua.calendars) --
    "invalid_moment": {
        "vi": "Thời điểm không hợp lệ: {value!r}",
        "en": "Invalid point in time: {value!r}",
    },
    "missing_start": {
        "vi": "Thiếu thời điểm bắt đầu",
        "en": "The start time is missing",
    },
    "invalid_start": {
        "vi": "Thời điểm không hợp lệ: '{value}' (dạng YYYY-MM-DDTHH:MM, ví dụ 2025-03-10T10:00)",
        "en": "Invalid point in time: '{value}' (format YYYY-MM-DDTHH:MM, e.g. 2025-03-10T10:00)",
    },
    "not_a_number": {
        "vi": "Số {unit} phải là một số, không phải {value!r}",
        "en": "The number of {unit} must be a number, not {value!r}",
    },
    "invalid_number": {
        "vi": "Số {unit} không hợp lệ: '{value}'",
        "en": "Invalid number of {unit}: '{value}'",
    },
    "not_finite": {
        "vi": "Số {unit} phải là số hữu hạn",
        "en": "The number of {unit} must be finite",
    },
    "not_finite_input": {
        "vi": "Số {unit} phải là số hữu hạn, không phải '{value}'",
        "en": "The number of {unit} must be finite, not '{value}'",
    },
    "negative": {
        "vi": "Số {unit} không được âm",
        "en": "The number of {unit} must not be negative",
    },
    "whole_minutes": {
        "vi": "Thời gian phải tính tròn đến phút",
        "en": "The time must be a whole number of minutes",
    },
    "invalid_days": {
        "vi": "Số ngày làm việc phải là số nguyên không âm",
        "en": "The number of working days must be a non-negative whole number",
    },
    "hours_or_days": {
        "vi": "Cần đúng một trong hai: số giờ làm việc hoặc số ngày làm việc",
        "en": "Give exactly one of the two: working hours or working days",
    },
    "end_of_day_whole_days": {
        "vi": "Hạn 'cuối ngày làm việc' cần số ngày nguyên",
        "en": "A due time at 'the end of the working day' needs a whole number of days",
    },
    # -- bulk recomputation (Calendar.add_many): programmers' input, still translated --
    "starts_not_datetime64": {
        "vi": "starts phải là mảng datetime64",
        "en": "starts must be a datetime64 array",
    },
    "minutes_not_integer": {
        "vi": "minutes phải là mảng số nguyên",
        "en": "minutes must be an integer array",
    },
    "starts_nat": {
        "vi": "starts có giá trị trống (NaT)",
        "en": "starts has empty values (NaT)",
    },
    # -- the calendar's range --
    "no_working_hours": {
        "vi": "Lịch '{calendar}' không có giờ làm việc nào",
        "en": "The calendar '{calendar}' has no working hours",
    },
    "out_of_range": {
        "vi": (
            "Ngày {day:%d/%m/%Y} nằm ngoài phạm vi hỗ trợ của lịch '{calendar}' "
            "({first_day:%d/%m/%Y}–{last_day:%d/%m/%Y})"
        ),
        "en": (
            "The date {day:%Y-%m-%d} is outside the range supported by the calendar '{calendar}' "
            "({first_day:%Y-%m-%d} to {last_day:%Y-%m-%d})"
        ),
    },
    "no_more_working_hours": {
        "vi": "Không còn giờ làm việc nào trong phạm vi của lịch '{calendar}'",
        "en": "No working hours are left within the range of the calendar '{calendar}'",
    },
    "no_more_working_days": {
        "vi": "Không còn ngày làm việc nào trong lịch '{calendar}'",
        "en": "No working days are left in the calendar '{calendar}'",
    },
    "due_out_of_range": {
        "vi": "Hạn xử lý vượt quá phạm vi hỗ trợ của lịch '{calendar}'",
        "en": "The due time is beyond the range supported by the calendar '{calendar}'",
    },
    # -- finding calendars (loader.py) --
    "unknown_calendar": {
        "vi": "Không có lịch làm việc tên '{calendar}'",
        "en": "There is no working calendar named '{calendar}'",
    },
    # -- calendar definitions: data files and administrators' rows (loader.py, spec.py) --
    "spec_syntax": {
        "vi": "Tệp lịch {file} sai cú pháp: {error}",
        "en": "The calendar file {file} has a syntax error: {error}",
    },
    "spec_missing_field": {
        "vi": "Tệp lịch {file} thiếu trường {field!r}",
        "en": "The calendar file {file} lacks the field {field!r}",
    },
    "spec_reversed_range": {
        "vi": "Khoảng ngày ngược: {text}",
        "en": "Date range in reverse order: {text}",
    },
    "spec_invalid_session": {
        "vi": "Phiên làm việc không hợp lệ: {start}–{end}",
        "en": "Invalid working session: {start}–{end}",
    },
    "spec_session_syntax": {
        "vi": "Không đọc được phiên làm việc '{text}' (dạng 07:30-11:30)",
        "en": "Cannot read the working session '{text}' (format 07:30-11:30)",
    },
    "spec_sessions_overlap": {
        "vi": "Các phiên chồng lấn nhau: {start}–{end}",
        "en": "Working sessions overlap: {start}–{end}",
    },
    "spec_season_months": {
        "vi": "Mùa phải gồm các tháng từ 1 đến 12",
        "en": "A season must consist of months from 1 to 12",
    },
    "spec_invalid_weekday": {
        "vi": "Thứ trong tuần không hợp lệ: {weekday}",
        "en": "Invalid day of the week: {weekday}",
    },
    "spec_period_reversed": {
        "vi": "Thời hạn lịch không hợp lệ: {valid_from} > {valid_to}",
        "en": "Invalid schedule validity: {valid_from} > {valid_to}",
    },
    "spec_seasons_overlap": {
        "vi": "Các mùa trùng tháng từ ngày {valid_from}",
        "en": "Seasons share months in the schedule from {valid_from}",
    },
    "spec_months_missing": {
        "vi": "Lịch từ ngày {valid_from} thiếu các tháng {months}",
        "en": "The schedule from {valid_from} lacks the months {months}",
    },
    "spec_no_season": {
        "vi": "Không có mùa nào cho ngày {day}",
        "en": "No season covers the date {day}",
    },
    "spec_no_periods": {
        "vi": "Lịch '{calendar}' không có lịch làm việc nào",
        "en": "The calendar '{calendar}' has no working schedule",
    },
    "spec_years_reversed": {
        "vi": "Năm bắt đầu lớn hơn năm kết thúc",
        "en": "The first year is after the last year",
    },
    "spec_hours_per_day": {
        "vi": "Số giờ của một ngày làm việc phải dương",
        "en": "The hours of a working day must be positive",
    },
    "spec_periods_overlap": {
        "vi": "Các lịch làm việc chồng lấn tại {valid_from}",
        "en": "Working schedules overlap at {valid_from}",
    },
    # -- a sentence given instead of a code (callers outside the engine); not used by the engine --
    UNSPECIFIED: {"vi": "{text}", "en": "{text}"},
}


def normalize_language(language: str | None) -> str:
    """'en', 'en-us', 'en_GB' → 'en'; anything not in `LANGUAGES` (or None) → Vietnamese."""
    base = (language or "").replace("_", "-").split("-", 1)[0].strip().lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def render(code: str, params: Mapping[str, object], language: str | None = DEFAULT_LANGUAGE) -> str:
    """The text of error `code` with `params`, in `language`."""
    lang = normalize_language(language)
    values = dict(params)
    unit = values.get("unit")
    if isinstance(unit, str):
        values["unit"] = UNITS[lang].get(unit, unit)
    return MESSAGES[code][lang].format(**values)
