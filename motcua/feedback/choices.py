from django.db import models
from django.utils.translation import gettext_lazy as _


class Overall(models.IntegerChoices):
    """The 3-point scale of the two overall questions (DOMAIN §8)."""

    VERY_SATISFIED = 3, _("Very satisfied")
    SATISFIED = 2, _("Satisfied")
    NOT_SATISFIED = 1, _("Not satisfied")


class Score(models.IntegerChoices):
    """The 2 / 1 / 0 scoring of the 9 indices of Circular 01/2018."""

    GOOD = 2, _("Good (2 points)")
    FAIR = 1, _("Acceptable (1 point)")
    POOR = 0, _("Poor (0 points)")


#: The 9 indices of Circular 01/2018 (DOMAIN §8), in order: (field name, question).
INDICES = (
    ("time_total", _("Total time to settle the dossier compared with the statutory time")),
    ("time_agencies", _("Time taken by each agency involved")),
    ("visits", _("Number of times you had to come back to complete the dossier")),
    ("agencies_contacted", _("Number of agencies you had to contact")),
    ("one_stop", _("Handled entirely at the one-stop desk")),
    ("published", _("The procedure was published and easy to find")),
    ("attitude", _("Officials' attitude")),
    ("feedback_handled", _("Your feedback or questions were handled")),
    ("online_progress", _("Progress of the online service could be followed")),
)


class FeedbackKind(models.TextChoices):
    FEEDBACK = "feedback", _("feedback (phản ánh)")
    PETITION = "petition", _("petition (kiến nghị)")
    COMPLAINT = "complaint", _("complaint about a dossier")


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    ASSIGNED = "assigned", _("assigned")
    ANSWERED = "answered", _("answered")
    REJECTED = "rejected", _("rejected")


class SenderVerdict(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied with the answer")
    NOT_SATISFIED = "not_satisfied", _("not satisfied with the answer")


class FeedbackTopic(models.TextChoices):
    """What a PAKN is about (DOMAIN §7, 5.1): the classification the national portal counts."""

    POLICY = "policy", _("a policy or regulation")
    PROCEDURE = "procedure", _("an administrative procedure")
    CONDUCT = "conduct", _("an official's conduct")
