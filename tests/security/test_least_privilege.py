"""Issue 13 gaps 8, 12, 14: feedback for the roles that handle it, read-only money and message logs,
API docs for staff only, JSON errors under /api/, one schema per name."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.orgs.models import Membership

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def feedback(units):
    from motcua.feedback.models import Feedback

    Client().post(
        "/gop-y/",
        {
            "unit": units["A"].code,
            "kind": "feedback",
            "sender_name": "Lê Thị Hoa",
            "sender_phone": "0905111222",
            "sender_email": "",
            "sender_address": "",
            "subject": "Thái độ",
            "content": "Cán bộ hẹn sai ngày.",
            "dossier_code": "",
        },
    )
    return Feedback.objects.get()


@pytest.fixture
def reform_officer(units):
    user = get_user_model().objects.create_user("reform_a", "r@example.org", "pw")
    Membership.objects.create(user=user, unit=units["A"], role="reform_officer")
    return user


def test_feedback_only_for_the_roles_that_handle_it(personas, reform_officer, feedback):
    detail = f"/phan-anh/{feedback.code}/"
    for who in ("clerk", "specialist", "leader", "auditor"):
        client = _client(personas[who])
        assert client.get("/phan-anh/").status_code == 200, who
        page = client.get(detail)
        assert page.status_code == 200 and "0905111222" in page.content.decode(), who
    for user in (personas["notary"], reform_officer, personas["citizen1"], personas["clerk_b"]):
        client = _client(user)
        assert client.get(detail).status_code == 404, user.username
        listing = client.get("/phan-anh/")
        assert listing.status_code == 404 or feedback.code not in listing.content.decode()


def test_feedback_cannot_be_assigned_to_a_notary(personas, feedback):
    from motcua.feedback.services import FeedbackError, feedback_assign

    with pytest.raises(FeedbackError):
        feedback_assign(
            actor=personas["leader"], feedback_id=feedback.pk, assignee=personas["notary"]
        )
    page = _client(personas["leader"]).get(f"/phan-anh/{feedback.code}/").content.decode()
    assert f'value="{personas["notary"].pk}"' not in page
    assert f'value="{personas["specialist"].pk}"' in page


@pytest.mark.parametrize(
    "model_path", ["/admin/payments/payment/", "/admin/notifications/delivery/"]
)
def test_payments_and_notification_logs_are_read_only_in_the_admin(personas, model_path):
    from django.contrib import admin

    from motcua.notifications.models import Delivery
    from motcua.payments.models import Payment

    client = _client(personas["admin"])
    assert client.get(model_path).status_code == 200
    assert client.get(model_path + "add/").status_code == 403
    request = type("R", (), {"user": personas["admin"]})()
    for model in (Payment, Delivery):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


@pytest.mark.parametrize("path", ["/api/docs", "/api/openapi.json"])
def test_api_docs_only_for_signed_in_staff(personas, path):
    anonymous = _client().get(path)
    assert anonymous.status_code == 401 and anonymous.json() == {
        "detail": "Authentication required"
    }
    citizen = _client(personas["citizen1"]).get(path)
    assert citizen.status_code == 404 and citizen["Content-Type"] == "application/json"
    for who in ("clerk", "notary", "admin"):
        assert _client(personas[who]).get(path).status_code == 200, who


def test_the_docs_page_uses_local_assets_only(personas):
    html = _client(personas["clerk"]).get("/api/docs").content.decode()
    assert "cdn." not in html and "/static/ninja/swagger-ui-bundle.js" in html


def test_the_schema_has_no_duplicate_keys(personas):
    """JSON parsers that keep the last value accept a key written twice; Swagger UI's refuses the
    whole schema (a 200 declared both in `response` and in `openapi_extra` did that)."""
    import json

    raw = _client(personas["clerk"]).get("/api/openapi.json").content
    duplicates = []

    def pairs(items):
        keys = [k for k, _v in items]
        duplicates.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(items)

    json.loads(raw, object_pairs_hook=pairs)
    assert duplicates == []


def test_dossier_and_tracking_events_have_their_own_schemas(personas):
    schema = _client(personas["clerk"]).get("/api/openapi.json").json()
    components = schema["components"]["schemas"]
    assert "EventOut" not in components
    detail_events = components["DossierDetail"]["properties"]["events"]["items"]["$ref"]
    tracking_events = components["TrackingOut"]["properties"]["events"]["items"]["$ref"]
    assert detail_events.endswith("/DossierEventOut")
    assert tracking_events.endswith("/TrackingEventOut")
    assert {"from_status", "to_status", "actor", "note"} <= set(
        components["DossierEventOut"]["properties"]
    )


def test_dossier_response_matches_its_documented_schema(personas, procedure):
    from motcua.dossiers.services import Applicant, DocumentLine, dossier_receive

    dossier = dossier_receive(
        actor=personas["clerk"],
        procedure=procedure,
        applicant=Applicant(name="Phan Văn C"),
        documents=[DocumentLine("Tờ khai", "original")],
    )
    client = _client(personas["clerk"])
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    body = client.get(f"/api/v1/dossiers/{dossier.code}").json()
    assert body["events"]
    documented = set(schema["DossierEventOut"]["properties"])
    for event in body["events"]:
        assert set(event) == documented


@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/khong-co", 404), ("/api/v1/dossiers/", 401), ("/api/v1/dossiers/X-1", 401)],
)
def test_api_errors_are_json(path, status):
    response = _client().get(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_api_server_error_is_json(monkeypatch, settings):
    settings.DEBUG = False
    from motcua.calendars import api as calendars_api

    def boom():
        raise RuntimeError("boom")

    monkeypatch.setattr(calendars_api, "calendar_names", boom)
    response = _client().get("/api/v1/worktime/calendars")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}
    page = _client().get("/khong-co-trang-nay/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
