"""/api/v1/notary/: a per-organisation key; idempotent by contract number; own records only."""

from __future__ import annotations

import pytest

from motcua.notary.models import ApiToken, Transaction
from motcua.notary.tokens import token_create

BODY = {
    "contract_no": "55/2025/CC",
    "contract_date": "2025-05-02",
    "kind": "mortgage",
    "notary_name": "Trần Công Chứng",
    "assets": [{"asset_type": "vehicle", "plate": "75A-123.45"}],
    "parties": [
        {"role": "mortgagor", "name": "Hồ Văn Vay", "id_number": "046090001234"},
        {
            "role": "mortgagee",
            "name": "Ngân hàng A",
            "id_type": "org_code",
            "id_number": "0301452948",
        },
    ],
    "value": "300000000",
}


@pytest.fixture
def key_x(offices):
    return token_create(actor=None, office=offices["X"], name="phần mềm X")[1]


def post(client, key, path, body):
    return client.post(
        f"/api/v1/notary/{path}",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def test_no_or_bad_key_401(client, offices, key_x):
    assert (
        client.post(
            "/api/v1/notary/transactions", BODY, content_type="application/json"
        ).status_code
        == 401
    )
    assert post(client, "nc_wrong", "transactions", BODY).status_code == 401
    assert ApiToken.objects.get().key_sha256 != key_x  # only the hash is stored


def test_send_then_resend(client, offices, key_x):
    first = post(client, key_x, "transactions", BODY)
    assert first.status_code == 201 and first.json()["outcome"] == "created"
    again = post(client, key_x, "transactions", BODY)
    assert again.status_code == 200 and again.json()["outcome"] == "unchanged"
    changed = post(client, key_x, "transactions", {**BODY, "value": "310000000"})
    assert changed.json()["outcome"] == "corrected" and changed.json()["version"] == 2
    tx = Transaction.objects.get()
    assert tx.office == offices["X"] and tx.source == "api"


def test_bad_input_400(client, offices, key_x):
    response = post(client, key_x, "transactions", {**BODY, "kind": "theft"})
    assert response.status_code == 400 and "theft" in response.json()["detail"]
    assert not Transaction.objects.exists()


def test_revoked_key_stops(client, offices, key_x):
    from django.utils import timezone

    ApiToken.objects.update(revoked_at=timezone.now())
    assert post(client, key_x, "transactions", BODY).status_code == 401


def test_release_only_own_mortgage(client, offices, key_x, make_tx):
    other = make_tx(office="Y", kind="mortgage", contract_no="55/2025/CC")
    key_y = token_create(actor=None, office=offices["Y"], name="Y")[1]
    post(client, key_x, "transactions", BODY)
    response = post(client, key_x, "mortgage-release", {"contract_no": "55/2025/cc"})
    assert response.status_code == 200 and response.json()["status"] == "released"
    other.refresh_from_db()
    assert other.status == "valid"  # the same number at Y is Y's contract
    assert post(client, key_y, "mortgage-release", {"contract_no": "nope"}).status_code == 404


def test_list_is_own_only(client, offices, key_x, make_tx):
    make_tx(office="Y")
    post(client, key_x, "transactions", BODY)
    response = client.get("/api/v1/notary/transactions", HTTP_AUTHORIZATION=f"Bearer {key_x}")
    assert [r["contract_no"] for r in response.json()] == ["55/2025/CC"]


def test_admin_creates_a_key_shown_once(client, personas, offices):
    client.force_login(personas["admin"])
    response = client.post(
        "/admin/notary/apitoken/add/", {"office": offices["X"].pk, "name": "X"}, follow=True
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    key = next(part for m in shown for part in m.split() if part.startswith("nc_"))
    assert token.key_sha256 != key and token.prefix == key[:10]
    assert post(client, key, "transactions", BODY).status_code == 201


def test_create_token_command(client, offices, capsys):
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("notary", "create-token", "--office", offices["X"].code, "--name", "X", stdout=out)
    key = json.loads(out.getvalue())["key"]
    assert post(client, key, "transactions", BODY).status_code == 201
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        call_command("notary", "create-token", "--office", "nope", stdout=io.StringIO())
    assert exc.value.code == 2 and capsys.readouterr().err.count("\n") == 1
