"""The public payment gateway provider against its stand-in running as a real HTTP server.

The citizen's browser is Django's test client; the gateway (PaygovStub) is a real server on
loopback that posts its notifications (IPN) to motcua's live server over HTTP.
"""

from __future__ import annotations

import json
from decimal import Decimal
from urllib.error import HTTPError
from urllib.parse import parse_qsl, urlencode, urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener, urlopen

import pytest
from django.core.management import call_command
from django.urls import reverse

from motcua.dossiers.choices import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_transition
from motcua.payments.models import GatewayMessage, Payment, PaymentStatus
from motcua.payments.paygov import protocol
from motcua.payments.paygov.stub import PaygovStub
from motcua.payments.providers import enabled_providers
from motcua.payments.services import payment_cancel

pytestmark = pytest.mark.django_db(transaction=True)
MERCHANT, SECRET = "STP-HUE", "a-shared-secret-of-the-test-gateway"


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def stub():
    server = PaygovStub(merchant=MERCHANT, secret=SECRET).start()
    yield server
    server.stop()


@pytest.fixture
def gateway(settings, stub, live_server):
    settings.MOTCUA_PAYGOV_URL = stub.url
    settings.MOTCUA_PAYGOV_MERCHANT = MERCHANT
    settings.MOTCUA_PAYGOV_SECRET = SECRET
    settings.MOTCUA_PAYMENT_PROVIDERS = ["counter", "paygov"]
    settings.MOTCUA_PUBLIC_URL = live_server.url
    return stub


@pytest.fixture
def waiting(personas, submit_online, gateway):
    dossier = submit_online(personas["citizen1"])
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="accept")
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="request_payment")
    dossier.refresh_from_db()
    assert dossier.status == Status.WAITING_PAYMENT
    return dossier


def start_payment(client, personas, dossier) -> tuple[Payment, str]:
    """The citizen chooses the gateway and opens its payment page; (payment, page HTML)."""
    client.force_login(personas["citizen1"])
    response = client.post(reverse("portal:pay", args=[dossier.code]), {"provider": "paygov"})
    assert response.status_code == 302
    target = response["Location"]
    assert target.startswith(f"{protocol.config().url}/pay?")
    fields = dict(parse_qsl(urlsplit(target).query))
    assert protocol.verify(fields, SECRET) and fields["amount"] == "200000"
    with urlopen(target, timeout=10) as page:  # nosec B310
        html = page.read().decode()
    return Payment.objects.get(), html


def decide(stub, payment: Payment, decision: str) -> str:
    """Click "pay" or "cancel" on the gateway's page; the URL the browser is sent back to."""
    data = urlencode({"reference": payment.reference, "decision": decision}).encode()
    opener = build_opener(_NoRedirect)
    with pytest.raises(HTTPError) as redirect:
        opener.open(Request(f"{stub.url}/pay/confirm", data=data), timeout=20)
    assert redirect.value.code == 303
    return redirect.value.headers["Location"]


def post_notification(live_server, fields: dict) -> tuple[int, dict]:
    url = live_server.url + reverse("payments:paygov_notify")
    try:
        with urlopen(Request(url, data=urlencode(fields).encode()), timeout=10) as r:  # nosec B310
            return r.status, json.loads(r.read())
    except HTTPError as error:
        return error.code, json.loads(error.read())


def test_happy_path_ipn_then_return(client, personas, waiting, gateway):
    payment, html = start_payment(client, personas, waiting)
    assert "200000 VND" in html and payment.status == PaymentStatus.PENDING
    back = decide(gateway, payment, "pay")
    # the notification reached motcua over HTTP before the browser came back
    assert gateway.transactions[payment.reference].last_notify_status == 200
    payment.refresh_from_db()
    waiting.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.provider_reference.startswith("PG")
    assert waiting.status == Status.RECEIVED  # paid while at intake: back to the clerk
    # DOMAIN §7 3.6: counts as paid online, with the fee charged
    assert waiting.paid_online is True and waiting.fee == Decimal(200000)
    # the browser's return: verified, a duplicate of the notification, then the dossier page
    response = client.get(back)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dossier", args=[waiting.code])
    outcomes = list(GatewayMessage.objects.order_by("id").values_list("kind", "outcome"))
    assert outcomes == [("notify", "paid"), ("return", "duplicate")]
    assert waiting.events.filter(action="pay_online").count() == 1


