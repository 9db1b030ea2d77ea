"""One attempt to pay a dossier's fee through a provider."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("waiting for payment")
    PAID = "paid", _("paid")
    CANCELLED = "cancelled", _("cancelled")


class Payment(models.Model):
    """A fee payment of a dossier; `reference` is what the provider sees (never the dossier id)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="payments"
    )
    provider = models.CharField(_("payment method"), max_length=30)
    amount = models.DecimalField(_("amount (VND)"), max_digits=14, decimal_places=0)
    status = models.CharField(_("status"), max_length=10, choices=PaymentStatus)
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    provider_reference = models.CharField(_("provider's reference"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="payment_amount_nonneg"),
            models.UniqueConstraint(
                fields=["dossier"],
                condition=models.Q(status="paid"),
                name="payment_one_paid_per_dossier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_status_display()})"


class GatewayMessage(models.Model):
    """What a payment gateway told us (browser return, notification, status answer) and what we
    did with it: the record that makes late, duplicate and forged messages visible."""

    class Kind(models.TextChoices):
        RETURN = "return", _("browser return")
        NOTIFY = "notify", _("server notification (IPN)")
        QUERY = "query", _("status query")

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="gateway_messages"
    )
    provider = models.CharField(_("payment method"), max_length=30)
    kind = models.CharField(max_length=10, choices=Kind)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    transaction_id = models.CharField(max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, blank=True)
    amount = models.CharField(max_length=30, blank=True)
    signature_ok = models.BooleanField(default=False)
    #: paid, late_paid, duplicate, cancelled, pending, ignored, needs_refund, bad_signature,
    #: bad_merchant, unknown_payment, wrong_amount
    outcome = models.CharField(max_length=20)
    fields = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment gateway message")
        verbose_name_plural = _("payment gateway messages")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["reference"], name="gateway_message_reference")]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}: {self.outcome}"
