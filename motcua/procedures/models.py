"""Procedure catalogue: legal basis, fees, required documents, internal steps and time budgets."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.orgs.choices import Role
from motcua.orgs.models import Unit

from .choices import DocumentCondition, DocumentForm, OnlineLevel, SupplementMode, TimeUnit


class Field(models.Model):
    """A field of procedures (lĩnh vực), e.g. judicial records, notarization."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính) as published in the catalogue."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=500)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, null=True, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("competent unit")
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    time_value = models.DecimalField(
        _("processing time"), max_digits=7, decimal_places=2, default=Decimal(0)
    )
    time_unit = models.CharField(
        _("time unit"), max_length=20, choices=TimeUnit, default=TimeUnit.WORKING_DAYS
    )
    same_day_cutoff = models.BooleanField(
        _("same-day procedure with the 15:00 cut-off"), default=False
    )
    fee = models.DecimalField(_("fee (VND)"), max_digits=14, decimal_places=0, default=Decimal(0))
    fee_note = models.CharField(_("fee note"), max_length=500, blank=True)
    online_level = models.CharField(
        _("online level"), max_length=10, choices=OnlineLevel, default=OnlineLevel.PARTIAL
    )
    # DOMAIN §4: the national scorer treats the citizen's wait as a pause; restart stays an option.
    supplement_mode = models.CharField(
        _("supplement mode"), max_length=10, choices=SupplementMode, default=SupplementMode.PAUSE
    )
    # DOMAIN §7, 3.3 and 4.1: an online dossier of a procedure whose result is a paper document
    # counts only with an electronic result.
    result_is_document = models.BooleanField(
        _("the result is a document (kết quả là văn bản, giấy tờ)"), default=True
    )
    # Issue 15: the result carries two digital signatures, the leader's personal one and then the
    # agency's (its electronic seal), in that order; approve-and-sign refuses to issue it otherwise.
    two_signatures = models.BooleanField(
        _("the result needs two signatures (leader, then agency)"),
        default=False,
        help_text=_(
            "Approve-and-sign then signs with the leader's key and then with the agency's key, "
            "and refuses when the agency has no key configured."
        ),
    )
    # DOMAIN §7, 3.5: the fee can be paid online on the national portal.
    payable_online = models.BooleanField(
        _("fee payable online on the national portal"), default=False
    )
    calendar_name = models.CharField(
        _("working calendar"), max_length=50, blank=True, help_text=_("Empty: the unit's calendar.")
    )
    is_demo = models.BooleanField(_("demo data (illustrative code)"), default=False)
    is_historical = models.BooleanField(_("historical entry"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(time_value__gte=0), name="procedure_time_nonneg"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="procedure_fee_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def effective_calendar(self) -> str:
        return self.calendar_name or self.unit.calendar_name


class RequiredDocument(models.Model):
    """A document the applicant must submit for a procedure (always, or only on someone's behalf)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=500)
    form = models.CharField(_("form"), max_length=20, choices=DocumentForm)
    count = models.PositiveSmallIntegerField(_("count"), default=1)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    condition = models.CharField(
        _("asked for"),
        max_length=20,
        choices=DocumentCondition,
        default=DocumentCondition.ALWAYS,
        help_text=_(
            "E.g. the authorisation letter: only when the applicant acts for someone else."
        ),
    )

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["procedure", "order"]

    def __str__(self) -> str:
        return self.name


class ProcedureStep(models.Model):
    """An internal step of a procedure with its share of the time limit (DOMAIN §4, form 05)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=255)
    role = models.CharField(_("role"), max_length=20, choices=Role)
    budget_hours = models.DecimalField(
        _("time budget (working hours)"), max_digits=7, decimal_places=2
    )

    class Meta:
        verbose_name = _("internal step")
        verbose_name_plural = _("internal steps")
        ordering = ["procedure", "order"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "order"], name="step_order_unique"),
            models.CheckConstraint(condition=Q(budget_hours__gte=0), name="step_budget_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
