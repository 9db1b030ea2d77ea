"""II.06a computation (DOMAIN §6): every column, the identity, the timeliness rule in SQL."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.dossiers.choices import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.timeliness import classify
from motcua.reports import demo
from motcua.reports.ontime import LEGACY, compute_ontime, on_time_rate, timeliness_case
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db

JAN, FEB = (date(2023, 1, 1), date(2023, 1, 31)), (date(2023, 2, 1), date(2023, 2, 28))


def test_every_column_on_hand_made_dossiers(make_dossier):
    # Carried over from December, settled early in January (due 10/01, settled 09/01).
    make_dossier(
        received="2022-12-28T09:00", due="2023-01-10T09:00", finished="2023-01-09T16:00", status=10
    )
    # New online, settled on the due date before the due time.
    make_dossier(
        received="2023-01-03T09:00",
        due="2023-01-06T09:00",
        finished="2023-01-06T08:59",
        status=9,
        channel="online",
    )
    # New by post, settled on the due date but after the due time: late.
    make_dossier(
        received="2023-01-03T09:00",
        due="2023-01-06T09:00",
        finished="2023-01-06T09:01",
        status=10,
        channel="post",
    )
    # New at the counter, still open on 31/01, due in February: within the deadline.
    make_dossier(received="2023-01-30T09:00", due="2023-02-02T09:00")
    # New, open, due on 31/01 17:00 (before the end of the period): overdue.
    make_dossier(received="2023-01-20T09:00", due="2023-01-31T17:00", status=5)
    # New, settled only in February: in progress at the end of January (overdue).
    make_dossier(
        received="2023-01-25T09:00", due="2023-01-27T09:00", finished="2023-02-01T08:00", status=10
    )
    # Withdrawn and stopped in January: reported apart.
    make_dossier(
        received="2023-01-04T09:00", due="2023-01-09T09:00", closed="2023-01-05T10:00", status=7
    )
    make_dossier(
        received="2023-01-04T09:00", due="2023-01-09T09:00", closed="2023-01-06T10:00", status=8
    )
    # Not in January at all: settled before the period, received after it, never received.
    make_dossier(
        received="2022-12-01T09:00", due="2022-12-05T09:00", finished="2022-12-30T09:00", status=10
    )
    make_dossier(received="2023-02-01T00:00", due="2023-02-03T09:00")
    make_dossier(received=None, status=1, channel="online")
    # Closed before the period: not carried over.
    make_dossier(
        received="2022-12-01T09:00", due="2022-12-05T09:00", closed="2022-12-02T09:00", status=7
    )

    r = compute_ontime(*JAN)
    assert (r.received_online, r.received_counter_post, r.carried_over) == (1, 6, 1)
    assert r.received_total == 8
    assert (r.settled_early, r.settled_on_time, r.settled_late, r.settled_total) == (1, 1, 1, 3)
    assert (r.in_progress_within, r.in_progress_overdue, r.in_progress_total) == (1, 2, 3)
    assert (r.withdrawn, r.refused, r.stopped, r.closed_apart) == (1, 0, 1, 2)
    assert (
        r.identity_ok and r.received_total == r.settled_total + r.in_progress_total + r.closed_apart
    )
    assert r.on_time_rate == Decimal("66.67")

    # February: the January leftovers carry over; the one settled on 01/02 is late.
    f = compute_ontime(*FEB)
    assert f.carried_over == 3 and f.received_counter_post == 1
    assert (f.settled_total, f.settled_late) == (1, 1)
    assert f.identity_ok


def test_unit_filter_and_boundaries_in_local_time(make_dossier, units):
    # 00:00 local on 01/01 is inside January; 23:59:59 on 31/01 too; 00:00 on 01/02 is not.
    make_dossier(received="2023-01-01T00:00", due="2023-01-03T09:00")
    make_dossier(received="2023-01-31T23:59:59", due="2023-02-03T09:00", unit="B")
    make_dossier(received="2023-02-01T00:00", due="2023-02-03T09:00")
    assert compute_ontime(*JAN).received_total == 2
    assert compute_ontime(*JAN, units=[units["A"]]).received_total == 1
    assert compute_ontime(*JAN, units=[units["B"]]).received_total == 1
    assert compute_ontime(*JAN, units=[]).received_total == 0


def test_inconsistent_data_breaks_the_identity_and_is_flagged(make_dossier):
    # A settling time with an "in progress" status fits in no column.
    make_dossier(
        received="2023-01-03T09:00", due="2023-01-06T09:00", finished="2023-01-05T09:00", status=4
    )
    r = compute_ontime(*JAN)
    assert r.received_total == 1 and r.settled_total == 0 and r.in_progress_total == 0
    assert not r.identity_ok and r.unaccounted == 1
    assert r.as_json()["identity_ok"] is False


def test_compare_by_date_counts_anything_on_the_due_date_as_on_time(make_dossier):
    make_dossier(
        received="2023-01-03T09:00", due="2023-01-06T09:00", finished="2023-01-06T16:00", status=10
    )
    assert compute_ontime(*JAN).settled_late == 1
    r = compute_ontime(*JAN, rules=replace(LEGACY, compare="date"))
    assert (r.settled_on_time, r.settled_late) == (1, 0)


def test_no_due_time_counts_as_on_time_like_classify(make_dossier):
    make_dossier(received="2023-01-03T09:00", finished="2023-01-20T09:00", status=10)
    assert compute_ontime(*JAN).settled_on_time == 1


def test_rate_rounding_and_published_figures():
    # DOMAIN §6: Lâm Đồng Q1/2020 635,593 / 643,272 = 98.81 %; the article 13,456 / 13,620.
    assert on_time_rate(635_593, 643_272) == Decimal("98.81")
    assert on_time_rate(13_456, 13_620) == Decimal("98.80")
    for settled in range(13_613, 13_627):  # every settled total the article allows reads "98.8 %"
        rate = Decimal(1_345_600) / settled
        assert rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) == Decimal("98.8")
    assert on_time_rate(1, 3) == Decimal("33.33") and on_time_rate(2, 3) == Decimal("66.67")
    assert on_time_rate(0, 0) is None
    assert compute_ontime(*JAN).as_json()["on_time_rate"] is None


def test_scaled_down_article_figure(units):
    counts = demo.DemoCounts(
        early=220,
        on_time=27,
        late=3,
        in_progress_within=12,
        in_progress_overdue=2,
        withdrawn=2,
        stopped=1,
    )
    demo.save(demo.build(units["A"], counts, seed=7))
    r = compute_ontime(*demo.PERIOD, units=[units["A"]])
    assert r.received_total == counts.received and r.carried_over == 0
    assert (r.settled_total, r.settled_early + r.settled_on_time) == (250, 247)
    assert r.on_time_rate == Decimal("98.80")
    assert (r.in_progress_within, r.in_progress_overdue) == (12, 2)
    assert r.identity_ok


@pytest.mark.seeded_default
def test_full_demo_loader_gives_the_article_figure_and_is_idempotent(units):
    demo.load(io.StringIO())
    # The department's default profile as seeded (provincial practice, DOMAIN §6).
    r = compute_ontime(*demo.PERIOD, units=[units["A"]])
    assert r.profile == "provincial"
    assert r.received_total == 14_358
    assert r.settled_early + r.settled_on_time == 13_456
    assert r.settled_total == 13_620 and r.on_time_rate == Decimal("98.80")
    assert r.carried_over == 0 and r.identity_ok
    # Every seeded profile reads the article's 98.8 % (one decimal) from the same data.
    for code in ("national", "motcua-2023"):
        other = compute_ontime(*demo.PERIOD, units=[units["A"]], rules=code)
        assert other.received_total == 14_358 and other.identity_ok, code
        assert other.on_time_rate is not None
        assert other.on_time_rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) == Decimal(
            "98.8"
        ), code
    # The 766 marks are filled (1.4 sync, electronic results, digitisation), most of them set.
    hist = Dossier.objects.filter(unit=units["A"])
    assert hist.filter(synced_at__isnull=False).count() > 13_000
    assert hist.filter(electronic_result=True).count() > 5_000
    assert hist.filter(digitised=True).count() > 10_000
    out = io.StringIO()
    demo.load(out)
    assert "already" in out.getvalue()
    in_2023 = Dossier.objects.filter(unit=units["A"], code__startswith=f"{units['A'].code}-23")
    assert in_2023.count() == 14_358
    # Beside it, the twelve months up to yesterday (demo_recent, issue 14); nothing live.
    assert Dossier.objects.filter(unit=units["A"]).count() > 14_358
    assert not Dossier.objects.filter(is_historical=False).exists()


# --- the SQL timeliness rule equals timeliness.classify -----------------------------------------
moments = st.datetimes(min_value=datetime(2022, 12, 25), max_value=datetime(2023, 1, 10)).map(
    lambda d: d.replace(tzinfo=TZ)
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pairs=st.lists(
        st.tuples(moments, st.one_of(st.none(), moments), st.sampled_from([0, 1, 59, 3600])),
        min_size=1,
        max_size=12,
    )
)
def test_sql_classification_equals_classify(make_dossier, pairs):
    Dossier.objects.all().delete()
    expected = {}
    for i, (finished, due, jitter) in enumerate(pairs):
        # Half of the cases sit right on the due time or the local midnight, where rules differ.
        if due is not None and i % 2:
            finished = (
                due + timedelta(seconds=jitter)
                if i % 4 == 1
                else due.replace(hour=0, minute=0, second=0, microsecond=0)
                - timedelta(microseconds=jitter)
            )
        received = min(finished, due or finished) - timedelta(hours=1)
        d = make_dossier(received=received.isoformat()[:26], status=Status.RETURNED)
        Dossier.objects.filter(pk=d.pk).update(
            received_at=received, due_at=due, finished_at=finished
        )
        expected[d.pk] = (classify(finished, due), classify(finished, due, compare="date"))
    got = dict(Dossier.objects.annotate(t=timeliness_case()).values_list("pk", "t"))
    got_date = dict(Dossier.objects.annotate(t=timeliness_case("date")).values_list("pk", "t"))
    assert got == {pk: e[0] for pk, e in expected.items()}
    assert got_date == {pk: e[1] for pk, e in expected.items()}


# --- every rule profile: the one aggregate query equals a slow, obvious reference ---------------
CLOSED_FIELD = {3: "refused", 7: "withdrawn", 8: "stopped"}
WAITING_FIELD = {5: "waiting_supplement", 6: "waiting_payment"}


def reference_column(d, start, end, rules) -> str | None:
    """Where one dossier goes in II.06a under `rules`, decided row by row with `classify`.

    'early' / 'on_time' / 'late' (settled), 'within' / 'overdue' (in progress), 'apart', or None
    (not in column 3, or in no column: data contradicting itself)."""
    if d.received_at is None or d.received_at >= end:
        return None
    if (d.finished_at and d.finished_at < start) or (d.closed_at and d.closed_at < start):
        return None
    by_due = "within" if d.due_at is None or d.due_at >= end else "overdue"
    if d.status in (9, 10) and d.finished_at and d.finished_at < end:
        return classify(d.finished_at, d.due_at, compare=rules.compare)
    if d.status in CLOSED_FIELD and d.closed_at and d.closed_at < end:
        rule = getattr(rules, CLOSED_FIELD[d.status])
        return {
            "apart": "apart",
            "settled_on_time": "on_time",
            "settled_by_date": classify(d.closed_at, d.due_at, compare=rules.compare),
            "in_progress_within": "within",
            "in_progress_by_due": by_due,
        }[rule]
    if (d.finished_at is None or d.finished_at >= end) and (
        d.closed_at is None or d.closed_at >= end
    ):
        if d.status in WAITING_FIELD and getattr(rules, WAITING_FIELD[d.status]) == (
            "in_progress_within"
        ):
            return "within"
        return by_due
    return None


closed_rules = st.sampled_from(
    ["apart", "settled_on_time", "settled_by_date", "in_progress_within", "in_progress_by_due"]
)
waiting_rules = st.sampled_from(["in_progress_within", "in_progress_by_due"])
any_rules = st.builds(
    lambda r, w, s, p, x, c, n: replace(
        LEGACY,
        code="drawn",
        refused=r,
        withdrawn=w,
        stopped=s,
        waiting_supplement=p,
        waiting_payment=x,
        compare=c,
        denominator=n,
    ),
    closed_rules,
    closed_rules,
    closed_rules,
    waiting_rules,
    waiting_rules,
    st.sampled_from(["timestamp", "date"]),
    st.sampled_from(["settled", "due"]),
)
row_strategy = st.tuples(
    st.sampled_from([2, 3, 4, 5, 6, 7, 8, 9, 10]),
    moments,  # received
    st.one_of(st.none(), moments),  # due
    moments,  # end of processing (settled or closed), if the status has one
    st.sampled_from([0, 1, 59, 3600]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(row_strategy, min_size=1, max_size=14), drawn=any_rules)
def test_every_profile_equals_the_reference(make_dossier, rows, drawn):
    from motcua.reports.ontime import DRILL_COLUMNS, column_queryset, period_bounds, profile_rules

    Dossier.objects.all().delete()
    period = (date(2022, 12, 31), date(2023, 1, 5))
    start, end = period_bounds(*period)
    made = []
    for i, (status, received, due, ended, jitter) in enumerate(rows):
        if due is not None and i % 2:  # right on the due time or the local midnight
            ended = (
                due + timedelta(seconds=jitter)
                if i % 4 == 1
                else due.replace(hour=0, minute=0, second=0, microsecond=0)
                - timedelta(microseconds=jitter)
            )
        received = min(received, ended, due or ended)
        finished = ended if status in (9, 10) else None
        closed = ended if status in (3, 7, 8) else None
        d = make_dossier(received="2023-01-01T08:00", status=status)
        Dossier.objects.filter(pk=d.pk).update(
            received_at=received, due_at=due, finished_at=finished, closed_at=closed
        )
        d.refresh_from_db()
        made.append(d)
    profiles = [profile_rules(code) for code in ("national", "provincial", "motcua-2023")]
    for rules in [*profiles, drawn]:
        where = [reference_column(d, start, end, rules) for d in made]
        r = compute_ontime(*period, rules=rules)
        got = {
            "early": r.settled_early,
            "on_time": r.settled_on_time,
            "late": r.settled_late,
            "within": r.in_progress_within,
            "overdue": r.in_progress_overdue,
            "apart": r.closed_apart,
        }
        assert got == {k: where.count(k) for k in got}, rules
        assert r.received_total == sum(
            1
            for d in made
            if d.received_at < end
            and (
                reference_column(d, start, end, rules) is not None
                or not (
                    (d.finished_at and d.finished_at < start)
                    or (d.closed_at and d.closed_at < start)
                )
            )
        )
        assert r.identity_ok == (
            None
            not in [
                w
                for d, w in zip(made, where, strict=True)
                if d.received_at < end
                and not (d.finished_at and d.finished_at < start)
                and not (d.closed_at and d.closed_at < start)
            ]
        )
        for column in DRILL_COLUMNS:
            assert column_queryset(column, *period, rules=rules).count() == getattr(r, column)
