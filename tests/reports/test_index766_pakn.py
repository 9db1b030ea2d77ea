"""766 indicator 5.2 (DOMAIN §7): a PAKN is on time iff every step it went through met its limit —
rejected ≤ 2 working days, more information requested ≤ 5, answered ≤ 15 (of reception), published
≤ 2 after the answer — and a PAKN still open is late once a limit it is subject to has passed."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from motcua.reports.index766 import measure, period_counts
from motcua.reports.index766.counts import failing_queryset
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db

MARCH = (date(2023, 3, 1), date(2023, 3, 31))
# Received Wed 01/03 09:00: reject by 03/03, information by 08/03, answer by 22/03 (09:00).
RECEIVED = datetime(2023, 3, 1, 9, 0, tzinfo=TZ)


def at(day: int, month: int = 3, hour: int = 10) -> datetime:
    return datetime(2023, month, day, hour, 0, tzinfo=TZ)


@pytest.fixture
def make(units, personas):
    from motcua.feedback import services

    leader = personas["leader"]

    def build(name, *, received=RECEIVED, reject=None, info=None, answer=None, publish=None):
        item = services.feedback_receive(
            actor=None,
            unit=units["A"],
            kind="feedback",
            sender_name=name,
            sender_phone="0905000001",
            content=name,
            now=received,
        )
        if info:
            services.feedback_request_info(actor=leader, feedback_id=item.pk, note="?", now=info)
        if reject:
            services.feedback_reject(actor=leader, feedback_id=item.pk, reason="x", now=reject)
        if answer:
            services.feedback_answer(actor=leader, feedback_id=item.pk, answer="ok", now=answer)
        if publish:
            services.feedback_publish(actor=leader, feedback_id=item.pk, now=publish)
        return item

    return build


def late_names(now=None) -> set[str]:
    qs, subject = failing_queryset("5.2", *MARCH, now=now)
    assert subject == "feedback"
    return set(qs.values_list("sender_name", flat=True))


@pytest.mark.parametrize(
    ("steps", "late"),
    [
        ({"reject": at(2)}, False),
        ({"reject": at(3, hour=8)}, False),
        ({"reject": at(6)}, True),  # 3 working days
        ({"info": at(3), "answer": at(10), "publish": at(13)}, False),
        ({"info": at(9), "answer": at(10), "publish": at(10)}, True),  # information asked late
        ({"info": at(9), "reject": at(9)}, True),
        ({"answer": at(22, hour=8), "publish": at(23)}, False),
        ({"answer": at(23), "publish": at(23)}, True),  # answered after 15 working days
        ({"answer": at(10), "publish": at(20)}, True),  # published 6 working days later
        ({"answer": at(10)}, True),  # answered, never published, publish limit passed
        ({}, True),  # still open after the answer limit
        ({"info": at(2)}, True),  # information asked on time, then nothing
    ],
)
def test_each_step_against_its_limit(make, steps, late):
    make("one", **steps)
    counts = period_counts(*MARCH)[None]
    assert (counts["pakn"], counts["pakn_due"], counts["pakn_late"]) == (1, 1, int(late))
    assert late_names() == ({"one"} if late else set())


def test_open_pakn_within_its_limits_is_not_counted_yet(make):
    make("fresh", received=at(28))  # answer due in April
    make("asked", received=at(27), info=at(28))
    make("answered", received=at(27), answer=at(30))  # publish due Mon 03/04
    make("rejected", received=at(30), reject=at(31))
    counts = period_counts(*MARCH)[None]
    # Only the closed ones are due: answered (not yet published, on time so far) and rejected.
    assert (counts["pakn"], counts["pakn_due"], counts["pakn_late"]) == (4, 2, 0)
    assert late_names() == set()


def test_a_step_after_the_period_does_not_save_it(make):
    make("late answer", answer=at(3, month=4), publish=at(3, month=4))
    make("late publish", answer=at(20), publish=at(3, month=4))  # publish due 22/03
    counts = period_counts(*MARCH)[None]
    assert (counts["pakn_due"], counts["pakn_late"]) == (2, 2)
    assert late_names() == {"late answer", "late publish"}


def test_the_ratio(make):
    make("a", reject=at(2))
    make("b", answer=at(10), publish=at(13))
    make("c", reject=at(6))
    make("d")
    counts = period_counts(*MARCH)[None]
    assert measure("5.2", counts)[:2] == (2, 4)
    assert late_names() == {"c", "d"}
