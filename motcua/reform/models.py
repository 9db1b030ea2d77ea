"""Reform scorecards (schemes, criteria, assessments, results) and compliance-cost plans."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.orgs.models import Unit
from motcua.procedures.models import Procedure

from .choices import (
    ActionStatus,
    AssessmentStatus,
    Block,
    ItemKind,
    Phase,
    ResultSource,
    SchemeStatus,
    TiePolicy,
)

POINTS = {"max_digits": 7, "decimal_places": 2}
MONEY = {"max_digits": 16, "decimal_places": 2}


class Scheme(models.Model):
    """The scoring scheme of one year and block: criteria tree, bands and tie policy (DOMAIN §10)."""

    year = models.PositiveSmallIntegerField(_("year"))
    block = models.CharField(_("block"), max_length=20, choices=Block)
    name = models.CharField(_("name"), max_length=255, blank=True)
    tie_policy = models.CharField(
        _("tie policy"), max_length=10, choices=TiePolicy, default=TiePolicy.STANDARD
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SchemeStatus, default=SchemeStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    decision = models.CharField(_("publishing decision"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("reform scheme")
        verbose_name_plural = _("reform schemes")
        ordering = ["-year", "block"]
        constraints = [
            models.UniqueConstraint(fields=["year", "block"], name="reform_scheme_year_block")
        ]

    def __str__(self) -> str:
        return f"{self.year} – {self.get_block_display()}"

    @property
    def is_published(self) -> bool:
        return self.status == SchemeStatus.PUBLISHED


class Band(models.Model):
    """A classification band: applies to an index % at or above its inclusive lower bound."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="bands")
    label = models.CharField(_("label"), max_length=50)
    lower_bound = models.DecimalField(_("lower bound (inclusive, %)"), **POINTS)

    class Meta:
        verbose_name = _("classification band")
        verbose_name_plural = _("classification bands")
        ordering = ["scheme", "-lower_bound"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "label"], name="reform_band_label"),
            models.UniqueConstraint(fields=["scheme", "lower_bound"], name="reform_band_bound"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ≥ {self.lower_bound}"


class Item(models.Model):
    """A node of the criteria tree (field → criterion → sub-criterion …); leaves are scored."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind, default=ItemKind.REGULAR)
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    guidance = models.TextField(_("scoring guidance"), blank=True)
    required_evidence = models.TextField(_("required evidence"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["scheme", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="reform_item_code"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="reform_item_max_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Assessment(models.Model):
    """One unit's scorecard under a scheme: self-assessment, then the council's appraisal."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reform_assessments")
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus, default=AssessmentStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    appraised_at = models.DateTimeField(_("appraised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit scorecard")
        verbose_name_plural = _("unit scorecards")
        ordering = ["scheme", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit"], name="reform_assessment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scheme} – {self.unit}"


class ItemScore(models.Model):
    """A unit's score on one leaf item: self-assessed, then confirmed or adjusted with a reason."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="scores")
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    self_score = models.DecimalField(_("self-assessed"), null=True, blank=True, **POINTS)
    self_note = models.TextField(_("explanation"), blank=True)
    appraised_score = models.DecimalField(_("appraised"), null=True, blank=True, **POINTS)
    appraisal_reason = models.TextField(_("council's reason"), blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["assessment", "item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="reform_score_unique"),
            models.CheckConstraint(
                condition=Q(self_score__isnull=True) | Q(self_score__gte=0),
                name="reform_self_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(appraised_score__isnull=True) | Q(appraised_score__gte=0),
                name="reform_appraised_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.item.code}"


class Evidence(models.Model):
    """An evidence file for an item score (PDF/JPEG/PNG, checked by content); kept in the DB."""

    score = models.ForeignKey(ItemScore, on_delete=models.CASCADE, related_name="evidence")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["score", "id"]

    def __str__(self) -> str:
        return self.original_name


class Result(models.Model):
    """A unit's published result (snapshot at publication, or imported from a decision)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reform_results")
    source = models.CharField(max_length=10, choices=ResultSource, default=ResultSource.COMPUTED)
    self_score = models.DecimalField(_("self-assessed"), null=True, blank=True, **POINTS)
    appraised_score = models.DecimalField(_("appraised"), null=True, blank=True, **POINTS)
    survey_score = models.DecimalField(_("survey"), null=True, blank=True, **POINTS)
    bonus = models.DecimalField(_("bonus"), default=Decimal(0), **POINTS)
    penalty = models.DecimalField(_("penalty"), default=Decimal(0), **POINTS)
    applicable_max = models.DecimalField(_("applicable maximum"), **POINTS)
    #: Rescaled to the scheme's full maximum (100 for the usual schemes).
    total = models.DecimalField(_("total"), **POINTS)
    index_percent = models.DecimalField(_("index %"), **POINTS)
    classification = models.CharField(_("classification"), max_length=50, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    #: {field code: index % as a string} at publication.
    field_indices = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        ordering = ["scheme", "rank", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit"], name="reform_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scheme} – {self.unit}: {self.total}"


class ActionItem(models.Model):
    """A line of a unit's improvement plan, usually from an item where it lost points."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(Item, on_delete=models.SET_NULL, null=True, blank=True)
    title = models.CharField(_("action"), max_length=500)
    owner = models.CharField(_("person in charge"), max_length=200)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus, default=ActionStatus.TODO
    )

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["assessment", "due_date", "id"]

    def __str__(self) -> str:
        return self.title


# --- compliance cost (DOMAIN §9, Circular 02/2017/TT-VPCP) ---------------------------------------
class HourlyIncome(models.Model):
    """Average income per year with its source; income per hour = monthly / (22 × 8)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    monthly_income = models.DecimalField(_("monthly income (VND)"), **MONEY)
    source = models.CharField(_("source"), max_length=500)

    class Meta:
        verbose_name = _("hourly income")
        verbose_name_plural = _("hourly incomes")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_income__gt=0), name="reform_income_pos")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.monthly_income}"


