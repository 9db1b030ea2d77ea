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
    client, personas, procedure, django_assert_max_num_queries
):
    """At most 15 today (issue 17's target is 8): session, user, memberships, the dossier with its
    procedure, unit and current step, the access log's chain tail and INSERT (issue 13), steps,
    events, attachments, documents, transfers, the printable forms, the navigation's waiting
    counts (issue 14, one conditional COUNT), the units a transfer may go to (not always asked,
    depending on what earlier tests cached in the process), payments."""
    dossier = make_dossier(procedure, status=Status.IN_PROGRESS, step_order=3)
    client.force_login(personas["specialist"])
    client.get(f"/ho-so/{dossier.code}/")  # warm the per-process caches (calendar revision)
    with django_assert_max_num_queries(15):
        assert client.get(f"/ho-so/{dossier.code}/").status_code == 200
