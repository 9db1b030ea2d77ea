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
    """The limits of the PAKN steps, in working days on the unit's calendar (one row; the
    defaults when absent). DOMAIN §7, 5.2: rejected ≤ 2, more information requested ≤ 5,
    answered ≤ 15 (all from reception), published ≤ 2 after the answer."""

    reject_working_days = models.PositiveSmallIntegerField(
        _("working days to reject feedback"), default=2
    )
    info_working_days = models.PositiveSmallIntegerField(
        _("working days to ask for more information"), default=5
    )
    answer_working_days = models.PositiveSmallIntegerField(
        _("working days to answer feedback"), default=15
    )
    publish_working_days = models.PositiveSmallIntegerField(
        _("working days to publish the answer"), default=2
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
    """A citizen's feedback, petition or complaint (PAKN): received, assigned, then rejected or
    answered (more information may be asked first), the answer published. Each step's deadline
    is stored when its clock starts, so the 766 indicator 5.2 compares timestamps in SQL."""

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
    # DOMAIN §7, 5.2: the steps and their deadlines (working days of FeedbackSettings).
    reject_due_at = models.DateTimeField(_("reject by"), null=True, blank=True)
    info_due_at = models.DateTimeField(_("ask for information by"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    reject_reason = models.TextField(_("reason for rejecting"), blank=True)
    info_requested_at = models.DateTimeField(
        _("more information requested at"), null=True, blank=True
    )
    info_note = models.TextField(_("information requested"), blank=True)
    publish_due_at = models.DateTimeField(_("publish by"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
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
            models.CheckConstraint(
                condition=Q(status=FeedbackStatus.REJECTED, rejected_at__isnull=False)
                | (~Q(status=FeedbackStatus.REJECTED) & Q(rejected_at__isnull=True)),
                name="feedback_rejected_has_time",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(answered_at__isnull=False),
                name="feedback_published_after_answer",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_at is None:
            return None
        return self.answered_at <= self.due_at

    @property
    def is_open(self) -> bool:
        return self.status not in (FeedbackStatus.ANSWERED, FeedbackStatus.REJECTED)
