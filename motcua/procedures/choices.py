from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    CALENDAR_DAYS = "calendar_days", _("calendar days")


class OnlineLevel(models.TextChoices):
    """Decree 42/2022: fully online (toàn trình) or partly online (một phần)."""

    FULL = "full", _("fully online (toàn trình)")
    PARTIAL = "partial", _("partly online (một phần)")
    NONE = "none", _("not online")


class SupplementMode(models.TextChoices):
    """DOMAIN §4: by law the clock restarts once complete; some provinces pause it instead."""

    RESTART = "restart", _("restart the time limit when complete")
    PAUSE = "pause", _("pause the clock while waiting")


class DocumentForm(models.TextChoices):
    ORIGINAL = "original", _("original")
    CERTIFIED_COPY = "certified_copy", _("certified copy")
    COPY = "copy", _("copy")


class DocumentCondition(models.TextChoices):
    """When a required document is asked for (issue 14: the authorisation letter only when the
    applicant acts for someone else). Data on each document of the catalogue, not a rule in code."""

    ALWAYS = "always", _("always")
    ON_BEHALF = "on_behalf", _("only when applying on someone else's behalf")
