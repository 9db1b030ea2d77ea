"""Staff JSON API /api/v1/dossiers/: anonymous 401, non-staff and other unit 404, list, detail, transitions."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.audit.models import PersonalDataAccess
from motcua.dossiers.choices import Status
from motcua.dossiers.models import Dossier, DossierEvent, Transfer

from .test_views_support import local, make_dossier

pytestmark = pytest.mark.django_db

BASE = "/api/v1/dossiers/"


@pytest.fixture
def dossier(procedure):
    return make_dossier(procedure, status=Status.IN_PROGRESS, step_order=3)


def post(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json")


def test_anonymous_gets_401(client, dossier):
    assert client.get(BASE).status_code == 401
    assert client.get(f"{BASE}{dossier.code}").status_code == 401
    response = post(client, f"{BASE}{dossier.code}/transition", {"action": "stop", "note": "x"})
    assert response.status_code == 401
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_PROGRESS


@pytest.mark.parametrize("who", ["citizen1", "notary"])
def test_non_staff_get_404(client, personas, dossier, who):
    client.force_login(personas[who])
    assert client.get(BASE).status_code == 404
    assert client.get(f"{BASE}{dossier.code}").status_code == 404
    response = post(client, f"{BASE}{dossier.code}/transition", {"action": "stop", "note": "x"})
    assert response.status_code == 404


def test_other_unit_gets_404_and_an_empty_list(client, personas, dossier):
    client.force_login(personas["clerk_b"])
    listing = client.get(BASE).json()
    assert listing["count"] == 0 and listing["items"] == []
    assert client.get(f"{BASE}{dossier.code}").status_code == 404
    response = post(client, f"{BASE}{dossier.code}/transition", {"action": "withdraw", "note": "x"})
    assert response.status_code == 404
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_PROGRESS
    assert PersonalDataAccess.objects.count() == 0


def test_list_is_the_worklist(client, personas, procedure):
    with time_machine.travel(local("2025-03-12T10:00"), tick=False):
        later = make_dossier(procedure, due_at=local("2025-03-14T10:00"), name="Trần Thị Bình")
        overdue = make_dossier(procedure, due_at=local("2025-03-12T09:00"))
        make_dossier(procedure, status=Status.RETURNED)
        client.force_login(personas["specialist"])
        data = client.get(BASE).json()
        assert data["count"] == 2
        assert [i["code"] for i in data["items"]] == [overdue.code, later.code]
        assert data["items"][0]["due_flag"] == "due-overdue"
        assert client.get(BASE, {"q": "tran thi"}).json()["items"][0]["code"] == later.code
        assert client.get(BASE, {"overdue": "true"}).json()["count"] == 1
        assert client.get(BASE, {"limit": 1, "offset": 1}).json()["items"][0]["code"] == later.code
        assert client.get(BASE, {"procedure": procedure.code}).json()["count"] == 2
        # An offset past the end, even one beyond the database's integers, is an empty page.
        for offset in (2, 431573355257265455104):
            response = client.get(BASE, {"offset": offset})
            assert response.status_code == 200
            assert response.json()["items"] == [] and response.json()["count"] == 2


@pytest.mark.parametrize(
    "params",
    [{"status": 3}, {"channel": "fax"}, {"limit": 0}, {"limit": 1000}, {"procedure": "NOPE"}],
)
def test_list_bad_filters_are_400(client, personas, params):
    client.force_login(personas["clerk"])
    response = client.get(BASE, params)
    assert response.status_code == 400 and response.json()["detail"]


def test_list_query_count_is_constant(client, personas, procedure, django_assert_num_queries):
    for _ in range(3):
        make_dossier(procedure, assignee=personas["specialist"])
    client.force_login(personas["specialist"])
    client.get(BASE)
    with CaptureQueriesContext(connection) as ctx:
        client.get(BASE)
    for _ in range(27):
        make_dossier(procedure, assignee=personas["specialist"])
    with django_assert_num_queries(len(ctx)):
        assert len(client.get(BASE, {"limit": 100}).json()["items"]) == 30


def test_detail_logs_the_access(client, personas, dossier):
    client.force_login(personas["leader"])
    data = client.get(f"{BASE}{dossier.code}").json()
    assert data["code"] == dossier.code
    assert data["applicant_id_number"] == dossier.applicant_id_number
    assert data["applicant_id_type"] == dossier.applicant_id_type
    assert "result_ready" in data["allowed_actions"] and "withdraw" not in data["allowed_actions"]
    assert [s["order"] for s in data["steps"]] == [3]
    assert PersonalDataAccess.objects.get().purpose == "xem hồ sơ"


def test_detail_gives_the_identity_type(client, personas, dossier):
    Dossier.objects.filter(pk=dossier.pk).update(
        applicant_id_type="org_code", applicant_id_number="0100109106-001"
    )
    client.force_login(personas["leader"])
    data = client.get(f"{BASE}{dossier.code}").json()
    assert (data["applicant_id_type"], data["applicant_id_number"]) == (
        "org_code",
        "0100109106-001",
    )


def test_transition_ok(client, personas, dossier):
    client.force_login(personas["leader"])
    response = post(client, f"{BASE}{dossier.code}/transition", {"action": "result_ready"})
    assert response.status_code == 200
    assert response.json()["status"] == Status.RESULT_READY
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RESULT_READY


def test_transition_forward_with_assignee(client, personas, procedure):
    d = make_dossier(procedure, status=Status.RECEIVED, step_order=1)
    client.force_login(personas["clerk"])
    response = post(
        client, f"{BASE}{d.code}/transition", {"action": "forward", "assignee": "specialist_a"}
    )
    assert response.status_code == 200 and response.json()["status"] == Status.IN_PROGRESS
    d.refresh_from_db()
    assert d.current_step.assignee == personas["specialist"]


def test_transfer_by_unit_code(client, personas, dossier, units):
    client.force_login(personas["leader"])
    response = post(
        client,
        f"{BASE}{dossier.code}/transition",
        {"action": "transfer", "to_unit": units["B"].code, "transfer_hours": 16, "note": "Ý kiến"},
    )
    assert response.status_code == 200
    assert Transfer.objects.get().to_unit == units["B"]


@pytest.mark.parametrize(
    ("who", "payload"),
    [
        ("leader", {"action": "stop"}),  # no reason
        ("leader", {"action": "explode"}),
        ("leader", {"action": "accept"}),  # not in this status
        ("clerk", {"action": "result_ready"}),  # not the clerk's
        ("specialist", {"action": "result_ready"}),  # the step is the leader's
        ("leader", {"action": "transfer", "to_unit": "999.99.99.X99", "transfer_hours": 8}),
        ("leader", {"action": "forward", "assignee": "clerk_b"}),  # not of this unit
        ("leader", {"action": "apologise", "note": "x", "new_appointment": "2020-01-01T10:00"}),
    ],
)
def test_refused_transition_is_400_and_changes_nothing(client, personas, dossier, who, payload):
    events = DossierEvent.objects.count()
    client.force_login(personas[who])
    response = post(client, f"{BASE}{dossier.code}/transition", payload)
    assert response.status_code == 400, response.content
    assert response.json()["detail"]
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS and dossier.closed_at is None
    assert DossierEvent.objects.count() == events


def test_malformed_body_is_a_client_error(client, personas, dossier):
    client.force_login(personas["leader"])
    response = client.post(
        f"{BASE}{dossier.code}/transition", "{not json", content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    response = post(client, f"{BASE}{dossier.code}/transition", {"note": "no action"})
    assert 400 <= response.status_code < 500
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_PROGRESS
