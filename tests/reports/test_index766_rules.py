"""Indicator 2.1 as the national portal computes it (DOMAIN §7): a table of every case of the rule,
the SQL (PostgreSQL and SQLite) equal to the pure-Python reference `classify_21` on random data,
and the other indicators' formulas and proportional scoring."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.dossiers.models import Dossier
from motcua.reports.index766 import (
    DEFAULTS,
    GROUPS,
    INDICATORS,
    Window,
    check_maxima,
    classify_21,
    compute_index,
    measure,
    period_counts,
    rules21,
    score,
)
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db

JAN_FROM, JAN_TO = date(2023, 1, 1), date(2023, 1, 31)
LATER = datetime(2023, 3, 1, 12, tzinfo=TZ)
numbers = count(1)


def t(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=TZ)


def create(procedure, unit, **fields) -> Dossier:
    values = {
        "code": f"R-{next(numbers):06d}",
        "procedure": procedure,
        "unit": unit,
        "channel": fields.pop("channel", "counter"),
        "status": fields.pop("status", 4),
        "applicant_name": "Trần Thị Bình",
    }
    for key, value in fields.items():
        values[key] = t(value) if isinstance(value, str) else value
    return Dossier.objects.create(**values)


def sql_outcomes(window: Window) -> dict[int, str]:
    qs = Dossier.objects.annotate(**rules21.annotations(window)).filter(rules21.in_scope(window))
    late = set(qs.filter(rules21.late_q()).values_list("pk", flat=True))
    return {pk: ("late" if pk in late else "on_time") for pk in qs.values_list("pk", flat=True)}


def python_outcomes(window: Window) -> dict[int, str]:
    out = {}
    for d in Dossier.objects.select_related("procedure"):
        verdict = classify_21(d, window)
        if verdict.outcome is not None:
            out[d.pk] = verdict.outcome
    return out


# (name, dossier fields, expected outcome in January 2023 seen on 1 March: on_time / late / None)
CASES = [
    (
        "finished on the due DAY, hours after the due time: on time (dates compared)",
        {
            "received_at": "2023-01-03T09:00",
            "due_at": "2023-01-10T08:00",
            "finished_at": "2023-01-10T16:30",
            "status": 10,
        },
        "on_time",
    ),
    (
        "finished the day after the due date: late",
        {
            "received_at": "2023-01-03T09:00",
            "due_at": "2023-01-10T17:00",
            "finished_at": "2023-01-11T07:30",
            "status": 9,
        },
        "late",
    ),
    (
        "finished 23:59 local on the due date (16:59 UTC): on time",
        {
            "received_at": "2023-01-03T09:00",
            "due_at": "2023-01-10T08:00",
            "finished_at": "2023-01-10T23:59:59.999",
            "status": 10,
        },
        "on_time",
    ),
    (
        "returned (10) without a result-ready time: ends at the return",
        {
            "received_at": "2023-01-03T09:00",
            "due_at": "2023-01-10T08:00",
            "returned_at": "2023-01-12T09:00",
            "status": 10,
        },
        "late",
    ),
    (
        "supplement requested twice: late although settled early",
        {
            "received_at": "2023-01-03T09:00",
            "due_at": "2023-01-20T08:00",
            "finished_at": "2023-01-05T09:00",
            "status": 10,
            "supplement_requests": 2,
            "supplement_requested_at": "2023-01-04T09:00",
            "supplement_completed_at": "2023-01-04T15:00",
        },
        "late",
    ),
    (
        "one supplement never answered, asked before the due date: ends at the request, on time",
        {
            "received_at": "2023-01-03T09:00",
            "due_at": "2023-01-10T08:00",
            "status": 5,
            "supplement_requests": 1,
            "supplement_requested_at": "2023-01-09T09:00",
        },
        "on_time",
    ),
    (
        "one supplement never answered, asked after the due date: late",
        {
            "received_at": "2023-01-03T09:00",
            "due_at": "2023-01-10T08:00",
            "status": 5,
            "supplement_requests": 1,
            "supplement_requested_at": "2023-01-12T09:00",
        },
        "late",
    ),
    (
        "waiting time subtracted: 4 days waiting, settled 3 days after the appointment",
        {
            "received_at": "2023-01-03T09:00",
            "initial_due_at": "2023-01-10T08:00",
            "due_at": "2023-01-14T08:00",
            "finished_at": "2023-01-13T09:00",
            "status": 10,
            "supplement_requests": 1,
            "supplement_requested_at": "2023-01-05T09:00",
            "supplement_completed_at": "2023-01-09T09:00",
        },
        "on_time",
    ),
    (
        "waiting time subtracted but still after the appointment given at reception: late",
        {
            "received_at": "2023-01-03T09:00",
            "initial_due_at": "2023-01-10T08:00",
            "due_at": "2023-01-14T08:00",
            "finished_at": "2023-01-14T09:00",
            "status": 10,
            "supplement_requests": 1,
            "supplement_requested_at": "2023-01-05T09:00",
            "supplement_completed_at": "2023-01-06T09:00",
        },
        "late",
    ),
    (
        "withdrawn before the due date: finished, on time",
        {
            "received_at": "2023-01-03T09:00",
            "due_at": "2023-01-10T08:00",
            "closed_at": "2023-01-05T09:00",
            "status": 7,
        },
        "on_time",
    ),
    (
        "withdrawn after the due date: late",
        {
            "received_at": "2023-01-03T09:00",
            "due_at": "2023-01-10T08:00",
            "closed_at": "2023-01-12T09:00",
            "status": 7,
        },
        "late",
    ),
    (
        "stopped after the due date: late",
        {
            "received_at": "2023-01-03T09:00",
            "due_at": "2023-01-10T08:00",
            "closed_at": "2023-01-11T09:00",
            "status": 8,
        },
        "late",
    ),
    (
        "refused after reception, on time",
        {
            "received_at": "2023-01-03T09:00",
            "due_at": "2023-01-10T08:00",
            "closed_at": "2023-01-04T09:00",
            "status": 3,
        },
        "on_time",
    ),
    (
        "unfinished, due after the period: ends at the period's end, on time",
        {"received_at": "2023-01-20T09:00", "due_at": "2023-02-15T08:00", "status": 4},
        "on_time",
    ),
    (
        "unfinished, due within the period: late",
        {"received_at": "2023-01-03T09:00", "due_at": "2023-01-20T08:00", "status": 4},
        "late",
    ),
    (
        "settled after the period, due within it: unfinished at the period's end, late",
        {
            "received_at": "2023-01-03T09:00",
            "due_at": "2023-01-20T08:00",
            "finished_at": "2023-02-03T09:00",
            "status": 10,
        },
        "late",
    ),
    (
        "settled after the period, due after it: unfinished within the deadline, on time",
        {
            "received_at": "2023-01-25T09:00",
            "due_at": "2023-02-10T08:00",
            "finished_at": "2023-02-03T09:00",
            "status": 10,
        },
        "on_time",
    ),
    (
        "carried over from December, settled in January on time",
        {
            "received_at": "2022-12-20T09:00",
            "due_at": "2023-01-05T08:00",
            "finished_at": "2023-01-04T09:00",
            "status": 10,
        },
        "on_time",
    ),
    (
        "received and settled in December: not in January's denominator",
        {
            "received_at": "2022-12-01T09:00",
            "due_at": "2022-12-10T08:00",
            "finished_at": "2022-12-20T09:00",
            "status": 10,
        },
        None,
    ),
    (
        "submitted online, never received: left out",
        {"submitted_at": "2023-01-03T09:00", "status": 1},
        None,
    ),
    (
        "refused at intake (never received): left out",
        {"submitted_at": "2023-01-03T09:00", "closed_at": "2023-01-03T10:00", "status": 3},
        None,
    ),
    (
        "received after the period: left out",
        {"received_at": "2023-02-01T00:00", "due_at": "2023-02-10T08:00", "status": 4},
        None,
    ),
    (
        "no due date, within the statutory maximum (5 working days = 7 calendar days)",
        {"received_at": "2023-01-02T09:00", "finished_at": "2023-01-09T08:00", "status": 10},
        "on_time",
    ),
    (
        "no due date, beyond the statutory maximum",
        {"received_at": "2023-01-02T09:00", "finished_at": "2023-01-09T10:00", "status": 10},
        "late",
    ),
]


@pytest.mark.parametrize(("name", "fields", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule_21_table(units, procedure, name, fields, expected):
    procedure.time_value, procedure.time_unit = Decimal(5), "working_days"
    procedure.save()
    d = create(procedure, units["A"], **dict(fields))
    window = Window.of(JAN_FROM, JAN_TO, now=LATER)
    assert classify_21(Dossier.objects.get(pk=d.pk), window).outcome == expected, name
    assert sql_outcomes(window).get(d.pk) == expected, name
    counts = period_counts(JAN_FROM, JAN_TO, now=LATER)[None]
    assert (counts["d21"], counts["late21"]) == (
        int(expected is not None),
        int(expected == "late"),
    )


def test_unfinished_ends_now_while_the_period_runs(units, procedure):
    d = create(procedure, units["A"], received_at="2023-01-03T09:00", due_at="2023-01-20T08:00")
    while_running = Window.of(JAN_FROM, JAN_TO, now=t("2023-01-15T12:00"))
    assert classify_21(d, while_running).outcome == "on_time"
    assert sql_outcomes(while_running) == {d.pk: "on_time"}
    after = Window.of(JAN_FROM, JAN_TO, now=LATER)
    assert sql_outcomes(after) == {d.pk: "late"}


def test_index_21_value_and_points(units, procedure):
    for i in range(3):
        create(
            procedure,
            units["A"],
            received_at="2023-01-03T09:00",
            due_at="2023-01-10T08:00",
            finished_at=f"2023-01-{9 + i:02d}T09:00",
            status=10,
        )
    result = compute_index(JAN_FROM, JAN_TO, now=LATER)
    r = result.by_id("2.1")
    assert (r.numerator, r.denominator, r.value) == (2, 3, Decimal("66.67"))
    # proportional below the target 100 %: 66.67 × 20 ÷ 100
    assert r.score == Decimal("13.33") and r.max == 20


def test_index_54_counts_dislikes_and_feedback_pulled_back_from_the_national_portal(
    units, procedure
):
    """DOMAIN §7, 5.4: a "dislike" or a PAKN on the national portal (pulled back by the DVCQG
    sync, issue 12) costs the dossier like motcua's own 'not satisfied' rating."""
    from motcua.integrations.dvcqg.models import PortalFeedback, PortalRating

    made = [
        create(
            procedure,
            units["A"],
            received_at="2023-01-03T09:00",
            due_at="2023-01-10T08:00",
            finished_at="2023-01-05T09:00",
            status=10,
        )
        for _ in range(4)
    ]
    before = compute_index(JAN_FROM, JAN_TO, now=LATER).by_id("5.4")
    assert before.value == Decimal("100.00")
    PortalRating.objects.create(
        external_id="r-1", dossier=made[0], liked=False, rated_at=t("2023-01-06T10:00")
    )
    PortalRating.objects.create(
        external_id="r-2", dossier=made[1], liked=True, rated_at=t("2023-01-06T10:00")
    )
    PortalFeedback.objects.create(
        external_id="f-1", dossier=made[2], content="Chậm", received_at=t("2023-01-07T10:00")
    )
    after = compute_index(JAN_FROM, JAN_TO, now=LATER).by_id("5.4")
    # 100 % − (0 % late + 2 of 4 with a dislike or a PAKN); a "like" costs nothing.
    assert after.value == Decimal("50.00")


