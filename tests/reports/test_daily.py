"""II.06a from the daily figures (motcua.reports.daily) equals II.06a from the raw rows, for random
dossier histories (reception, updates, supplements, withdrawals, settling, deletions), random
periods, every rule profile and every grouping — on SQLite and on PostgreSQL (issue 17)."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.dossiers.models import Dossier
from motcua.reports import daily
from motcua.reports.models import DailyFigure, DailyFiguresState
from motcua.reports.ontime import compute_grouped, compute_ontime, profile_rules
from motcua.worktime import TZ

from .test_ontime import any_rules

pytestmark = pytest.mark.django_db

START = datetime(2022, 11, 20, tzinfo=TZ)
#: Minutes after START (about four months): histories cross days, months and a year's end.
minutes = st.integers(min_value=0, max_value=150 * 24 * 60)
days = st.dates(min_value=date(2022, 11, 15), max_value=date(2023, 4, 20))


def at(minute: int | None) -> datetime | None:
    return None if minute is None else START + timedelta(minutes=minute)


# One dossier's history: its reception, a due time, then a sequence of changes, each saved.
change = st.one_of(
    st.tuples(st.just("settle"), minutes, st.sampled_from([9, 10])),
    st.tuples(st.just("close"), minutes, st.sampled_from([3, 7, 8])),
    st.tuples(st.just("wait"), st.just(0), st.sampled_from([5, 6])),
    st.tuples(st.just("resume"), st.just(0), st.just(4)),
    st.tuples(st.just("extend"), minutes, st.just(0)),  # a new due time (after a supplement)
    st.tuples(st.just("reopen"), st.just(0), st.just(4)),  # a correction: not ended after all
    st.tuples(st.just("move"), st.just(0), st.just(0)),  # another unit / procedure
    st.tuples(st.just("delete"), st.just(0), st.just(0)),
)
history = st.tuples(
    st.one_of(st.none(), minutes),  # received (None: submitted online, never received)
    st.one_of(st.none(), st.integers(min_value=0, max_value=40 * 24 * 60)),  # due after
    st.sampled_from(["online", "counter", "post"]),
    st.lists(change, max_size=4),
)


@pytest.fixture
def world(units, procedure):
    from decimal import Decimal

    from motcua.procedures.models import Field, Procedure

    field = Field.objects.create(code="LV-1", name="Lĩnh vực 1")
    other = Procedure.objects.create(
        code="P-B", name="Thủ tục B", unit=units["B"], time_value=Decimal(5), field=field
    )
    return [(units["A"], procedure), (units["B"], other), (units["A"], other)]


def play(world, number: int, spec, *, regular: bool = True) -> None:
    """Create one dossier and apply its history with Dossier.save() (the dossier services' way)."""
    received, due_after, channel, changes = spec
    unit, proc = world[number % len(world)]
    r = at(received)
    d = Dossier.objects.create(
        code=f"H-{number:05d}",
        procedure=proc,
        unit=unit,
        channel=channel,
        status=2 if r else 1,
        applicant_name="Nguyễn Văn An",
        submitted_at=r or START,
        received_at=r,
        due_at=r + timedelta(minutes=due_after) if r and due_after is not None else None,
    )
    for i, (what, minute, status) in enumerate(changes):
        if what == "delete":
            d.delete()
            return
        if what == "move":
            d.unit, d.procedure = world[(number + i + 1) % len(world)]
            d.save()
            continue
        if d.received_at is None:
            d.received_at = at(minute) if what != "resume" else START
            d.status = 2
            d.save(update_fields=["received_at", "status"])
            continue
        moment = at(minute)
        if regular and moment is not None and moment < d.received_at:
            moment = d.received_at + timedelta(minutes=minute % 600)
        if what == "settle":
            d.status, d.finished_at, d.closed_at = status, moment, None
        elif what == "close":
            d.status, d.closed_at, d.finished_at = status, moment, None
        elif what in ("wait", "resume", "reopen"):
            d.status, d.finished_at, d.closed_at = status, None, None
        elif what == "extend":
            d.due_at = moment if moment >= d.received_at else d.received_at
        d.save()


def assert_same(period, rules) -> None:
    raw = compute_ontime(*period, rules=rules, source="raw")
    assert compute_ontime(*period, rules=rules, source="daily") == raw
    for group_by in ("unit", "procedure", "field"):
        a = compute_grouped(*period, group_by=group_by, rules=rules, source="raw")
        b = compute_grouped(*period, group_by=group_by, rules=rules, source="daily")
        assert b == a, group_by


def stored() -> dict:
    """{key: figure}: the sum of each key's rows (writes add rows; `compact` folds them)."""
    out: dict = {}
    for r in DailyFigure.objects.all():
        key = (r.unit_id, r.procedure_id, r.grain, r.day, r.kind, r.status, r.channel,
               r.timeliness, r.due_on)  # fmt: skip
        out[key] = out.get(key, 0) + r.n
    return {k: v for k, v in out.items() if v}


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    histories=st.lists(history, min_size=1, max_size=12),
    periods=st.lists(st.tuples(days, days), min_size=1, max_size=3),
    drawn=any_rules,
)
def test_daily_figures_equal_the_raw_rows(world, histories, periods, drawn):
    Dossier.objects.all().delete()
    daily.rebuild()  # empty: the figures are ready, then every save keeps them in step
    for number, spec in enumerate(histories):
        play(world, number, spec)
    profiles = [profile_rules(code) for code in ("national", "provincial", "motcua-2023")]
    for first, second in periods:
        period = (min(first, second), max(first, second))
        for rules in [*profiles, drawn]:
            assert_same(period, rules)
    # Folding the rows the writes added changes no figure and leaves one row per key.
    kept = stored()
    call_command("report", "rebuild-daily", "--compact", stdout=io.StringIO())
    assert stored() == kept
    assert DailyFigure.objects.count() == len(kept)
    assert_same(period, profiles[0])
    # The figures kept write by write are the figures rebuilt from scratch.
    daily.rebuild()
    assert stored() == kept


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(histories=st.lists(history, min_size=1, max_size=8), period=st.tuples(days, days))
def test_irregular_dossiers_are_answered_from_the_raw_rows(world, histories, period):
    """A dossier ended before its reception contradicts itself: the report falls back to the raw
    rows (the same figures, the same warning), and asking for the daily path says it cannot."""
    Dossier.objects.all().delete()
    daily.rebuild()
    for number, spec in enumerate(histories):
        play(world, number, spec, regular=False)
    period = (min(period), max(period))
    irregular = daily.irregular()
    for code in ("national", "provincial", "motcua-2023"):
        rules = profile_rules(code)
        raw = compute_ontime(*period, rules=rules, source="raw")
        assert compute_ontime(*period, rules=rules) == raw
        if irregular:
            with pytest.raises(LookupError):
                compute_ontime(*period, rules=rules, source="daily")
        else:
            assert_same(period, rules)
    kept = stored()
    daily.rebuild()  # the SQL fill counts irregular dossiers like the writes did
    assert stored() == kept


