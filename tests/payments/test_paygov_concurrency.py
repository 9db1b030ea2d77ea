"""The same notification arriving several times at once confirms the payment once (PostgreSQL).

SQLite serialises every writer on one file lock, so the race cannot happen there: skipped.
"""

from __future__ import annotations

import pytest
from django.db import connection
from dossiers.test_codes_concurrency import in_parallel

from motcua.dossiers.services import dossier_transition
from motcua.payments.models import GatewayMessage, Payment, PaymentStatus
from motcua.payments.paygov import protocol
from motcua.payments.paygov.services import paygov_apply
from motcua.payments.services import payment_start

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises all writers, so there is no race to test",
    ),
]


def test_simultaneous_duplicate_notifications(personas, submit_online, settings):
    settings.MOTCUA_PAYGOV_URL = "http://127.0.0.1:9"
    settings.MOTCUA_PAYGOV_MERCHANT = "M"
    settings.MOTCUA_PAYGOV_SECRET = "S"
    settings.MOTCUA_PAYMENT_PROVIDERS = ["paygov"]
    dossier = submit_online(personas["citizen1"])
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="accept")
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="request_payment")
    payment = payment_start(actor=personas["citizen1"], dossier_id=dossier.pk, provider="paygov")
    fields = protocol.signed(
        {
            "merchant": "M",
            "reference": payment.reference,
            "transaction_id": "PG1",
            "amount": "200000",
            "status": "paid",
            "paid_at": "",
            "timestamp": "1",
        },
        "S",
    )
    results, errors = in_parallel(8, lambda i: paygov_apply(fields=fields, kind="notify").outcome)
    assert errors == []
    assert sorted(results) == ["duplicate"] * 7 + ["paid"]
    assert Payment.objects.get().status == PaymentStatus.PAID
    assert dossier.events.filter(action="pay_online").count() == 1
    assert GatewayMessage.objects.count() == 8
