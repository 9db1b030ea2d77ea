"""Issue 17: the worklist's first page is a range scan of a partial index on a stored sort key,
and the dossier page runs a bounded number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from motcua.dossiers.choices import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.views import worklist_queryset

from .test_views_support import make_dossier

pytestmark = pytest.mark.django_db


def test_sort_key_is_the_intake_limit_online_and_the_due_time_otherwise(procedure):
    online = make_dossier(procedure, status=Status.SUBMITTED_ONLINE)
    received = make_dossier(procedure, status=Status.IN_PROGRESS, step_order=3)
    when = timezone.now().replace(microsecond=0)
    Dossier.objects.filter(pk=online.pk).update(intake_due_at=when, due_at=when + timedelta(days=9))
    Dossier.objects.filter(pk=received.pk).update(due_at=when + timedelta(days=1))
    keys = dict(Dossier.objects.values_list("pk", "worklist_due"))
    assert keys[online.pk] == when
    assert keys[received.pk] == when + timedelta(days=1)
    # The key follows the status as the database updates it (no service maintains it).
    Dossier.objects.filter(pk=online.pk).update(status=Status.RECEIVED)
    assert Dossier.objects.get(pk=online.pk).worklist_due == when + timedelta(days=9)


def test_worklist_orders_by_the_stored_key(personas, procedure):
    a = make_dossier(procedure, status=Status.IN_PROGRESS, step_order=3)
    b = make_dossier(procedure, status=Status.SUBMITTED_ONLINE)
    c = make_dossier(procedure, status=Status.RECEIVED)
    now = timezone.now()
    Dossier.objects.filter(pk=a.pk).update(due_at=now + timedelta(days=3))
    Dossier.objects.filter(pk=b.pk).update(intake_due_at=now + timedelta(days=1), due_at=None)
    Dossier.objects.filter(pk=c.pk).update(due_at=None)  # no due time: last
    rows = list(worklist_queryset(personas["clerk"], now=now))
    assert [d.pk for d in rows] == [b.pk, a.pk, c.pk]


def test_worklist_first_page_is_an_index_range_scan(personas, procedure):
    if connection.vendor != "postgresql":
        pytest.skip("plan shapes are PostgreSQL's")
    for _ in range(5):
        make_dossier(procedure, status=Status.IN_PROGRESS, step_order=3)
    queryset = worklist_queryset(personas["clerk"], now=timezone.now())[:20]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Tiny test tables would be scanned whole; forbid that to see the plan of a big table.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "dossier_open_by_due" in plan, plan
    assert "Sort" not in plan.split("dossier_open_by_due")[0], plan  # no sort above the scan


def test_dossier_page_runs_a_bounded_number_of_queries(
    client, personas, procedure, settings, django_assert_max_num_queries
):
    """At most 8 (issue 17's target), on both databases: session, user, memberships; the dossier
    with its procedure, unit and current step, and as JSON columns of the same query its
    documents, transfers, payments, form templates, procedure steps, the units a transfer may go
    to and the navigation's waiting counts; the access log's INSERT, which reads the chain's tail
    itself (issue 13); steps, events, attachments."""
    # The calendar revision is re-read every few seconds; a loaded machine must not count it.
    settings.MOTCUA_CALENDAR_RECHECK_SECONDS = 3600
    dossier = make_dossier(procedure, status=Status.IN_PROGRESS, step_order=3)
    client.force_login(personas["specialist"])
    client.get(f"/ho-so/{dossier.code}/")  # warm the per-process caches (calendar revision)
    with django_assert_max_num_queries(8):
        assert client.get(f"/ho-so/{dossier.code}/").status_code == 200


def test_page_lists_read_with_the_dossier_equal_the_orm(personas, procedure):
    """The JSON columns (motcua.core.jsonrows) give the same rows, values and order as the ORM."""
    from decimal import Decimal

    from motcua.dossiers import page_data
    from motcua.dossiers.access import get_dossier_for_user
    from motcua.dossiers.models import DossierDocument, Transfer
    from motcua.orgs.models import Unit
    from motcua.payments.models import Payment

    dossier = make_dossier(procedure, status=Status.IN_PROGRESS, step_order=3)
    other = Unit.objects.exclude(pk=dossier.unit_id).first() or Unit.objects.create(
        code="X.1", name="Sở Xây dựng", short_name="SXD"
    )
    now = timezone.now()
    for hours in (5, 1, 3):
        Transfer.objects.create(
            dossier=dossier,
            to_unit=other,
            sent_at=now - timedelta(hours=hours),
            due_at=now + timedelta(hours=hours, microseconds=123),
            note="Phối hợp – ý kiến",
        )
    DossierDocument.objects.create(dossier=dossier, name="Tờ khai", form="original", count=2)
    for n, amount in enumerate((Decimal("150000"), Decimal("0"))):
        Payment.objects.create(
            dossier=dossier,
            provider="cash",
            amount=amount,
            status="paid" if n == 0 else "pending",
            reference=f"REF-{n}",
            created_by=personas["clerk"],
            paid_at=now if n == 0 else None,
        )
    user = personas["specialist"]
    read = get_dossier_for_user(
        user, dossier.code, staff_only=True, annotate=page_data.page_annotations(user)
    )
    lists = page_data.unpack(user, read)

    def values(rows, names):
        return [tuple(getattr(row, name) for name in names) for row in rows]

    transfer_names = ["pk", "to_unit_id", "sent_at", "due_at", "returned_at", "note"]
    assert values(lists["transfers"], transfer_names) == values(
        dossier.transfers.all(), transfer_names
    )
    assert [str(t.to_unit) for t in lists["transfers"]] == [str(other)] * 3
    document_names = ["pk", "name", "form", "count", "digitised", "reused", "from_data_store"]
    assert values(lists["documents"], document_names) == values(
        dossier.documents.all(), document_names
    )
    payment_names = ["pk", "amount", "status", "reference", "created_at", "paid_at"]
    assert values(read.payments.all(), payment_names) == values(
        Payment.objects.filter(dossier=dossier), payment_names
    )
    assert isinstance(read.payments.all()[0].amount, Decimal)
    assert [u.pk for u in lists["transfer_units"]] == list(
        page_data.transfer_units_queryset()
        .exclude(pk=dossier.unit_id)
        .order_by("name")
        .values_list("pk", flat=True)
    )
    assert lists["procedure_steps"] == list(
        procedure.steps.order_by("order").values_list("order", "role")
    )


@pytest.mark.parametrize(
    ("field", "index"),
    [
        ("applicant_user_id", "dossier_applicant_user"),
        ("register_book_id", "dossier_register_book"),
        ("current_step_id", "dossier_current_step"),
    ],
)
def test_partial_foreign_key_indexes_serve_look_ups(field, index):
    """Only the dossiers that have one are indexed (issue 17); a look-up by value, and the
    database's own foreign-key check (a parameter, as `$1`), still use the index."""
    if connection.vendor != "postgresql":
        pytest.skip("plan shapes are PostgreSQL's")
    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN SELECT id FROM {table} WHERE {field} = 7")
        by_value = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"PREPARE fk_probe(bigint) AS SELECT 1 FROM {table} WHERE {field} = $1")
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute("EXPLAIN EXECUTE fk_probe(7)")
        by_parameter = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE fk_probe")
    assert index in by_value, by_value
    assert index in by_parameter, by_parameter