def test_the_raw_path_answers_until_the_figures_are_built(make_dossier):
    make_dossier(received="2023-01-03T08:00", due="2023-01-05T17:00", finished="2023-01-04T10:00",
                 status=10)  # fmt: skip
    period = (date(2023, 1, 1), date(2023, 1, 31))
    assert not daily.ready()
    with pytest.raises(LookupError):
        compute_ontime(*period, source="daily")
    raw = compute_ontime(*period)
    out = io.StringIO()
    call_command("report", "rebuild-daily", "--format", "json", stdout=out)
    assert '"dossiers": 1' in out.getvalue()
    assert DailyFiguresState.objects.get().dossiers == 1
    assert compute_ontime(*period, source="daily") == raw
    assert raw.settled_early == 1


def test_a_report_reads_buckets_not_dossiers(make_dossier, django_assert_max_num_queries):
    """A year's report is one query over a handful of bucket rows (a year's row instead of 365
    days' rows; the readiness mark is part of it)."""
    for day in range(1, 29):
        make_dossier(received=f"2023-02-{day:02d}T08:00", due=f"2023-03-{day:02d}T17:00")
    daily.rebuild()
    rules = profile_rules()
    with django_assert_max_num_queries(1):
        report = compute_ontime(date(2023, 1, 1), date(2023, 12, 31), rules=rules)
    assert report.received_counter_post == 28
    assert report.in_progress_overdue == 28
    q = daily.span(date(2023, 1, 1), date(2023, 12, 31))
    assert DailyFigure.objects.filter(q).filter(kind=daily.IN).count() == 1  # the year's row


