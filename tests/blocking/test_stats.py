"""blocking_ontime: II.06a field names, early / on time / late by the shared classify rule."""

from datetime import date, datetime

import pytest

from motcua.blocking import services as s
from motcua.blocking.stats import blocking_ontime
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db

FIELDS = [
    "received_total", "received_online", "received_counter_post", "carried_over",
    "settled_total", "settled_early", "settled_on_time", "settled_late",
    "in_progress_total", "in_progress_within", "in_progress_overdue", "on_time_rate",
]  # fmt: skip


def test_fields_and_classification(make_request, officers):
    received = datetime(2025, 3, 10, 9, 0, tzinfo=TZ)  # due Wed 12 March 09:00
    publish_at = [
        datetime(2025, 3, 11, 10, 0, tzinfo=TZ),  # early (day before the due date)
        datetime(2025, 3, 12, 8, 59, tzinfo=TZ),  # on time
        datetime(2025, 3, 12, 9, 1, tzinfo=TZ),  # late
    ]
    for at in publish_at:
        r = make_request(received_at=received)
        s.request_approve(actor=officers["second"], request_id=r.pk, at=at)
        s.request_publish(actor=officers["second"], request_id=r.pk, at=at)
    make_request(received_at=received)  # never published: overdue at the end of March
    figures = blocking_ontime(date(2025, 3, 1), date(2025, 3, 31))
    assert list(figures) == FIELDS
    assert (figures["settled_early"], figures["settled_on_time"], figures["settled_late"]) == (
        1,
        1,
        1,
    )
    assert figures["received_total"] == 4 and figures["in_progress_overdue"] == 1
    assert figures["on_time_rate"] == 66.67
    # Next month: the unpublished one is carried over.
    april = blocking_ontime(date(2025, 4, 1), date(2025, 4, 30))
    assert april["carried_over"] == 1 and april["received_total"] == 1


def test_nothing_settled_has_no_rate():
    assert blocking_ontime(date(2025, 1, 1), date(2025, 1, 31))["on_time_rate"] is None
