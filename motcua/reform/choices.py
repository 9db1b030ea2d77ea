from django.db import models
from django.utils.translation import gettext_lazy as _


class Block(models.TextChoices):
    """Blocks (khối) ranked separately (DOMAIN §10)."""

    DEPARTMENT = "department", _("departments (sở, ban, ngành)")
    # District People's Committees existed until 30/06/2025; communes after (DOMAIN §14).
    DISTRICT = "district", _("district People's Committees")
    COMMUNE = "commune", _("commune People's Committees")


class TiePolicy(models.TextChoices):
    """Equal scores share a rank; the next rank is skipped (1, 2, 2, 4) or not (1, 2, 2, 3)."""

    STANDARD = "standard", _("shared rank, next rank skipped (1, 2, 2, 4)")
    DENSE = "dense", _("shared rank, next rank not skipped (1, 2, 2, 3)")


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open for self-assessment")
    PUBLISHED = "published", _("published")


class ItemKind(models.TextChoices):
    """How an item's points are obtained and counted."""

    REGULAR = "regular", _("self-assessed and appraised")
    SURVEY = "survey", _("survey")
    BONUS = "bonus", _("bonus")
    PENALTY = "penalty", _("penalty")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("self-assessment in progress")
    SUBMITTED = "submitted", _("submitted for appraisal")
    APPRAISED = "appraised", _("appraised")


class ResultSource(models.TextChoices):
    COMPUTED = "computed", _("computed from the scorecards")
    IMPORTED = "imported", _("imported from a published decision")


class ActionStatus(models.TextChoices):
    TODO = "todo", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class Phase(models.TextChoices):
    BEFORE = "before", _("before simplification")
    AFTER = "after", _("after simplification")
