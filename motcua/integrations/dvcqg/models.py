"""The outbox of messages to the national portal, and what the portal sends back (ratings, PAKN)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxState(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    PARKED = "parked", _("parked after repeated failures")


class OutboxMessage(models.Model):
    """One snapshot of a dossier for the national portal, written in the transaction of the change.

    Delivered at least once, in `sequence` order per dossier; `message_id` is sent with every
    attempt so that the portal can drop duplicates. Rows are written with one INSERT by
    `outbox.enqueue_dossier` (raw SQL: the sequence and the documents are read in the same
    statement), never through `objects.create`.
    """

    message_id = models.UUIDField(_("message id"), unique=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="dvcqg_messages"
    )
    sequence = models.PositiveIntegerField(_("sequence within the dossier"))
    reason = models.CharField(_("reason"), max_length=40)
    payload = models.JSONField(_("payload"))
    state = models.CharField(
        _("state"), max_length=10, choices=OutboxState, default=OutboxState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Due time of the next attempt; while a worker holds the message it is the end of its lease.
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message to the national portal")
        verbose_name_plural = _("messages to the national portal")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["state", "next_attempt_at"],
                name="dvcqg_outbox_due",
                condition=~Q(state="sent"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "sequence"], name="dvcqg_outbox_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.sequence} {self.reason} ({self.state})"


class PortalRating(models.Model):
    """A like or dislike of one of our dossiers given on the national portal (DOMAIN §7, 5.4)."""

    external_id = models.CharField(_("id on the portal"), max_length=100, unique=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="portal_ratings"
    )
    liked = models.BooleanField(_("liked"))
    rated_at = models.DateTimeField(_("rated at"))
    fetched_at = models.DateTimeField(_("fetched at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rating on the national portal")
        verbose_name_plural = _("ratings on the national portal")
        ordering = ["-rated_at"]
        indexes = [models.Index(fields=["rated_at"], name="dvcqg_rating_at")]

    def __str__(self) -> str:
        return f"{self.external_id} ({'+' if self.liked else '-'})"


class PortalFeedback(models.Model):
    """Feedback (PAKN) about one of our dossiers sent on the national portal (DOMAIN §7, 5.x)."""

    external_id = models.CharField(_("id on the portal"), max_length=100, unique=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="portal_feedback"
    )
    content = models.TextField(_("content"), blank=True)
    category = models.CharField(_("category"), max_length=50, blank=True)
    received_at = models.DateTimeField(_("received at"))
    fetched_at = models.DateTimeField(_("fetched at"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback on the national portal")
        verbose_name_plural = _("feedback on the national portal")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["received_at"], name="dvcqg_feedback_at")]

    def __str__(self) -> str:
        return self.external_id
