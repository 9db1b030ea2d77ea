"""Engine errors reach web users in their language: Vietnamese by default, English when asked.

The language is asked for the way browsers do, with Accept-Language (LocaleMiddleware); the status
codes are the same in both languages and a refused question changes nothing in the database.
"""

import html

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from motcua.calendars.models import SchedulePeriod, WorkCalendar

pytestmark = pytest.mark.django_db

URL = "/api/v1/worktime/deadline"
PAGE = "/tinh-han/"
MONDAY = "2025-03-10T10:00"


def db_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


# (query, code, Vietnamese detail, English detail)
API_CASES = [
    (
        {"start": MONDAY, "hours": "nan"},
        "not_finite_input",
        "Số giờ phải là số hữu hạn, không phải 'nan'",
        "The number of hours must be finite, not 'nan'",
    ),
    (
        {"start": MONDAY, "hours": "-1"},
        "negative",
        "Số giờ không được âm",
        "The number of hours must not be negative",
    ),
    (
        {"start": MONDAY, "days": "-2"},
        "negative",
        "Số ngày không được âm",
        "The number of days must not be negative",
    ),
    (
        {"start": MONDAY, "hours": "abc"},
        "invalid_number",
        "Số giờ không hợp lệ: 'abc'",
        "Invalid number of hours: 'abc'",
    ),
    (
        {"start": "2025-02-30T10:00", "hours": "1"},
        "invalid_start",
        "Thời điểm không hợp lệ: '2025-02-30T10:00' (dạng YYYY-MM-DDTHH:MM, ví dụ 2025-03-10T10:00)",
        "Invalid point in time: '2025-02-30T10:00' (format YYYY-MM-DDTHH:MM, e.g. 2025-03-10T10:00)",
    ),
    (
        {"start": " ", "hours": "1"},
        "missing_start",
        "Thiếu thời điểm bắt đầu",
        "The start time is missing",
    ),
    (
        {"start": "2045-01-01T10:00", "hours": "1"},
        "out_of_range",
        "Ngày 01/01/2045 nằm ngoài phạm vi hỗ trợ của lịch 'hue' (01/01/2015–31/12/2035)",
        "The date 2045-01-01 is outside the range supported by the calendar 'hue' "
        "(2015-01-01 to 2035-12-31)",
    ),
    (
        {"start": "2035-12-31T10:00", "hours": "100"},
        "due_out_of_range",
        "Hạn xử lý vượt quá phạm vi hỗ trợ của lịch 'hue'",
        "The due time is beyond the range supported by the calendar 'hue'",
    ),
    (
        {"start": MONDAY, "hours": "1", "calendar": "atlantis"},
        "unknown_calendar",
        "Không có lịch làm việc tên 'atlantis'",
        "There is no working calendar named 'atlantis'",
    ),
    (
        {"start": MONDAY},
        "hours_or_days",
        "Cần đúng một trong hai: số giờ làm việc hoặc số ngày làm việc",
        "Give exactly one of the two: working hours or working days",
    ),
    (
        {"start": MONDAY, "hours": "1", "days": "1"},
        "hours_or_days",
        "Cần đúng một trong hai: số giờ làm việc hoặc số ngày làm việc",
        "Give exactly one of the two: working hours or working days",
    ),
    (
        {"start": MONDAY, "days": "1.5", "end_of_day": "true"},
        "end_of_day_whole_days",
        "Hạn 'cuối ngày làm việc' cần số ngày nguyên",
        "A due time at 'the end of the working day' needs a whole number of days",
    ),
    (
        {"start": MONDAY, "hours": "0.001"},
        "whole_minutes",
        "Thời gian phải tính tròn đến phút",
        "The time must be a whole number of minutes",
    ),
]


@pytest.mark.parametrize(("query", "code", "vi", "en"), API_CASES, ids=[c[1] for c in API_CASES])
def test_api_error_in_vietnamese_by_default_and_english_on_request(client, query, code, vi, en):
    before = db_counts()
    r = client.get(URL, query)
    assert r.status_code == 400
    assert r.json() == {"detail": vi, "code": code}
    r = client.get(URL, query, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert r.json() == {"detail": en, "code": code}
    assert db_counts() == before


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-US,en;q=0.9", "The number of hours must not be negative"),
        ("en-GB", "The number of hours must not be negative"),
        ("vi", "Số giờ không được âm"),
        ("vi-VN,vi;q=0.9,en;q=0.8", "Số giờ không được âm"),
        ("fr-FR", "Số giờ không được âm"),  # not offered: the default language
    ],
)
def test_api_follows_accept_language(client, header, expected):
    r = client.get(URL, {"start": MONDAY, "hours": "-1"}, HTTP_ACCEPT_LANGUAGE=header)
    assert r.status_code == 400
    assert r.json()["detail"] == expected


def test_api_successful_answer_is_the_same_in_both_languages(client):
    query = {"start": MONDAY, "hours": "16"}
    vi = client.get(URL, query)
    en = client.get(URL, query, HTTP_ACCEPT_LANGUAGE="en")
    assert vi.status_code == en.status_code == 200
    assert vi.json() == en.json()


