"""The live system keeps the 766 marks (DOMAIN §7) up to date: electronic result on a result
upload, components' marks rolled up, online payment and fee, VNeID-verified submissions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from motcua.audit.models import AuditEvent
from motcua.dossiers.marks import DocumentMarks, document_marks_set, is_vneid_verified
from motcua.dossiers.models import DossierDocument
from motcua.dossiers.services import dossier_transition
from motcua.payments.models import Payment
from motcua.payments.services import payment_confirm, payment_start

from .conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(personas, submit_online):
    dossier = submit_online(personas["citizen1"])
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="accept")
    DossierDocument.objects.create(dossier=dossier, name="Bản sao CCCD", form="copy")
    dossier.refresh_from_db()
    return dossier


def upload(client, dossier, kind, **extra):
    return client.post(
        reverse("dossiers:upload", args=[dossier.code]), {"kind": kind, "file": pdf(), **extra}
    )


def test_result_upload_issues_the_electronic_result_with_its_number(client, personas, received):
    client.force_login(personas["specialist"])
    assert upload(client, received, "internal").status_code == 302
    received.refresh_from_db()
    assert not received.electronic_result  # an internal file is not a result
    upload(client, received, "result", result_number="125/QĐ-STP")
    received.refresh_from_db()
    assert received.electronic_result and received.result_number == "125/QĐ-STP"
    event = AuditEvent.objects.filter(action="dossier.attachment_add").latest("pk")
    assert event.data["marks"] == {"electronic_result": True, "result_number": "125/QĐ-STP"}
    # A later result file without a number keeps the number.
    upload(client, received, "result")
    received.refresh_from_db()
    assert received.result_number == "125/QĐ-STP"
    page = client.get(reverse("dossiers:detail", args=[received.code])).content.decode()
    assert 'name="result_number"' in page and "125/QĐ-STP" in page


def test_components_marks_roll_up(client, personas, received):
    first, second = received.documents.order_by("pk")
    url = reverse("dossiers:document_marks", args=[received.code])
    client.force_login(personas["clerk"])
    # One component with a file, one reused: not digitised (every component needs a file).
    client.post(url, {"digitised": [first.pk], "reused": [second.pk]})
    received.refresh_from_db()
    assert (received.digitised, received.reused_data, received.from_data_store) == (
        False,
        True,
        False,
    )
    client.post(url, {"digitised": [first.pk, second.pk], "from_data_store": [first.pk]})
    received.refresh_from_db()
    assert (received.digitised, received.reused_data, received.from_data_store) == (
        True,
        False,
        True,
    )
    second.refresh_from_db()
    assert second.digitised and not second.reused
    event = AuditEvent.objects.filter(action="dossier.document_marks").latest("pk")
    assert event.data["dossier"] == {
        "reused_data": False,
        "from_data_store": True,
        "digitised": True,
    }


def test_components_marks_access_and_bad_ids(client, personas, received, submit_online):
    url = reverse("dossiers:document_marks", args=[received.code])
    for who in ("clerk_b", "auditor", "citizen1"):
        client.force_login(personas[who])
        assert client.post(url, {"digitised": []}).status_code == 404, who
    client.force_login(personas["clerk"])
    foreign = submit_online(personas["citizen2"]).documents.get()
    response = client.post(url, {"digitised": [foreign.pk]}, follow=True)
    assert "not part of this dossier" in response.content.decode() or response.status_code == 200
    assert client.post(url, {"digitised": ["abc"]}).status_code == 404
    received.refresh_from_db()
    foreign.refresh_from_db()
    assert not received.digitised and not foreign.digitised
    assert not AuditEvent.objects.filter(action="dossier.document_marks").exists()


def test_document_marks_service_refuses_another_dossiers_documents(
    personas, received, submit_online
):
    other = submit_online(personas["citizen2"])
    foreign = other.documents.get()
    with pytest.raises(Exception, match="not part of this dossier|không thuộc"):
        document_marks_set(
            actor=personas["clerk"],
            dossier_id=received.pk,
            marks={foreign.pk: DocumentMarks(digitised=True)},
        )
    foreign.refresh_from_db()
    assert not foreign.digitised


def test_online_payment_marks_paid_online_and_the_fee(personas, submit_online, settings):
    settings.MOTCUA_PAYMENT_PROVIDERS = ["counter", "test"]
    dossier = submit_online(personas["citizen1"])
    dossier.procedure.fee = Decimal(200_000)
    dossier.procedure.save(update_fields=["fee"])
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="accept")
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="request_payment")
    payment = payment_start(actor=personas["citizen1"], dossier_id=dossier.pk, provider="test")
    dossier.refresh_from_db()
    assert not dossier.paid_online and dossier.fee is None
    payment_confirm(reference=payment.reference)
    dossier.refresh_from_db()
    assert dossier.paid_online and dossier.fee == Decimal(200_000)
    event = AuditEvent.objects.get(action="payment.confirm")
    assert event.data["marks"] == {"paid_online": True, "fee": "200000"}
    assert Payment.objects.get().status == "paid"


def _vneid(user, provider="vneid", citizen_id="046090000777"):
    SocialAccount.objects.create(
        user=user,
        provider=provider,
        uid=f"{provider}-{user.pk}",
        extra_data={"citizen_id": citizen_id},
    )


def test_vneid_verified_submission(personas, submit_online, settings):
    citizen1, citizen2 = personas["citizen1"], personas["citizen2"]
    assert not submit_online(citizen1).vneid_verified  # a local account
    _vneid(citizen1)
    assert is_vneid_verified(citizen1)
    assert submit_online(citizen1).vneid_verified
    # The province's SSO is not VNeID unless configured so; a claim without a valid CCCD is not.
    _vneid(citizen2, provider="sso-hue")
    assert not submit_online(citizen2).vneid_verified
    settings.MOTCUA_VNEID_PROVIDERS = ["vneid", "sso-hue"]
    assert submit_online(citizen2).vneid_verified
    SocialAccount.objects.filter(user=citizen2).update(extra_data={"citizen_id": "12345"})
    assert not is_vneid_verified(citizen2)
