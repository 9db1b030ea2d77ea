from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Staff roles within a unit (ARCHITECTURE.md personas)."""

    INTAKE_CLERK = "intake_clerk", _("intake clerk")
    SPECIALIST = "specialist", _("specialist")
    LEADER = "leader", _("unit leader")
    AUDITOR = "auditor", _("auditor (read-only)")
    NOTARY = "notary", _("notary")
    REFORM_OFFICER = "reform_officer", _("administrative-reform officer")
    EVALUATOR = "evaluator", _("reform appraisal council member")


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("department (sở, ban, ngành)")
    DIVISION = "division", _("division of a department")
    DISTRICT = "district", _("district People's Committee")
    COMMUNE = "commune", _("commune People's Committee")
    SERVICE_CENTRE = "service_centre", _("public administration service centre")
    NOTARY_OFFICE = "notary_office", _("notary office")
    OTHER = "other", _("other")
