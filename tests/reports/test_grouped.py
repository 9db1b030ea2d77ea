"""Grouped II.06a (unit / field / procedure), roll-up of historical units, settings as data,
drill-down querysets equal to the columns, and the Lâm Đồng figure from constructed data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from motcua.reports.ontime import (
    COUNT_FIELDS,
    DRILL_COLUMNS,
    LEGACY,
    column_queryset,
    compute_grouped,
    compute_ontime,
    successor_map,
)

pytestmark = pytest.mark.django_db

JAN = (date(2023, 1, 1), date(2023, 1, 31))


@pytest.fixture
def mixed(make_dossier, units):
    """Dossiers of units A and B covering every column."""
    rows = [
        dict(
            received="2022-12-28T09:00",
            due="2023-01-10T09:00",
            finished="2023-01-09T16:00",
            status=10,
        ),
        dict(
            received="2023-01-03T09:00",
            due="2023-01-06T09:00",
            finished="2023-01-06T08:59",
            status=9,
            channel="online",
        ),
        dict(
            received="2023-01-03T09:00",
            due="2023-01-06T09:00",
            finished="2023-01-06T09:01",
            status=10,
            channel="post",
        ),
        dict(received="2023-01-30T09:00", due="2023-02-02T09:00"),
        dict(received="2023-01-20T09:00", due="2023-01-31T17:00", status=5),
        dict(
            received="2023-01-04T09:00", due="2023-01-09T09:00", closed="2023-01-05T10:00", status=7
        ),
        dict(
            received="2023-01-04T09:00", due="2023-01-09T09:00", closed="2023-01-06T10:00", status=3
        ),
        dict(
            received="2023-01-05T09:00",
            due="2023-01-10T09:00",
            finished="2023-01-12T09:00",
            status=10,
            unit="B",
        ),
        dict(
            received="2023-01-05T09:00",
            due="2023-01-10T09:00",
            closed="2023-01-07T09:00",
            status=8,
            unit="B",
        ),
    ]
    return [make_dossier(**r) for r in rows]


def test_grouped_by_unit_adds_up_to_the_total(mixed, units):
    grouped = compute_grouped(*JAN, group_by="unit")
    assert [r.code for r in grouped.rows] == [units["A"].code, units["B"].code]
    total = compute_ontime(*JAN)
    for name in COUNT_FIELDS:
        assert getattr(grouped.total, name) == getattr(total, name)
    assert grouped.identity_ok and total.identity_ok
    a, b = grouped.rows
    assert (
        a.report.settled_total,
        a.report.settled_late,
        a.report.withdrawn,
        a.report.refused,
    ) == (3, 1, 1, 1)
    assert (b.report.settled_late, b.report.stopped) == (1, 1)


def test_grouped_by_procedure_and_field(mixed, procedure, units):
    from motcua.procedures.models import Field, Procedure

    field = Field.objects.create(code="LLTP", name="Lý lịch tư pháp")
    other = Procedure.objects.create(
        code="P-2", name="Thủ tục hai", unit=units["A"], time_value=Decimal(1), field=field
    )
    mixed[0].procedure = other
    mixed[0].save(update_fields=["procedure"])
    by_proc = compute_grouped(*JAN, group_by="procedure")
    assert {r.code: r.report.received_total for r in by_proc.rows} == {
        procedure.code: 8,
        "P-2": 1,
    }
    by_field = compute_grouped(*JAN, group_by="field")
    labels = {r.label: r.report.received_total for r in by_field.rows}
    assert labels["Lý lịch tư pháp"] == 1 and sum(labels.values()) == 9
    assert by_proc.identity_ok and by_field.identity_ok


def test_identity_failure_is_reported(make_dossier):
    # A settling time but an open status: the data contradicts itself, fits in no column.
    make_dossier(
        received="2023-01-03T09:00", due="2023-01-06T09:00", finished="2023-01-05T09:00", status=4
    )
    grouped = compute_grouped(*JAN)
    assert not grouped.identity_ok
    assert grouped.total.unaccounted == 1


def test_rollup_to_successor(make_dossier, units):
    from motcua.orgs.models import Unit

    old = Unit.objects.create(code="000.00.99.H57", name="Sở cũ", valid_to=date(2023, 1, 15))
    units["A"].predecessors.add(old)
    make_dossier(
        received="2023-01-03T09:00",
        due="2023-01-06T09:00",
        finished="2023-01-05T09:00",
        status=10,
        unit=old,
    )
    make_dossier(
        received="2023-01-20T09:00", due="2023-01-25T09:00", finished="2023-01-24T09:00", status=10
    )
    assert successor_map([old.pk, units["A"].pk]) == {
        old.pk: units["A"].pk,
        units["A"].pk: units["A"].pk,
    }
    as_was = compute_grouped(*JAN)
    assert sorted((r.code, r.historical, r.report.settled_total) for r in as_was.rows) == [
        ("000.00.12.H57", False, 1),
        ("000.00.99.H57", True, 1),
    ]
    rolled = compute_grouped(*JAN, rollup=True)
    (row,) = rolled.rows
    assert row.code == units["A"].code and row.merged == ("000.00.99.H57",)
    assert row.report.settled_total == 2 and rolled.identity_ok


def test_denominator_and_comparison_rules(make_dossier):
    # Settled on the due date, 1 minute after the due time; one more open and overdue.
    make_dossier(
        received="2023-01-03T09:00", due="2023-01-06T09:00", finished="2023-01-06T09:01", status=10
    )
    make_dossier(
        received="2023-01-03T09:00", due="2023-01-05T09:00", finished="2023-01-04T09:00", status=10
    )
    make_dossier(received="2023-01-10T09:00", due="2023-01-12T09:00")
    national = compute_ontime(*JAN)
    assert national.on_time_rate == Decimal("50.00")  # 1 early of 2 settled
    by_date = compute_ontime(*JAN, rules=replace(LEGACY, compare="date"))
    assert by_date.on_time_rate == Decimal("100.00")
    due = compute_ontime(*JAN, rules=replace(LEGACY, denominator="due"))
    assert due.rate_denominator == 3 and due.on_time_rate == Decimal("33.33")
    assert due.as_json()["denominator"] == "due"
    with pytest.raises(ValueError):
        compute_ontime(*JAN, rules=replace(LEGACY, denominator="received"))
    with pytest.raises(ValueError):  # a waiting dossier has no end: it cannot be settled
        compute_ontime(*JAN, rules=replace(LEGACY, waiting_payment="settled_on_time"))


@pytest.mark.parametrize("profile", ["motcua-2023", "national", "provincial", "by-date"])
def test_drill_querysets_match_the_columns(mixed, profile):
    rules = replace(LEGACY, compare="date") if profile == "by-date" else profile
    report = compute_ontime(*JAN, rules=rules)
    for column in DRILL_COLUMNS:
        assert column_queryset(column, *JAN, rules=rules).count() == getattr(report, column), column


def test_lam_dong_figure_from_constructed_data(units, procedure):
    """Lâm Đồng Q1/2020: 635,593 of 643,272 settled early or on time = 98.81 % (DOMAIN §6)."""
    from django.db import transaction

    from motcua.dossiers.importer import insert_rows
    from motcua.dossiers.models import Dossier
    from motcua.worktime import TZ

    ok, late = 635_593, 643_272 - 635_593
    start = datetime(2020, 1, 2, 8, 0, tzinfo=TZ)
    rows = []
    for i in range(ok + late):
        received = start + timedelta(minutes=i % 100_000)
        due = received + timedelta(days=3)
        # Early (2 days before), on time (same day, before the due time), or late (a day after).
        if i < ok:
            finished = due - timedelta(days=2) if i % 2 else due - timedelta(minutes=1)
        else:
            finished = due + timedelta(days=1)
        rows.append(
            {
                "code": f"LD-{i:07d}",
                "procedure_id": procedure.pk,
                "unit_id": units["A"].pk,
                "channel": "online" if i % 3 else "counter",
                "status": 10,
                "applicant_name": "Nguyễn Văn An",
                "received_at": received,
                "submitted_at": received,
                "due_at": due,
                "finished_at": finished,
            }
        )
    with transaction.atomic():
        insert_rows(Dossier, rows)
    del rows
    report = compute_ontime(date(2020, 1, 1), date(2020, 3, 31))
    assert report.settled_total == 643_272
    assert report.settled_early + report.settled_on_time == 635_593
    assert report.on_time_rate == Decimal("98.81")
    assert report.identity_ok