# --- SQL == Python on random dossiers -----------------------------------------------------------
moments = st.datetimes(min_value=datetime(2022, 12, 20), max_value=datetime(2023, 2, 10)).map(
    lambda d: d.replace(tzinfo=TZ)
)
optional = st.one_of(st.none(), moments)
dossier = st.fixed_dictionaries(
    {
        "received_at": optional,
        "status": st.sampled_from(range(1, 11)),
        "finished_at": optional,
        "returned_at": optional,
        "closed_at": optional,
        "due_after": st.one_of(st.none(), st.integers(0, 30 * 24 * 3600)),
        "initial_after": st.one_of(st.none(), st.integers(0, 20 * 24 * 3600)),
        "supplement_requests": st.integers(0, 2),
        "supplement_requested_at": optional,
        "wait": st.one_of(st.none(), st.integers(-3600, 10 * 24 * 3600)),
        "time_value": st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(3), Decimal(15)]),
        "time_unit": st.sampled_from(["working_days", "working_hours", "calendar_days"]),
    }
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(dossier, min_size=1, max_size=10), now=moments)
def test_sql_equals_python_reference(units, procedure, rows, now):
    from motcua.procedures.models import Procedure

    Dossier.objects.all().delete()
    Procedure.objects.exclude(pk=procedure.pk).delete()
    for i, r in enumerate(rows):
        proc = Procedure.objects.create(
            code=f"P-{i}",
            name="p",
            unit=units["A"],
            time_value=r["time_value"],
            time_unit=r["time_unit"],
        )
        base = r["received_at"] or t("2023-01-01T00:00")
        due = None if r["due_after"] is None else base + timedelta(seconds=r["due_after"])
        initial = (
            None if r["initial_after"] is None else base + timedelta(seconds=r["initial_after"])
        )
        requested = r["supplement_requested_at"]
        completed = (
            None
            if requested is None or r["wait"] is None
            else requested + timedelta(seconds=r["wait"])
        )
        Dossier.objects.create(
            code=f"H-{i}",
            procedure=proc,
            unit=units["A"],
            channel="counter",
            status=r["status"],
            applicant_name="A",
            received_at=r["received_at"],
            finished_at=r["finished_at"],
            returned_at=r["returned_at"],
            closed_at=r["closed_at"],
            due_at=due,
            initial_due_at=initial,
            supplement_requests=r["supplement_requests"],
            supplement_requested_at=requested,
            supplement_completed_at=completed,
        )
    for date_from, date_to in ((JAN_FROM, JAN_TO), (date(2023, 1, 10), date(2023, 1, 10))):
        window = Window.of(date_from, date_to, now=now)
        assert sql_outcomes(window) == python_outcomes(window)


