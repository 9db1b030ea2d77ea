"""Hand-over API: authentication, scope, unit isolation, idempotence, validation, files, audit."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from motcua.audit.models import AuditEvent
from motcua.dossiers.choices import AttachmentKind, Status
from motcua.dossiers.codes import next_dossier_code
from motcua.dossiers.models import Attachment, Dossier
from motcua.integrations.handover.clients import apiclient_create, token_issue
from motcua.integrations.handover.models import ApiClient, Handover
from motcua.procedures.deadlines import procedure_due
from motcua.procedures.models import Procedure

from .conftest import PDF, PNG, URL, b64, bearer

pytestmark = pytest.mark.django_db
HUE = ZoneInfo("Asia/Ho_Chi_Minh")


def post(client, body, token):
    return client.post(URL, json.dumps(body), content_type="application/json", **bearer(token))


def files_in(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_anonymous_and_bad_tokens_are_401(client, payload, media, client_a):
    assert client.post(URL, payload(), content_type="application/json").status_code == 401
    assert post(client, payload(), "not-a-token").status_code == 401
    assert client.get(f"{URL}/X-1").status_code == 401
    # the secret itself is not a token
    assert post(client, payload(), client_a.secret).status_code == 401
    assert not Dossier.objects.exists()


def test_deactivated_client_token_stops_working(client, payload, media, client_a, token_a):
    ApiClient.objects.filter(pk=client_a.client.pk).update(active=False)
    assert post(client, payload(), token_a).status_code == 401


def test_expired_token_is_401(client, payload, media, client_a, settings, time_machine):
    time_machine.move_to(datetime(2025, 12, 1, 9, 0, tzinfo=HUE))
    settings.MOTCUA_API_TOKEN_SECONDS = 60
    token = token_issue(client_id=client_a.client.client_id, client_secret=client_a.secret).token
    assert client.get(f"{URL}/NONE-1", **bearer(token)).status_code == 404
    time_machine.move_to(datetime(2025, 12, 1, 9, 1, 1, tzinfo=HUE))
    assert client.get(f"{URL}/NONE-1", **bearer(token)).status_code == 401


def test_token_endpoint(client, client_a):
    url = "/api/v1/oauth/token"
    good = {
        "grant_type": "client_credentials",
        "client_id": client_a.client.client_id,
        "client_secret": client_a.secret,
    }
    response = client.post(url, good)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900
    assert body["scope"] == "handover"
    assert client.get(f"{URL}/NONE-1", **bearer(body["access_token"])).status_code == 404
    assert client.post(url, {**good, "client_secret": "wrong"}).status_code == 401
    assert client.post(url, {**good, "client_secret": "wrong"}).json() == {
        "error": "invalid_client"
    }
    assert client.post(url, {**good, "grant_type": "password"}).status_code == 400
    assert client.post(url, {**good, "scope": "admin"}).json()["error"] == "invalid_scope"
    # JSON bodies are accepted too
    assert client.post(url, good, content_type="application/json").status_code == 200
    # only the hashes are stored
    stored = ApiClient.objects.get(pk=client_a.client.pk)
    assert client_a.secret not in stored.secret_hash
    assert not stored.tokens.filter(token_hash=body["access_token"]).exists()
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("apiclient.token") == 2 and "apiclient.token_refused" in actions


def test_guessing_secrets_is_throttled_per_address(client, client_a, settings):
    """Issue 13: the token endpoint is a sign-in form too; wrong secrets from one address are
    counted in the shared counters and answered 429 once over the limit, the right one included."""
    from django.core.cache import cache

    cache.clear()
    settings.MOTCUA_API_TOKEN_FAILURES_PER_IP = 3
    url = "/api/v1/oauth/token"
    good = {
        "grant_type": "client_credentials",
        "client_id": client_a.client.client_id,
        "client_secret": client_a.secret,
    }
    for _ in range(3):
        assert client.post(url, {**good, "client_secret": "wrong"}).status_code == 401
    refused = client.post(url, good)
    assert refused.status_code == 429 and refused.json() == {"error": "temporarily_unavailable"}
    assert refused["Retry-After"] == str(settings.MOTCUA_API_TOKEN_FAILURE_WINDOW)
    # Another address is not affected.
    assert client.post(url, good, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_wrong_scope_is_403(client, payload, media, units, procedure):
    created = apiclient_create(actor=None, name="x", unit=units["A"], scopes="handover")
    # a client whose scopes were narrowed after the token was issued
    token = token_issue(client_id=created.client.client_id, client_secret=created.secret).token
    ApiClient.objects.filter(pk=created.client.pk).update(scopes="")
    response = post(client, payload(), token)
    assert response.status_code == 403 and response.json()["detail"] == "insufficient_scope"
    assert client.get(f"{URL}/X-0001", **bearer(token)).status_code == 403
    assert not Dossier.objects.exists()
    assert AuditEvent.objects.filter(action="handover.refused", data__status=403).count() == 2


def test_good_handover(client, payload, media, token_a, client_a, procedure, units):
    response = post(client, payload(), token_a)
    assert response.status_code == 201, response.content
    body = response.json()
    dossier = Dossier.objects.get(pk=body["id"])
    received = datetime(2025, 12, 1, 8, 15, tzinfo=HUE)
    assert body["code"] == dossier.code == "H57.22-251201-0001"
    assert body["created"] is True and body["status"] == Status.RECEIVED
    # due time computed by motcua from the reception time, as at the counter
    assert dossier.due_at == procedure_due(procedure, received) == dossier.initial_due_at
    assert datetime.fromisoformat(body["due_at"]) == dossier.due_at
    assert dossier.unit == units["A"] and dossier.channel == "counter"
    assert dossier.applicant_id_type == "cccd" and dossier.applicant_id_number == "046195000321"
    assert dossier.received_at == received
    assert dossier.current_step.order == 1 and dossier.current_step.assignee is None
    document = dossier.documents.get()
    assert document.digitised and dossier.digitised
    attachment = dossier.attachments.get()
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    assert default_storage.open(attachment.storage_name).read() == PDF
    event = dossier.events.get()
    assert event.action == "handover" and event.actor == client_a.client.user
    assert Handover.objects.get().client == client_a.client
    audit = AuditEvent.objects.get(action="dossier.handover")
    assert audit.actor == client_a.client.user and audit.data["client"] == client_a.client.client_id


def test_given_due_time_is_kept(client, payload, media, token_a):
    response = post(client, payload(due_at="2025-12-10T17:00:00+07:00"), token_a)
    assert response.status_code == 201
    assert Dossier.objects.get().due_at == datetime(2025, 12, 10, 17, 0, tzinfo=HUE)


def test_same_code_twice_is_the_same_dossier(client, payload, media, token_a):
    first = post(client, payload(), token_a)
    second = post(client, payload(), token_a)
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"] and second.json()["created"] is False
    assert Dossier.objects.count() == 1 and Attachment.objects.count() == 1
    assert len(files_in(media)) == 1
    assert AuditEvent.objects.filter(action="handover.repeat").count() == 1


def test_same_code_different_payload_is_409(client, payload, media, token_a):
    post(client, payload(), token_a)
    changed = payload()
    changed["applicant"]["name"] = "Người khác"
    response = post(client, changed, token_a)
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "code"
    assert Dossier.objects.count() == 1
    assert Dossier.objects.get().applicant_name == "Trần Thị Bình"
    assert len(files_in(media)) == 1


def test_code_of_another_dossier_is_409(client, payload, media, token_a, token_b, procedure):
    code, _n = next_dossier_code("000.00.12.H57", datetime(2025, 12, 1).date())
    Dossier.objects.create(
        code=code, procedure=procedure, unit=procedure.unit, channel="counter", status=2
    )
    assert post(client, payload(code=code), token_a).status_code == 409
    # a code handed over by one client cannot be claimed by another one
    assert post(client, payload(code="H57-X-1"), token_a).status_code == 201
    Procedure.objects.create(
        code="SNV-01",
        name="Thủ tục của Sở Nội vụ",
        unit=procedure.unit.__class__.objects.get(code="000.00.13.H57"),
        time_value=Decimal(3),
        time_unit="working_days",
    )
    other = payload(code="H57-X-1", receiving_agency="000.00.13.H57", procedure_code="SNV-01")
    assert post(client, other, token_b).status_code == 409
    assert (
        post(
            client,
            payload(
                code="H57-X-2", **{k: other[k] for k in ("receiving_agency", "procedure_code")}
            ),
            token_b,
        ).status_code
        == 201
    )
    assert Dossier.objects.get(code="H57-X-1").unit.code == "000.00.12.H57"


def test_centre_code_shaped_like_ours_reserves_the_number(client, payload, media, token_a):
    assert post(client, payload(code="000.00.12.H57-251201-0007"), token_a).status_code == 201
    code, number = next_dossier_code("000.00.12.H57", datetime(2025, 12, 1).date())
    assert number == 8 and code == "000.00.12.H57-251201-0008"


def test_bad_fields_are_400_naming_each(client, payload, media, token_a):
    bad = payload(
        code="x",
        procedure_code="NOPE",
        receiving_agency="000.00.13.H57",
        channel="fax",
        received_at="2099-01-01T08:00:00+07:00",
        due_at="2000-01-01T08:00:00+07:00",
        documents=[
            {
                "name": "A",
                "form": "scan",
                "files": [
                    {"filename": "a.html", "content_base64": b64(b"<html></html>")},
                    {"filename": "b.pdf", "content_base64": "!!not base64!!"},
                    {"filename": "c.png", "content_base64": b64(PNG)},
                ],
            }
        ],
    )
    bad["applicant"].update(id_number="123", phone="12", email="nope")
    response = post(client, bad, token_a)
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {
        "code",
        "procedure_code",
        "receiving_agency",
        "channel",
        "received_at",
        "due_at",
        "documents.0.form",
        "documents.0.files.0.content_base64",
        "documents.0.files.1.content_base64",
        "applicant.id_number",
        "applicant.phone",
        "applicant.email",
    }
    assert not Dossier.objects.exists() and not files_in(media)
    for code in ("A/B-0001", "-ABCD", "Á-0001", "X" * 41):
        errors = post(client, payload(code=code), token_a).json()["errors"]
        assert [e["field"] for e in errors] == ["code"], code


def test_schema_errors_are_400_too(client, payload, media, token_a):
    body = payload(unexpected=1)
    del body["applicant"]["name"]
    body["received_at"] = "yesterday"
    response = post(client, body, token_a)
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"unexpected", "applicant.name", "received_at"}
    response = client.post(URL, "{", content_type="application/json", **bearer(token_a))
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "body"
    assert post(client, [1, 2], token_a).status_code == 400
    assert not Dossier.objects.exists()


def test_other_identity_types(client, payload, media, token_a):
    good = payload(code="P-0001")
    good["applicant"].update(id_type="passport", id_number="C1234567")
    assert post(client, good, token_a).status_code == 201
    bad = payload(code="P-0002")
    bad["applicant"].update(id_type="cmnd", id_number="12345")
    assert post(client, bad, token_a).json()["errors"][0]["field"] == "applicant.id_number"
    bad["applicant"].update(id_type="alien", id_number="12345")
    assert post(client, bad, token_a).json()["errors"][0]["field"] == "applicant.id_type"


def test_file_too_large(client, payload, media, token_a, settings):
    settings.MOTCUA_MAX_UPLOAD_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    body = payload()
    body["documents"][0]["files"][0]["content_base64"] = b64(big)
    response = post(client, body, token_a)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "documents.0.files.0.content_base64"
    settings.MOTCUA_HANDOVER_MAX_MB = 1
    assert post(client, body, token_a).status_code == 413
    assert not Dossier.objects.exists()


def test_failure_after_files_are_written_leaves_nothing(
    client, payload, media, token_a, monkeypatch
):
    from motcua.integrations.handover import services

    def boom(*args, **kwargs):
        raise RuntimeError("disk says no")

    monkeypatch.setattr(services, "_log", boom)
    with pytest.raises(RuntimeError):
        post(client, payload(), token_a)
    assert not Dossier.objects.exists() and not Attachment.objects.exists()
    assert not files_in(media)


def test_status_and_result_of_own_unit_only(client, payload, media, token_a, token_b, personas):
    code = post(client, payload(), token_a).json()["code"]
    response = client.get(f"{URL}/{code}", **bearer(token_a))
    assert response.status_code == 200
    assert response.json()["status"] == 2 and response.json()["result_number"] == ""
    # another unit's client: 404, as for a missing code
    assert client.get(f"{URL}/{code}", **bearer(token_b)).status_code == 404
    assert client.get(f"{URL}/{code}/result", **bearer(token_b)).status_code == 404
    assert client.get(f"{URL}/NOPE-0001", **bearer(token_a)).status_code == 404
    # no result yet
    assert client.get(f"{URL}/{code}/result", **bearer(token_a)).status_code == 404
    dossier = Dossier.objects.get(code=code)
    name = default_storage.save("dossiers/r.pdf", ContentFile(PDF))
    Attachment.objects.create(
        dossier=dossier,
        kind=AttachmentKind.RESULT,
        original_name="ket-qua.pdf",
        storage_name=name,
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.RESULT_READY, result_number="12/LL")
    response = client.get(f"{URL}/{code}", **bearer(token_a))
    assert response.json()["status"] == 9 and response.json()["result_number"] == "12/LL"
    response = client.get(f"{URL}/{code}/result", **bearer(token_a))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"handover.status", "handover.result_download", "handover.refused"} <= actions


def test_openapi_documents_the_endpoints(admin_client):
    # The schema is for signed-in staff only (issue 13); the integrators get it from them.
    schema = admin_client.get("/api/openapi.json").json()
    assert "/api/v1/handover/dossiers" in schema["paths"]
    assert "/api/v1/oauth/token" in schema["paths"]
    body = schema["paths"]["/api/v1/handover/dossiers"]["post"]["requestBody"]
    props = body["content"]["application/json"]["schema"]["properties"]
    assert {"code", "applicant", "documents"} <= set(props)
    assert "$ref" not in json.dumps(props)
    result = schema["paths"]["/api/v1/handover/dossiers/{code}/result"]["get"]["responses"]
    assert "application/octet-stream" in result["200"]["content"]


def test_nul_in_a_field_is_422_and_creates_nothing(client, payload, media, token_a):
    """PostgreSQL cannot hold NUL: it was a 500 there (schemathesis, CI). Now refused up front."""
    from motcua.dossiers.models import Dossier

    body = payload(procedure_code="x\x00y")
    response = post(client, body, token_a)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "procedure_code"]
    assert not Dossier.objects.exists()
