"""Creating API clients: the command line and the admin; the secret is shown once, stored hashed."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from django.core.management import call_command

from motcua.audit.models import AuditEvent
from motcua.integrations.handover.clients import token_issue
from motcua.integrations.handover.models import ApiClient

pytestmark = pytest.mark.django_db


def test_command_creates_a_client_and_prints_the_secret_once(units, capsys):
    call_command(
        "apiclient",
        "create",
        "TTPVHCC",
        "--unit",
        units["A"].code,
        "--scope",
        "handover",
        "--format",
        "json",
    )
    out = json.loads(capsys.readouterr().out)
    client = ApiClient.objects.get(client_id=out["client_id"])
    assert out["unit"] == units["A"].code and out["scopes"] == "handover"
    assert client.secret_hash == hashlib.sha256(out["client_secret"].encode()).hexdigest()
    assert not client.user.has_usable_password() and not client.user.is_active
    assert not client.user.memberships.exists()
    assert token_issue(client_id=out["client_id"], client_secret=out["client_secret"]).token
    assert AuditEvent.objects.filter(action="apiclient.create").count() == 1
    call_command("apiclient", "list", "--format", "json")
    assert json.loads(capsys.readouterr().out)[0]["client_id"] == out["client_id"]


def test_command_refuses_bad_input(units, capsys):
    with pytest.raises(SystemExit):
        call_command("apiclient", "create", "X", "--unit", "NOPE", "--scope", "handover")
    assert "NOPE" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        call_command("apiclient", "create", "X", "--unit", units["A"].code, "--scope", "admin")
    assert "admin" in capsys.readouterr().err
    assert not ApiClient.objects.exists()


def test_admin_creates_a_client_and_shows_the_secret_once(client, personas, units):
    client.force_login(personas["admin"])
    response = client.post(
        "/admin/handover/apiclient/add/",
        {"name": "Trung tâm", "unit": units["A"].pk, "scopes": "handover", "active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    created = ApiClient.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    assert any(created.client_id in m for m in shown)
    message = next(m for m in shown if created.client_id in m)
    secret = re.search(r"([A-Za-z0-9_\-]{43})", message).group(1)
    assert token_issue(client_id=created.client_id, client_secret=secret).token
    assert AuditEvent.objects.filter(action="apiclient.create", actor=personas["admin"]).exists()
    # the secret appears nowhere on the client's page afterwards
    page = client.get(f"/admin/handover/apiclient/{created.pk}/change/").content.decode()
    assert secret not in page and created.secret_hash not in page