def test_api_missing_parameter_is_still_422(client):
    assert client.get(URL, {"hours": "1"}, HTTP_ACCEPT_LANGUAGE="en").status_code == 422
    assert client.get(URL, {"hours": "1"}).status_code == 422


def test_api_error_of_an_administrators_calendar_is_translated(client):
    # A calendar entered in the admin whose seasons do not cover the year cannot be built.
    cal = WorkCalendar.objects.create(name="so-tu-phap", title="Sở Tư pháp", base="hue")
    SchedulePeriod.objects.create(
        calendar=cal,
        valid_from="2015-01-01",
        months="1-6",
        weekdays="0-4",
        sessions="07:30-11:30",
    )
    query = {"start": MONDAY, "hours": "1", "calendar": "so-tu-phap"}
    before = db_counts()
    r = client.get(URL, query)
    assert r.status_code == 400
    assert r.json() == {
        "detail": "Lịch từ ngày 2015-01-01 thiếu các tháng [7, 8, 9, 10, 11, 12]",
        "code": "spec_months_missing",
    }
    r = client.get(URL, query, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert (
        r.json()["detail"] == "The schedule from 2015-01-01 lacks the months [7, 8, 9, 10, 11, 12]"
    )
    assert db_counts() == before


def test_api_error_schema_documents_the_code(admin_client):
    schema = admin_client.get("/api/openapi.json").json()  # staff only (issue 13 gap 14)
    responses = schema["paths"][URL]["get"]["responses"]
    ref = responses["400"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][ref]["properties"]) == {"detail", "code"}


# -- the calculator page ---------------------------------------------------------------------------
PAGE_CASES = [
    (
        {"start": "2045-01-01T10:00", "amount": "1", "unit": "hours"},
        "Ngày 01/01/2045 nằm ngoài phạm vi hỗ trợ của lịch 'hue' (01/01/2015–31/12/2035)",
        "The date 2045-01-01 is outside the range supported by the calendar 'hue' "
        "(2015-01-01 to 2035-12-31)",
    ),
    (
        {"start": MONDAY, "amount": "1.5", "unit": "days", "end_of_day": "on"},
        "Hạn 'cuối ngày làm việc' cần số ngày nguyên",
        "A due time at 'the end of the working day' needs a whole number of days",
    ),
    (
        {"start": MONDAY, "amount": "0.01", "unit": "hours"},
        "Thời gian phải tính tròn đến phút",
        "The time must be a whole number of minutes",
    ),
    (
        {"start": "2035-12-31T10:00", "amount": "100", "unit": "hours"},
        "Hạn xử lý vượt quá phạm vi hỗ trợ của lịch 'hue'",
        "The due time is beyond the range supported by the calendar 'hue'",
    ),
]


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(("query", "vi", "en"), PAGE_CASES)
def test_page_error_in_vietnamese_by_default_and_english_on_request(client, query, vi, en):
    query = {"calendar": "hue", **query}
    before = db_counts()
    r = client.get(PAGE, query)
    assert r.status_code == 400
    text = page_text(r)
    assert vi in text and en not in text
    assert "deadline-result" not in text
    r = client.get(PAGE, query, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    text = page_text(r)
    assert en in text and vi not in text
    assert "deadline-result" not in text
    assert db_counts() == before


def test_page_answer_still_works_in_english(client):
    query = {"start": MONDAY, "amount": "16", "unit": "hours", "calendar": "hue"}
    r = client.get(PAGE, query, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    assert 'datetime="2025-03-12T10:00:00+07:00"' in r.content.decode()


# -- the admin: a calendar that cannot be built --------------------------------------------------
def _post_broken_calendar(client, **headers):
    return client.post(
        "/admin/calendars/workcalendar/add/",
        {
            "name": "x",
            "title": "X",
            "base": "",
            "holiday_country": "VN",
            "hours_per_day": "8",
            "description": "",
            "periods-TOTAL_FORMS": "1",
            "periods-INITIAL_FORMS": "0",
            "periods-0-valid_from": "2015-01-01",
            "periods-0-months": "1-6",
            "periods-0-weekdays": "0-4",
            "periods-0-sessions": "07:30-11:30",
            "periods-0-source": "",
            "overrides-TOTAL_FORMS": "0",
            "overrides-INITIAL_FORMS": "0",
        },
        follow=True,
        **headers,
    )


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            {},
            "Không dựng được lịch 'x': Lịch từ ngày 2015-01-01 thiếu các tháng [7, 8, 9, 10, 11, 12]",
        ),
        (
            {"HTTP_ACCEPT_LANGUAGE": "en"},
            "The calendar 'x' cannot be built: "
            "The schedule from 2015-01-01 lacks the months [7, 8, 9, 10, 11, 12]",
        ),
    ],
)
def test_admin_warning_is_in_the_administrators_language(client, headers, expected):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-123456!")
    client.force_login(user)
    r = _post_broken_calendar(client, **headers)
    assert r.status_code == 200
    assert expected in page_text(r)
