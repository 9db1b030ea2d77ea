"""Message templates editable by administrators, and the log of every message sent or attempted."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TemplateKey(models.TextChoices):
    STATUS_CHANGE = "status_change", _("status change (any other status)")
    RECEIVED = "received", _("dossier received (receipt, form 01)")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("supplement requested")
    PAYMENT_REQUESTED = "payment_requested", _("fee payment requested")
    RESULT_READY = "result_ready", _("result ready")
    SMS = "sms", _("SMS (any status)")
    # DOMAIN §4: forms 03, 04 and 05 go to the applicant electronically, with the form as a PDF.
    REFUSED = "refused", _("dossier refused (form 03)")
    STOPPED = "stopped", _("processing stopped (stop notice)")
    APOLOGY = "apology", _("apology and new appointment (form 04)")
    SMS_APOLOGY = "sms_apology", _("SMS: apology and new appointment")
    # Messages to staff, sent by the background jobs (motcua.reports.jobs).
    STEP_REMINDER = "step_reminder", _("reminder to the officer before a step is due")
    STEP_OVERDUE = "step_overdue", _("escalation to the leader when a step is overdue")


class MessageTemplate(models.Model):
    """Subject and body of one notification in one language (Django template syntax)."""

    key = models.CharField(_("message"), max_length=30, choices=TemplateKey)
    language = models.CharField(_("language"), max_length=10, default="vi")
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(
        _("HTML (optional)"), blank=True, help_text=_("Empty: built from the text.")
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["key", "language"]
        constraints = [
            models.UniqueConstraint(fields=["key", "language"], name="message_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} ({self.language})"


class Channel(models.TextChoices):
    EMAIL = "email", _("email")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    """One message sent (or that failed) to an applicant or, from the jobs, to staff: the log."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    recipient = models.CharField(_("recipient"), max_length=254)
    key = models.CharField(_("message"), max_length=30, choices=TemplateKey)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"), blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    dossier_code = models.CharField(_("dossier code"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("delivery log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["dossier_code", "created_at"], name="delivery_code")]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient} ({self.status})"
