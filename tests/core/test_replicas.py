"""Read replicas (core.routers, issue 17).

The routing tests run everywhere. The tests marked ``real_replica`` need a PostgreSQL streaming
replica of the test server: `.ci/run` starts one (`.ci/replica start 5433 DIR`) and runs this file
with MOTCUA_DATABASE_REPLICA_URLS and MOTCUA_TEST_REPLICA_URL set; elsewhere they are skipped.
"""

from __future__ import annotations

import os
import re
import time
from datetime import datetime

import dj_database_url
import pytest
from django.db import connection, connections, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from motcua.core import routers
from motcua.dossiers.choices import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import Applicant, DocumentLine, dossier_receive
from motcua.worktime import TZ

APPLICANT = Applicant(
    name="Nguyễn Văn Ánh",
    id_number="046095000123",
    phone="0905123456",
    email="anh@example.org",
    address="12 Lê Lợi, Huế",
)


@pytest.fixture
def one_replica(monkeypatch):
    monkeypatch.setattr(routers, "replica_aliases", lambda: ["replica_1"])
    routers._cycle.clear()


def state(**kw):
    token = routers._state.set(routers._State(**kw))
    return token


@pytest.mark.django_db(transaction=True)  # outside the test's own transaction
def test_reads_go_to_the_primary_unless_the_view_allows_a_replica(one_replica):
    router = routers.ReplicaRouter()
    assert router.db_for_read(Dossier) == "default"  # no request: jobs, commands
    token = state(allowed=False)
    assert router.db_for_read(Dossier) == "default"
    routers._state.reset(token)
    token = state(allowed=True)
    try:
        assert router.db_for_read(Dossier) == "replica_1"
        with transaction.atomic():  # a transaction reads its own writes
            assert router.db_for_read(Dossier) == "default"
        assert router.db_for_write(Dossier) == "default"
        # Once this request wrote, the rest of it reads from the primary.
        assert router.db_for_read(Dossier) == "default"
    finally:
        routers._state.reset(token)
    token = state(allowed=True, pinned=True)  # the browser wrote a moment ago
    assert router.db_for_read(Dossier) == "default"
    routers._state.reset(token)
    with routers.replica_reads():
        assert router.db_for_read(Dossier) == "replica_1"
    assert router.allow_migrate("replica_1", "dossiers") is False
    assert router.allow_migrate("default", "dossiers") is True


@pytest.mark.parametrize(
    "path, allowed",
    [
        ("/tra-cuu/", True),
        ("/api/v1/tracking", True),
        ("/bao-cao/", True),
        ("/bao-cao/dung-han/", True),
        ("/bao-cao/chi-so-766/", True),
        ("/bao-cao/chi-so-766/nhap/", False),  # manual entry writes
        ("/ngan-chan/tra-cuu/", True),
        ("/ho-so/", False),  # the worklist must show what the clerk just did
        ("/ho-so/000.00.12.H57-250310-0001/", False),
        ("/dang-nhap/", False),
    ],
)
def test_which_pages_may_read_from_a_replica(path, allowed):
    assert routers.view_may_use_replica(resolve(path)) is allowed


@pytest.mark.django_db
def test_a_request_that_writes_pins_the_browser_to_the_primary(settings, units):
    settings.MOTCUA_REPLICA_STICKY_SECONDS = 7
    settings.DATABASE_ROUTERS = ["motcua.core.routers.ReplicaRouter"]

    def writes(request):
        units["A"].save()
        return HttpResponse("ok")

    def reads(request):
        list(Dossier.objects.all()[:1])
        return HttpResponse("ok")

    request = RequestFactory().post("/")
    response = routers.ReplicaMiddleware(writes)(request)
    assert response.cookies[routers.COOKIE]["max-age"] == 7
    assert response.cookies[routers.COOKIE]["httponly"]
    response = routers.ReplicaMiddleware(reads)(RequestFactory().get("/"))
    assert routers.COOKIE not in response.cookies


# --- A real replica -------------------------------------------------------------------------