# --- the other formulas -------------------------------------------------------------------------
def test_proportional_scoring():
    assert score(Decimal(80), Decimal(4), Decimal(80), True) == 4  # at the target
    assert score(Decimal(95), Decimal(4), Decimal(80), True) == 4
    assert score(Decimal(40), Decimal(4), Decimal(80), True) == Decimal("2.00")
    assert score(Decimal("33.33"), Decimal(6), Decimal(50), True) == Decimal("4.00")
    assert score(None, Decimal(4), Decimal(80), True) == 4  # nothing to measure: a setting
    assert score(None, Decimal(4), Decimal(80), False) == 0


def test_default_settings_sum_to_the_group_maxima_and_are_validated():
    maxima = {k: m for k, (m, _t) in DEFAULTS.items()}
    assert check_maxima(maxima) == []
    assert sum(maxima.values()) == 100 and [g[2] for g in GROUPS] == [18, 20, 22, 22, 18]
    assert DEFAULTS["1.2"][0] == 4 and DEFAULTS["5.4"] == (6, 90) and DEFAULTS["3.3"][1] == 50
    bad = {**maxima, "4.1": Decimal(6)}
    assert len(check_maxima(bad)) == 1 and "4" in check_maxima(bad)[0]
    missing = {k: v for k, v in maxima.items() if k != "2.1"}
    assert check_maxima(missing)
    assert [i.id for i in INDICATORS] == [
        "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "3.1", "3.2", "3.3", "3.5", "3.6",
        "4.1", "4.2", "4.3", "4.4", "4.5", "5.1", "5.2", "5.3", "5.4",
    ]  # fmt: skip


def test_measures_from_counts():
    c = {
        "received": 10, "synced": 5, "online": 6, "online_counted": 4, "d21": 20,
        "late21": 2, "complained": 3, "pakn": 4, "pakn_due": 3, "pakn_late": 1, "pakn_bad": 2,
        "fee_dossiers": 0, "paid_online": 0,
    }  # fmt: skip
    assert measure("1.4", c) == (5, 10, Decimal("50.00"))
    # 3.3 = online ÷ received × the sync rate: 40 % × 50 %
    assert measure("3.3", c) == (4, 10, Decimal("20.00"))
    # 5.4 = 100 − (10 % late + 15 % with feedback or a dislike)
    assert measure("5.4", c) == (15, 20, Decimal("75.00"))
    assert measure("5.2", c) == (2, 3, Decimal("66.67"))
    assert measure("5.3", c) == (2, 4, Decimal("50.00"))
    assert measure("3.6", c) == (0, 0, None)  # N/A