class SimplificationPlan(models.Model):
    """A procedure's simplification plan: the cost model before and after (DOMAIN §9)."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="simplification_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=500)
    hourly_income = models.DecimalField(_("income per hour (VND)"), **MONEY)
    income_source = models.CharField(_("source of the income figure"), max_length=500)
    dossiers_per_year = models.PositiveIntegerField(_("dossiers per year"))
    dossiers_source = models.CharField(_("source of the dossier count"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("simplification plan")
        verbose_name_plural = _("simplification plans")
        ordering = ["-year", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(hourly_income__gte=0), name="reform_plan_income"),
        ]

    def __str__(self) -> str:
        return self.title


class CostSnapshot(models.Model):
    """The cost model of a procedure before or after simplification: fees and other costs."""

    plan = models.ForeignKey(SimplificationPlan, on_delete=models.CASCADE, related_name="snapshots")
    phase = models.CharField(_("phase"), max_length=10, choices=Phase)
    fees = models.DecimalField(_("fees per dossier (VND)"), default=Decimal(0), **MONEY)
    other_costs = models.DecimalField(
        _("other costs per dossier (VND)"), default=Decimal(0), **MONEY
    )

    class Meta:
        verbose_name = _("cost snapshot")
        verbose_name_plural = _("cost snapshots")
        ordering = ["plan", "phase"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "phase"], name="reform_snapshot_phase"),
            models.CheckConstraint(
                condition=Q(fees__gte=0) & Q(other_costs__gte=0), name="reform_snapshot_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} – {self.get_phase_display()}"


class CostActivity(models.Model):
    """An activity the applicant performs, with its time in hours per dossier."""

    snapshot = models.ForeignKey(CostSnapshot, on_delete=models.CASCADE, related_name="activities")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("activity"), max_length=500)
    hours = models.DecimalField(_("hours"), max_digits=9, decimal_places=2)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["snapshot", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="reform_activity_hours"),
        ]

    def __str__(self) -> str:
        return self.name