REPLICA_URL = os.environ.get("MOTCUA_TEST_REPLICA_URL", "")


@pytest.fixture
def real_replica():
    if connection.vendor != "postgresql" or "replica_1" not in connections.settings:
        pytest.skip("needs MOTCUA_DATABASE_REPLICA_URLS on PostgreSQL")
    if not REPLICA_URL:
        pytest.skip("needs a real replica: MOTCUA_TEST_REPLICA_URL (.ci/run starts one)")
    given = dj_database_url.parse(REPLICA_URL)
    replica = connections["replica_1"]
    replica.close()
    replica.close_pool()
    # The test database was created on the primary after the replica started: it is there too.
    replica.settings_dict = {
        **connections["default"].settings_dict,
        "HOST": given["HOST"],
        "PORT": given["PORT"],
    }
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0], "MOTCUA_TEST_REPLICA_URL is not a replica"
    routers._cycle.clear()
    yield replica
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    replica.close()
    replica.close_pool()


def _wait_until_replayed(replica, code: str, status: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with replica.cursor() as cursor:
            cursor.execute("SELECT status FROM dossiers_dossier WHERE code = %s", [code])
            row = cursor.fetchone()
        if row and row[0] == status:
            return
        time.sleep(0.05)
    raise AssertionError("the replica did not replay the change within 20 s")


def _lookup(client, code):
    response = client.post("/tra-cuu/", {"ma": code, "factor": APPLICANT.phone})
    assert response.status_code == 200
    # The status the page shows (an anonymous visitor's page is not a template render to inspect).
    shown = re.search(r'class="tracking-status" data-status="(\d+)"', response.content.decode())
    assert shown, response.content[:500]
    return int(shown.group(1))


@pytest.mark.skipif(
    not (REPLICA_URL and os.environ.get("MOTCUA_DATABASE_REPLICA_URLS")),
    reason="needs a real replica: MOTCUA_DATABASE_REPLICA_URLS and MOTCUA_TEST_REPLICA_URL",
)
@pytest.mark.django_db(transaction=True, databases=["default", "replica_1"])
def test_tracking_reads_from_the_replica_and_a_write_sticks_to_the_primary(
    real_replica, personas, procedure
):
    dossier = dossier_receive(
        actor=personas["clerk"],
        procedure=procedure,
        applicant=APPLICANT,
        documents=[DocumentLine("Tờ khai", "original")],
        received_at=datetime(2025, 3, 10, 8, tzinfo=TZ),
    )
    _wait_until_replayed(real_replica, dossier.code, Status.RECEIVED)

    anonymous = Client()
    with CaptureQueriesContext(real_replica) as on_replica:
        assert _lookup(anonymous, dossier.code) == Status.RECEIVED
    assert len(on_replica.captured_queries) == 1  # the dossier and its events: on the replica

    # The replica lags: replay paused, then the dossier changes on the primary.
    with real_replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.IN_PROGRESS)

    # A browser without a recent write may be served the replica's (older) view...
    assert _lookup(anonymous, dossier.code) == Status.RECEIVED
    # ...the staff pages never are: the worklist and the dossier page read the primary.
    staff = Client()
    response = staff.post("/dang-nhap/", {"username": "clerk_a", "password": "pw"})
    assert response.status_code == 302, response.content[:500]
    assert routers.COOKIE in response.cookies  # signing in wrote (session, last login)
    with CaptureQueriesContext(real_replica) as on_replica:
        page = staff.get(f"/ho-so/{dossier.code}/")
    assert page.status_code == 200
    assert page.context["dossier"].status == Status.IN_PROGRESS
    assert on_replica.captured_queries == []
    # ...and a browser that just wrote reads the primary even on a replica page.
    with CaptureQueriesContext(real_replica) as on_replica:
        assert _lookup(staff, dossier.code) == Status.IN_PROGRESS
    assert on_replica.captured_queries == []

    with real_replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    _wait_until_replayed(real_replica, dossier.code, Status.IN_PROGRESS)
    assert _lookup(anonymous, dossier.code) == Status.IN_PROGRESS