def test_span_covers_exactly_the_days():
    from django.db.models import Q

    def covered(q: Q) -> set:
        out = set()
        for child in q.children:
            if isinstance(child, Q) and child.children and dict(child.children).get("grain"):
                kw = dict(child.children)
                lo, hi, g = kw["day__gte"], kw["day__lte"], kw["grain"]
                day = lo
                while day <= hi:
                    if g == "d":
                        out.add(day)
                        day += timedelta(days=1)
                    elif g == "m":
                        nxt = daily._next_month(day)
                        out |= {day + timedelta(days=i) for i in range((nxt - day).days)}
                        day = nxt
                    else:
                        nxt = date(day.year + 1, 1, 1)
                        out |= {day + timedelta(days=i) for i in range((nxt - day).days)}
                        day = nxt
        return out

    for lo, hi in [
        (date(2023, 1, 1), date(2023, 12, 31)),
        (date(2022, 12, 15), date(2024, 2, 3)),
        (date(2023, 3, 31), date(2023, 4, 1)),
        (date(2023, 2, 1), date(2023, 2, 28)),
        (date(2020, 1, 2), date(2023, 1, 1)),
    ]:
        want = {lo + timedelta(days=i) for i in range((hi - lo).days + 1)}
        assert covered(daily.span(lo, hi)) == want


IMPORTED = [  # the rows of tests/dossiers/test_import.py
    "000.00.12.H57-230103-0001,DEMO-LLTP-01,Cấp Phiếu LLTP,000.00.12.H57,Sở Tư pháp,online,Nguyễn Văn An,2023-01-03T08:00,2023-01-03T09:00,2023-01-06T09:00,2023-01-05T10:00,2023-01-06T10:00,10",
    "000.00.12.H57-230103-0002,DEMO-LLTP-01,,000.00.12.H57,,counter,Trần Thị Bình,,2023-01-03T10:00:00+07:00,2023-01-06T10:00,2023-01-06T11:00,,9",
    "000.00.12.H57-230104-0001,DEMO-LLTP-01,,000.00.12.H57,,post,Lê Văn Cường,,2023-01-04T09:00,2023-01-09T09:00,2023-01-05T09:00,,7",
    "000.00.12.H57-230104-0002,DEMO-LLTP-01,,000.00.12.H57,,counter,Phạm Thị Dung,,2023-01-04T09:00,2023-01-09T09:00,,,4",
]  # fmt: skip


@pytest.mark.parametrize("small_batches", [False, True])
def test_the_dossier_import_keeps_the_figures(
    tmp_path, capsys, procedure, monkeypatch, small_batches
):
    """The import writes in bulk (no save()): it moves the daily figures itself, summing the
    differences over its batches (flushed when many: forced here with `small_batches`)."""
    from motcua.dossiers import importer
    from motcua.dossiers.importer import COLUMNS

    if small_batches:
        monkeypatch.setattr(importer, "BATCH", 2)
        monkeypatch.setattr(importer, "DAILY_FLUSH", 1)

    def load(rows: list[str], name: str) -> None:
        path = tmp_path / name
        path.write_text("\n".join([",".join(COLUMNS), *rows]) + "\n", encoding="utf-8")
        call_command("import-dossiers", str(path))

    daily.rebuild()
    load(IMPORTED, "in.csv")
    changed = [*IMPORTED]
    changed[3] = changed[3].replace(",,,4", ",2023-01-06T09:00,,9")
    changed[0] = changed[0].replace("2023-01-05T10:00", "2023-01-06T09:30")  # after the due time
    load(changed, "again.csv")
    kept = stored()
    for code in ("national", "provincial", "motcua-2023"):
        for period in [(date(2023, 1, 1), date(2023, 1, 31)), (date(2023, 1, 5), date(2023, 1, 6))]:
            assert_same(period, profile_rules(code))
    assert compute_ontime(date(2023, 1, 1), date(2023, 1, 31), source="daily").settled_late == 2
    daily.rebuild()
    assert stored() == kept
