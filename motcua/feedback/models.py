"""Ratings of dossiers (DOMAIN §8) and citizen feedback and petitions, PAKN (DOMAIN §7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.audit.models import AppendOnlyModel

from .choices import FeedbackKind, FeedbackStatus, FeedbackTopic, Overall, Score, SenderVerdict


def _score(verbose):
    return models.PositiveSmallIntegerField(verbose, choices=Score)


class Rating(AppendOnlyModel):
    """A citizen's rating of one settled dossier; one per dossier, never changed (append-only)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="rating"
    )
    overall_service = models.PositiveSmallIntegerField(_("overall, the service"), choices=Overall)
    overall_result = models.PositiveSmallIntegerField(_("overall, the result"), choices=Overall)
    time_total = _score(_("total time"))
    time_agencies = _score(_("each agency's time"))
    visits = _score(_("times you had to come back"))
    agencies_contacted = _score(_("agencies contacted"))
    one_stop = _score(_("handled at the one-stop desk"))
    published = _score(_("procedure published"))
    attitude = _score(_("officials' attitude"))
    feedback_handled = _score(_("feedback handled"))
    online_progress = _score(_("online progress"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    # True when neither overall answer is "not satisfied" (denormalised for the 766 ratio).
    satisfied = models.BooleanField(editable=False)
    created_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall_service__gte=1, overall_service__lte=3)
                & Q(overall_result__gte=1, overall_result__lte=3),
                name="rating_overall_range",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__lte": 2}), name=f"rating_{name}_range"
                )
                for name in (
                    "time_total",
                    "time_agencies",
                    "visits",
                    "agencies_contacted",
                    "one_stop",
                    "published",
                    "attitude",
                    "feedback_handled",
                    "online_progress",
                )
            ],
        ]

    def __str__(self) -> str:
        return f"rating {self.dossier_id}"


class FeedbackSettings(models.Model):
    """How long the unit has to answer feedback (one row; 10 working days when absent)."""

    answer_working_days = models.PositiveSmallIntegerField(
        _("working days to answer feedback"), default=10
    )

    class Meta:
        verbose_name = _("feedback settings")
        verbose_name_plural = _("feedback settings")

    def __str__(self) -> str:
        return f"{self.answer_working_days}"

    @classmethod
    def current(cls) -> FeedbackSettings:
        return cls.objects.order_by("pk").first() or cls()


class Feedback(models.Model):
    """A citizen's feedback, petition or complaint (PAKN): received, assigned, answered."""

    code = models.CharField(_("reference"), max_length=30, unique=True)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="feedback")
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=FeedbackKind)
    sender_name = models.CharField(_("your name"), max_length=200)
    sender_phone = models.CharField(_("phone"), max_length=20)
    sender_email = models.EmailField(_("email"), blank=True)
    content = models.TextField(_("content"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=10, choices=FeedbackStatus, default=FeedbackStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("answer due"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sender_verdict = models.CharField(
        _("sender's verdict"), max_length=15, choices=SenderVerdict, blank=True
    )
    # DOMAIN §7, 5.1: classified by the staff as about a policy, a procedure or an official.
    topic = models.CharField(_("classification"), max_length=10, choices=FeedbackTopic, blank=True)

    class Meta:
        verbose_name = _("feedback (PAKN)")
        verbose_name_plural = _("feedback (PAKN)")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["unit", "received_at"], name="feedback_unit_received")]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("received_at")), name="feedback_due_after"
            ),
            models.CheckConstraint(
                condition=Q(status=FeedbackStatus.ANSWERED, answered_at__isnull=False)
                | (~Q(status=FeedbackStatus.ANSWERED) & Q(answered_at__isnull=True)),
                name="feedback_answered_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_at is None:
            return None
        return self.answered_at <= self.due_at
