"""The deadline calculator through its three doors: the API, the page and the `deadline` command."""

import json
import subprocess
import sys
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.calendars.models import DayOverride, SchedulePeriod, WorkCalendar

pytestmark = pytest.mark.django_db

URL = "/api/v1/worktime/deadline"


def test_api_hours(client):
    r = client.get(URL, {"start": "2025-03-10T10:00", "hours": "16"})
    assert r.status_code == 200
    assert r.json() == {
        "start": "2025-03-10T10:00:00+07:00",
        "due": "2025-03-12T10:00:00+07:00",
        "working_minutes": 960,
        "calendar": "hue",
    }


def test_api_days_and_end_of_day(client):
    r = client.get(URL, {"start": "2025-03-14T10:00", "days": "1", "end_of_day": "true"})
    assert r.json()["due"] == "2025-03-17T17:00:00+07:00"
    r = client.get(URL, {"start": "2025-03-14T10:00", "days": "0.5"})
    assert r.json()["due"] == "2025-03-14T15:30:00+07:00"


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"start": "2025-03-10T10:00", "hours": "nan"}, 400),
        ({"start": "2025-03-10T10:00", "hours": "-1"}, 400),
        ({"start": "2025-03-10T10:00", "hours": "abc"}, 400),
        ({"start": "2025-02-30T10:00", "hours": "1"}, 400),
        ({"start": "2045-01-01T10:00", "hours": "1"}, 400),
        ({"start": "2025-03-10T10:00", "hours": "1", "calendar": "atlantis"}, 400),
        ({"start": "2025-03-10T10:00"}, 400),
        ({"start": "2025-03-10T10:00", "hours": "1", "days": "1"}, 400),
        ({"hours": "1"}, 422),
    ],
)
def test_api_bad_input(client, params, status):
    r = client.get(URL, params)
    assert r.status_code == status
    body = r.json()
    assert "detail" in body
    if status == 400:
        assert isinstance(body["detail"], str) and body["detail"]


def test_api_is_documented(admin_client):
    # The schema is for signed-in staff (issue 13 gap 14).
    schema = admin_client.get("/api/openapi.json").json()
    assert "/api/v1/worktime/deadline" in schema["paths"]


def test_calculator_page(client):
    r = client.get("/tinh-han/")
    assert r.status_code == 200
    assert "Tính hạn giải quyết" in r.content.decode()
    r = client.get(
        "/tinh-han/",
        {"start": "2025-03-10T10:00", "amount": "16", "unit": "hours", "calendar": "hue"},
    )
    assert r.status_code == 200
    assert 'datetime="2025-03-12T10:00:00+07:00"' in r.content.decode()


def test_calculator_page_bad_input(client):
    r = client.get(
        "/tinh-han/",
        {"start": "2045-01-01T10:00", "amount": "1", "unit": "hours", "calendar": "hue"},
    )
    assert r.status_code == 400
    assert "phạm vi hỗ trợ" in r.content.decode()
    r = client.get(
        "/tinh-han/", {"start": "xx", "amount": "-3", "unit": "hours", "calendar": "hue"}
    )
    assert r.status_code == 400
    assert "deadline-result" not in r.content.decode()


def test_command_text_and_json(capsys):
    call_command("deadline", "2025-03-10T10:00", "--hours", "16")
    assert capsys.readouterr().out.strip() == "2025-03-12T10:00:00+07:00"
    call_command("deadline", "2025-03-10 10:00", "--days", "2", "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert out["due"] == "2025-03-12T10:00:00+07:00" and out["working_minutes"] == 960


def test_command_requires_an_amount():
    with pytest.raises(CommandError):
        call_command("deadline", "2025-03-10T10:00")


@pytest.mark.parametrize(
    "args",
    [
        ["2025-03-10T10:00", "--hours", "nan"],
        ["2025-03-10T10:00", "--hours", "-2"],
        ["not-a-date", "--hours", "2"],
        ["2025-02-29T10:00", "--hours", "2"],
        ["2050-01-01T10:00", "--hours", "2"],
        ["2025-03-10T10:00", "--hours", "2", "--calendar", "nope"],
        ["2025-03-10T10:00"],
    ],
)
def test_command_bad_input_in_a_real_process(args, tmp_path, settings):
    # The real console entry point: non-zero exit, one line on stderr, nothing on stdout.
    db = settings.DATABASES["default"]
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite3", "PATH": "/usr/bin:/bin"}
    if db["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    proc = subprocess.run(
        [sys.executable, "-m", "motcua", "deadline", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_national_override_in_the_database_moves_deadlines(client):
    # An administrator enters next year's official swap without a code release.
    start = {"start": "2025-03-10T10:00", "hours": "16"}
    assert client.get(URL, start).json()["due"] == "2025-03-12T10:00:00+07:00"
    DayOverride.objects.create(date=date(2025, 3, 11), working=False, source_document="QĐ test")
    assert client.get(URL, start).json()["due"] == "2025-03-13T10:00:00+07:00"
    DayOverride.objects.all().delete()
    assert client.get(URL, start).json()["due"] == "2025-03-12T10:00:00+07:00"


def test_agency_calendar_with_own_schedule(client):
    cal = WorkCalendar.objects.create(name="so-tu-phap", title="Sở Tư pháp", base="hue")
    # Inherits hue while it has no periods of its own.
    r = client.get(URL, {"start": "2025-03-10T10:00", "hours": "16", "calendar": "so-tu-phap"})
    assert r.json()["due"] == "2025-03-12T10:00:00+07:00"
    SchedulePeriod.objects.create(
        calendar=cal,
        valid_from=date(2015, 1, 1),
        months="1-12",
        weekdays="0-5",
        sessions="08:00-12:00",
    )
    DayOverride.objects.create(
        calendar=cal, date=date(2025, 3, 11), working=False, source_document="QĐ nội bộ"
    )
    r = client.get(URL, {"start": "2025-03-10T10:00", "hours": "8", "calendar": "so-tu-phap"})
    # Mon 10-12 (2h), Tue off, Wed 4h, Thu 2h → Thu 10:00.
    assert r.json()["due"] == "2025-03-13T10:00:00+07:00"
    assert "so-tu-phap" in client.get("/api/v1/worktime/calendars").json()


def test_deadline_costs_no_query_once_compiled(client, django_assert_num_queries):
    """The calendar and its revision are cached per process (issue 17): no query per deadline."""
    client.get(URL, {"start": "2025-03-10T10:00", "hours": "1"})
    with django_assert_num_queries(0):
        client.get(URL, {"start": "2025-03-10T10:00", "hours": "2"})
