"""Administrators manage official days off in the admin; every change is audited."""

import pytest
from django.contrib.auth import get_user_model

from motcua.audit.models import AuditEvent
from motcua.calendars.models import DayOverride, WorkCalendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-123456!")
    client.force_login(user)
    return client


def test_admin_adds_a_national_day_off(admin_client):
    r = admin_client.post(
        "/admin/calendars/dayoverride/add/",
        {
            "date": "2027-01-04",
            "working": "",
            "source_document": "Thông báo lịch nghỉ 2027",
            "note": "",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    override = DayOverride.objects.get()
    assert override.calendar is None and not override.working
    assert override.created_by.username == "root"
    assert AuditEvent.objects.filter(action="dayoverride.create").count() == 1


def test_admin_refuses_a_duplicate_national_date(admin_client):
    DayOverride.objects.create(date="2027-01-04", working=False, source_document="A")
    r = admin_client.post(
        "/admin/calendars/dayoverride/add/",
        {"date": "2027-01-04", "working": "on", "source_document": "B"},
    )
    assert r.status_code == 200  # the form is shown again with an error
    assert DayOverride.objects.count() == 1


def test_admin_rejects_bad_schedule_text(admin_client):
    r = admin_client.post(
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
            "periods-0-months": "1-13",
            "periods-0-weekdays": "0-4",
            "periods-0-sessions": "7h-11h",
            "periods-0-source": "",
            "overrides-TOTAL_FORMS": "0",
            "overrides-INITIAL_FORMS": "0",
        },
    )
    assert r.status_code == 200
    assert not WorkCalendar.objects.exists()


def test_anonymous_cannot_reach_the_admin(client):
    r = client.get("/admin/calendars/dayoverride/")
    assert r.status_code == 302 and "/login/" in r["Location"]
