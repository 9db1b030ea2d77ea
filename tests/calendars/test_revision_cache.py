"""The calendars' revision is cached per process (issue 17): no query per deadline, yet a change
saved in this process applies to the very next deadline, and other processes see it after the
recheck delay."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.calendars import provider
from motcua.calendars.models import DayOverride, WorkCalendar
from motcua.worktime import get_calendar

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2025-03-10T10:00:00+07:00")


def test_repeated_deadlines_run_no_query_once_the_revision_is_known(settings):
    settings.MOTCUA_CALENDAR_RECHECK_SECONDS = 60
    get_calendar("hue").add(START, hours=16)
    with CaptureQueriesContext(connection) as queries:
        for hours in range(1, 50):
            get_calendar("hue").add(START, hours=hours)
    assert len(queries) == 0


def test_a_change_saved_here_applies_to_the_next_deadline(settings):
    settings.MOTCUA_CALENDAR_RECHECK_SECONDS = 60
    cal = WorkCalendar.objects.create(name="so-tu-phap", title="Sở Tư pháp", base="hue")
    assert get_calendar("so-tu-phap").add(START, hours=8).isoformat() == "2025-03-11T10:00:00+07:00"
    override = DayOverride.objects.create(
        calendar=cal, date=date(2025, 3, 11), working=False, source_document="QĐ nội bộ"
    )
    # Tuesday is now off: 8 hours from Monday 10:00 end on Wednesday 10:00.
    assert get_calendar("so-tu-phap").add(START, hours=8).isoformat() == "2025-03-12T10:00:00+07:00"
    override.delete()
    assert get_calendar("so-tu-phap").add(START, hours=8).isoformat() == "2025-03-11T10:00:00+07:00"


def test_a_change_made_by_another_process_is_seen_after_the_recheck_delay(settings):
    """`.update()` sends no signal, like a write by another worker: the cached revision holds until
    the delay has passed, then the database is asked again."""
    cal = WorkCalendar.objects.create(name="so-tu-phap", title="Sở Tư pháp", base="hue")
    override = DayOverride.objects.create(
        calendar=cal, date=date(2025, 3, 11), working=True, source_document="QĐ nội bộ"
    )
    settings.MOTCUA_CALENDAR_RECHECK_SECONDS = 60
    before = get_calendar("so-tu-phap").add(START, hours=8)
    DayOverride.objects.filter(pk=override.pk).update(
        working=False, updated_at=datetime.now().astimezone()
    )
    assert get_calendar("so-tu-phap").add(START, hours=8) == before  # still trusted
    settings.MOTCUA_CALENDAR_RECHECK_SECONDS = 0  # the delay has passed
    assert get_calendar("so-tu-phap").add(START, hours=8) != before


def test_invalidate_forces_one_query():
    provider.revision()
    with CaptureQueriesContext(connection) as queries:
        provider.revision()
    assert len(queries) == 0
    provider.invalidate()
    with CaptureQueriesContext(connection) as queries:
        provider.revision()
    assert len(queries) == 1
