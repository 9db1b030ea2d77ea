from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.IntegerChoices):
    """Dossier status with the DVCQG sync codes of DOMAIN §4 as values."""

    SUBMITTED_ONLINE = 1, _("submitted online, not yet received")
    RECEIVED = 2, _("received")
    # At intake, at the counter, or after reception by the leader (DOMAIN §4): one status, code 3.
    REFUSED = 3, _("refused")
    IN_PROGRESS = 4, pgettext_lazy("dossier status", "in progress")
    WAITING_SUPPLEMENT = 5, _("waiting for supplement")
    WAITING_PAYMENT = 6, _("waiting for fee payment")
    WITHDRAWN = 7, _("withdrawn")
    STOPPED = 8, _("processing stopped")
    RESULT_READY = 9, _("result ready")
    RETURNED = 10, _("result returned")


#: Statuses in which the dossier is settled (result issued) for statistics (DOMAIN §6).
SETTLED = frozenset({Status.RESULT_READY, Status.RETURNED})
#: Statuses that leave the statistics' main table (reported apart).
CLOSED_APART = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED})
#: Statuses in which the legal clock may run.
OPEN = frozenset(
    {Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING_SUPPLEMENT, Status.WAITING_PAYMENT}
)


class Channel(models.TextChoices):
    COUNTER = "counter", _("at the counter")
    POST = "post", _("by post")
    ONLINE = "online", _("online")


class ResultDelivery(models.TextChoices):
    DESK = "desk", _("at the intake desk")
    POST = "post", _("by post")
    ONLINE = "online", _("online")


class Timeliness(models.TextChoices):
    EARLY = "early", _("early")
    ON_TIME = "on_time", _("on time")
    LATE = "late", _("late")


class AttachmentKind(models.TextChoices):
    SUBMITTED = "submitted", _("submitted document")
    RESULT = "result", _("result")
    INTERNAL = "internal", _("internal document")