def test_return_first_when_the_notification_is_lost(client, personas, waiting, gateway):
    gateway.notify = False
    payment, _html = start_payment(client, personas, waiting)
    back = decide(gateway, payment, "pay")
    client.get(back)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    # the IPN arrives late: understood, nothing changes
    assert gateway.send_notification(payment.reference) == 200
    assert GatewayMessage.objects.get(kind="notify").outcome == "duplicate"
    assert Dossier.objects.get().events.filter(action="pay_online").count() == 1


def test_bad_signature_changes_nothing(client, personas, waiting, gateway, live_server):
    payment, _html = start_payment(client, personas, waiting)
    forged = protocol.signed(
        {
            "merchant": MERCHANT,
            "reference": payment.reference,
            "transaction_id": "X1",
            "amount": "200000",
            "status": "paid",
            "timestamp": "1",
        },
        "not-the-secret",
    )
    status, body = post_notification(live_server, forged)
    assert status == 400 and body["code"] == "97"
    tampered = protocol.signed({**forged, "amount": "1"}, SECRET) | {"amount": "200000"}
    assert post_notification(live_server, tampered)[0] == 400
    # a forged browser return is refused the same way
    client.get(reverse("payments:paygov_return") + "?" + urlencode(forged))
    payment.refresh_from_db()
    waiting.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and waiting.status == Status.WAITING_PAYMENT
    assert not waiting.paid_online
    assert set(GatewayMessage.objects.values_list("outcome", flat=True)) == {"bad_signature"}


def test_wrong_amount_or_merchant_is_refused(client, personas, waiting, gateway, live_server):
    payment, _html = start_payment(client, personas, waiting)
    base = {
        "merchant": MERCHANT,
        "reference": payment.reference,
        "transaction_id": "X2",
        "amount": "2000",
        "status": "paid",
        "timestamp": "1",
    }
    status, body = post_notification(live_server, protocol.signed(base, SECRET))
    assert status == 400 and body["code"] == "04"
    other = protocol.signed({**base, "amount": "200000", "merchant": "OTHER"}, SECRET)
    assert post_notification(live_server, other)[0] == 400
    unknown = protocol.signed({**base, "amount": "200000", "reference": "nope"}, SECRET)
    assert post_notification(live_server, unknown)[1]["code"] == "01"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert list(GatewayMessage.objects.order_by("id").values_list("outcome", flat=True)) == [
        "wrong_amount",
        "bad_merchant",
        "unknown_payment",
    ]


def test_duplicate_notifications_are_idempotent(client, personas, waiting, gateway):
    payment, _html = start_payment(client, personas, waiting)
    decide(gateway, payment, "pay")
    for _ in range(3):
        assert gateway.send_notification(payment.reference) == 200
    waiting.refresh_from_db()
    assert waiting.events.filter(action="pay_online").count() == 1
    assert list(GatewayMessage.objects.order_by("id").values_list("outcome", flat=True)) == [
        "paid",
        "duplicate",
        "duplicate",
        "duplicate",
    ]


