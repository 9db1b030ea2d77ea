"""Payment providers: a small interface, three built in; MOTCUA_PAYMENT_PROVIDERS picks which.

A real provider (a bank gateway, the national portal's payment platform) subclasses
`PaymentProvider`: `start` returns the URL to send the citizen to, and its callback view calls
`services.payment_confirm` once the provider's signature has been verified.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Payment


class PaymentProvider:
    code = ""
    label = ""
    #: False: nothing is paid online; the page shows instructions (e.g. pay at the counter).
    online = True
    description = ""

    def start(self, payment: Payment) -> str | None:
        """Where to send the citizen to pay, or None when there is nothing to do online."""
        raise NotImplementedError

    @classmethod
    def available(cls) -> bool:
        """False when the provider lacks its configuration (then it is not offered)."""
        return True


class CounterProvider(PaymentProvider):
    """Pay in cash or by card at the intake desk; the clerk records the payment (fee paid)."""

    code = "counter"
    label = _("Pay at the counter")
    online = False
    description = _(
        "Pay at the intake desk when you come; the clerk records the payment and processing "
        "continues."
    )

    def start(self, payment: Payment) -> str | None:
        return None


class TestProvider(PaymentProvider):
    """A simulated gateway served by this application: for demos and tests only."""

    code = "test"
    label = _("Test payment gateway (no real money)")
    description = _("A simulated payment page; nothing is charged.")

    def start(self, payment: Payment) -> str | None:
        return reverse("payments:test_checkout", args=[payment.reference])


class PaygovProvider(PaymentProvider):
    """The public payment gateway (PayGov-style): a signed redirect, then a signed return and a
    server-to-server notification (motcua/payments/paygov/)."""

    code = "paygov"
    label = _("Public payment gateway (bank card, account, e-wallet)")
    description = _("You are sent to the public payment gateway to pay, then brought back here.")

    @classmethod
    def available(cls) -> bool:
        from .paygov.protocol import config

        return config() is not None

    def start(self, payment: Payment) -> str | None:
        from .paygov.protocol import checkout_url, config

        cfg = config()
        if cfg is None:
            return None
        base = settings.MOTCUA_PUBLIC_URL
        return checkout_url(
            cfg,
            reference=payment.reference,
            amount=int(payment.amount),
            description=f"{payment.dossier.code} {payment.dossier.procedure.code}"[:200],
            return_url=base + reverse("payments:paygov_return"),
            notify_url=base + reverse("payments:paygov_notify"),
        )


BUILT_IN: dict[str, type[PaymentProvider]] = {
    CounterProvider.code: CounterProvider,
    TestProvider.code: TestProvider,
    PaygovProvider.code: PaygovProvider,
}


def enabled_providers() -> list[PaymentProvider]:
    """The providers offered, in the configured order; unknown names are ignored."""
    names = getattr(settings, "MOTCUA_PAYMENT_PROVIDERS", ["counter"])
    return [BUILT_IN[name]() for name in names if name in BUILT_IN and BUILT_IN[name].available()]


def get_provider(code: str) -> PaymentProvider | None:
    return next((p for p in enabled_providers() if p.code == code), None)
