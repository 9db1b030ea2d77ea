"""Fee payment: waiting for payment (6) → paid through a provider → back to processing (4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.dossiers.choices import Status
from motcua.dossiers.errors import DossierError
from motcua.dossiers.services import dossier_transition
from motcua.payments.models import Payment, PaymentStatus
from motcua.payments.services import payment_confirm, payment_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(personas, submit_online, settings):
    settings.MOTCUA_PAYMENT_PROVIDERS = ["counter", "test"]
    dossier = submit_online(personas["citizen1"])
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="accept")
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="request_payment")
    dossier.refresh_from_db()
    assert dossier.status == Status.WAITING_PAYMENT
    return dossier


def test_test_provider_pays_and_processing_continues(client, personas, waiting):
    client.force_login(personas["citizen1"])
    response = client.post(reverse("portal:pay", args=[waiting.code]), {"provider": "test"})
    payment = Payment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:test_checkout", args=[payment.reference])
    assert payment.amount == waiting.procedure.fee and payment.status == PaymentStatus.PENDING
    checkout = reverse("payments:test_checkout", args=[payment.reference])
    assert client.get(checkout).status_code == 200
    client.post(checkout, {"decision": "pay"})
    payment.refresh_from_db()
    waiting.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.paid_at is not None
    # Paid while still at intake: back to 'received' for the clerk to forward.
    assert waiting.status == Status.RECEIVED
    assert waiting.events.filter(action="pay_online").exists()
    # confirming twice is harmless
    payment_confirm(reference=payment.reference)
    waiting.refresh_from_db()
    assert waiting.events.filter(action="pay_online").count() == 1


def test_cancel(client, personas, waiting):
    client.force_login(personas["citizen1"])
    client.post(reverse("portal:pay", args=[waiting.code]), {"provider": "test"})
    payment = Payment.objects.get()
    client.post(reverse("payments:test_checkout", args=[payment.reference]), {"decision": "cancel"})
    payment.refresh_from_db()
    waiting.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED and waiting.status == Status.WAITING_PAYMENT
    with pytest.raises(DossierError):
        payment_confirm(reference=payment.reference)


def test_counter_provider_only_explains(client, personas, waiting):
    client.force_login(personas["citizen1"])
    response = client.post(reverse("portal:pay", args=[waiting.code]), {"provider": "counter"})
    assert response["Location"] == reverse("portal:dossier", args=[waiting.code])
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITING_PAYMENT
    # the clerk records the payment at the desk
    dossier_transition(actor=personas["clerk"], dossier_id=waiting.pk, action="payment_received")
    waiting.refresh_from_db()
    # Paid while still at intake: back to 'received' for the clerk to forward.
    assert waiting.status == Status.RECEIVED


def test_checkout_is_404_for_others_and_when_disabled(client, personas, waiting, settings):
    client.force_login(personas["citizen1"])
    client.post(reverse("portal:pay", args=[waiting.code]), {"provider": "test"})
    checkout = reverse("payments:test_checkout", args=[Payment.objects.get().reference])
    client.force_login(personas["citizen2"])
    assert client.get(checkout).status_code == 404
    assert client.post(checkout, {"decision": "pay"}).status_code == 404
    client.force_login(personas["citizen1"])
    settings.MOTCUA_PAYMENT_PROVIDERS = ["counter"]
    assert client.get(checkout).status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITING_PAYMENT


def test_refusals(personas, waiting, submit_online):
    with pytest.raises(DossierError):
        payment_start(actor=personas["citizen2"], dossier_id=waiting.pk, provider="test")
    with pytest.raises(DossierError):
        payment_start(actor=personas["citizen1"], dossier_id=waiting.pk, provider="bank-x")
    other = submit_online(personas["citizen1"])
    with pytest.raises(DossierError):
        payment_start(actor=personas["citizen1"], dossier_id=other.pk, provider="test")
    assert not Payment.objects.exists()


def test_unknown_provider_in_form_is_400(client, personas, waiting):
    client.force_login(personas["citizen1"])
    response = client.post(reverse("portal:pay", args=[waiting.code]), {"provider": "bank-x"})
    assert response.status_code == 400 and not Payment.objects.exists()