def test_pending_payment_reconciled_then_late_ipn(client, personas, waiting, gateway, capsys):
    gateway.notify = False
    payment, _html = start_payment(client, personas, waiting)
    decide(gateway, payment, "pay")  # paid at the gateway; the citizen closed the tab
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    # too young to be asked about yet
    call_command("payments", "reconcile", "--format", "json")
    assert json.loads(capsys.readouterr().out)["checked"] == 0
    call_command("payments", "reconcile", "--older-than", "0", "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert report == {"checked": 1, "outcomes": {"paid": 1}, "errors": []}
    payment.refresh_from_db()
    waiting.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and waiting.paid_online
    # the notification comes after all: a duplicate, understood (200) and harmless
    assert gateway.send_notification(payment.reference) == 200
    assert GatewayMessage.objects.order_by("-id").first().outcome == "duplicate"
    assert waiting.events.filter(action="pay_online").count() == 1
    # nothing pending any more
    call_command("payments", "reconcile", "--older-than", "0", "--format", "json")
    assert json.loads(capsys.readouterr().out)["checked"] == 0


def test_reconcile_reports_an_unreachable_gateway(client, personas, waiting, gateway, settings):
    start_payment(client, personas, waiting)
    settings.MOTCUA_PAYGOV_URL = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(SystemExit):
        call_command("payments", "reconcile", "--older-than", "0")
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_cancel_at_the_gateway_and_late_payment(client, personas, waiting, gateway):
    payment, _html = start_payment(client, personas, waiting)
    decide(gateway, payment, "cancel")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED
    # a second attempt; the citizen gives up in motcua but the gateway took the money
    client.post(reverse("portal:pay", args=[waiting.code]), {"provider": "paygov"})
    second = Payment.objects.filter(status=PaymentStatus.PENDING).get()
    with urlopen(f"{gateway.url}/pay?{_checkout_query(second)}", timeout=10):  # nosec B310
        pass
    payment_cancel(actor=personas["citizen1"], reference=second.reference)
    decide(gateway, second, "pay")
    second.refresh_from_db()
    waiting.refresh_from_db()
    assert second.status == PaymentStatus.PAID and waiting.status == Status.RECEIVED
    assert GatewayMessage.objects.order_by("-id").first().outcome == "late_paid"


def _checkout_query(payment: Payment) -> str:
    cfg = protocol.config()
    url = protocol.checkout_url(
        cfg,
        reference=payment.reference,
        amount=int(payment.amount),
        description="x",
        return_url="http://127.0.0.1/",
        notify_url=protocol.config() and _notify_url(),
    )
    return urlsplit(url).query


def _notify_url() -> str:
    from django.conf import settings

    return settings.MOTCUA_PUBLIC_URL + reverse("payments:paygov_notify")


def test_paid_after_the_dossier_moved_on_needs_a_refund(client, personas, waiting, gateway):
    payment, _html = start_payment(client, personas, waiting)
    # paid at the counter meanwhile
    dossier_transition(actor=personas["clerk"], dossier_id=waiting.pk, action="payment_received")
    decide(gateway, payment, "pay")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert GatewayMessage.objects.get().outcome == "needs_refund"


def test_receipt_for_the_payer_and_the_unit_only(client, personas, waiting, gateway):
    payment, _html = start_payment(client, personas, waiting)
    url = reverse("payments:receipt", args=[payment.reference])
    assert client.get(url).status_code == 404  # not paid yet
    decide(gateway, payment, "pay")
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "attachment" in response["Content-Disposition"]
    for who, expected in [
        ("clerk", 200),
        ("auditor", 200),
        ("citizen2", 404),
        ("clerk_b", 404),
        ("notary", 404),
    ]:
        client.force_login(personas[who])
        assert client.get(url).status_code == expected, who
    client.logout()
    assert client.get(url).status_code == 302
    # the citizen's dossier page links to it
    client.force_login(personas["citizen1"])
    page = client.get(reverse("portal:dossier", args=[waiting.code])).content.decode()
    assert url in page


def test_provider_offered_only_when_configured(settings, gateway, db):
    assert [p.code for p in enabled_providers()] == ["counter", "paygov"]
    settings.MOTCUA_PAYGOV_SECRET = ""
    assert [p.code for p in enabled_providers()] == ["counter"]


def test_staff_dossier_page_links_the_receipt(client, personas, waiting, gateway):
    payment, _html = start_payment(client, personas, waiting)
    decide(gateway, payment, "pay")
    client.force_login(personas["clerk"])
    page = client.get(reverse("dossiers:detail", args=[waiting.code])).content.decode()
    assert reverse("payments:receipt", args=[payment.reference]) in page
