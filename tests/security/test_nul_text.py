"""Text with the NUL character is refused with a clear message before any view (motcua/core/nul.py).

PostgreSQL cannot store or compare NUL; before this guard, `GET /api/v1/dossiers/?q=%00` was a
server error there (found by schemathesis in CI). These tests run on both databases.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from motcua.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_api_query_with_nul_is_422_naming_the_parameter(client, personas):
    client.force_login(personas["leader"])
    response = client.get("/api/v1/dossiers/", {"q": "ab\x00c"})
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["query", "q"]
    assert "NUL" in error["msg"]
    assert client.get("/api/v1/dossiers/", {"q": "abc"}).status_code == 200


def test_api_message_is_vietnamese_by_default_and_english_when_asked(client, personas):
    client.force_login(personas["leader"])
    vi = client.get("/api/v1/dossiers/", {"q": "\x00"}).json()["detail"][0]["msg"]
    en = client.get("/api/v1/dossiers/", {"q": "\x00"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert vi == "Nội dung không được chứa ký tự NUL (0x00)."
    assert en["detail"][0]["msg"] == "Text must not contain the NUL character (0x00)."


def test_api_json_body_with_nul_is_422_at_its_place(client, personas):
    client.force_login(personas["leader"])
    body = json.dumps({"items": [{"name": "ok"}, {"name": "x\x00"}]})
    response = client.post("/api/v1/dossiers/", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "items", 1, "name"]


def test_json_that_only_spells_the_escape_is_not_refused(client, personas):
    """A backslash followed by u0000 is ordinary text; only a real NUL is refused."""
    from motcua.core.nul import _in_json

    assert _in_json(json.dumps({"note": "\\u0000"}).encode()) is None
    assert _in_json(json.dumps({"note": "\x00"}).encode()) == ("body", "note")
    assert _in_json(json.dumps({"k\x00": 1}).encode()) == ("body",)


def test_html_search_with_nul_is_the_400_page_with_the_reason(client, personas):
    client.force_login(personas["clerk"])
    response = client.get(reverse("dossiers:worklist"), {"q": "\x00"})
    assert response.status_code == 400
    assert "ký tự NUL" in response.content.decode()
    assert client.get(reverse("dossiers:worklist"), {"q": "a"}).status_code == 200


def test_form_post_with_nul_is_400_and_changes_nothing(client, personas):
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("account_login"),
        "login=a%00&password=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert AuditEvent.objects.count() == before


def test_plain_requests_pass_untouched(client):
    assert client.get("/", {"q": "%00 written out"}).status_code == 200
