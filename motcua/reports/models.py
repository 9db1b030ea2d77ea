"""Report settings kept as data (DOMAIN §6–§7): the rate's rules, 766 thresholds, manual scores,
who sees the whole province, stored monthly reports and the jobs' idempotence marks."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .ontime import COMPARE_DATE, COMPARE_TIMESTAMP, DENOMINATOR_DUE, DENOMINATOR_SETTLED

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class ReportSettings(models.Model):
    """The department's report settings (one row). The on-time rules are rule profiles now."""

    reporting_name = models.CharField(
        _("reporting agency (on exports)"), max_length=255, default="Sở Tư pháp"
    )
    receiving_name = models.CharField(
        _("agency receiving the report"), max_length=255, default="Văn phòng Ủy ban nhân dân"
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("remind officers this many working hours before a step is due"), default=4
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")

    def __str__(self) -> str:
        return self.reporting_name

    @classmethod
    def current(cls) -> ReportSettings:
        """The stored settings, or an unsaved row with the national defaults."""
        return cls.objects.order_by("pk").first() or cls()


class StatusRule(models.TextChoices):
    """How a rule profile counts a dossier in status 3, 5, 6, 7 or 8 in II.06a (DOMAIN §6)."""

    APART = "apart", _("reported apart (neither settled nor in progress)")
    SETTLED_ON_TIME = "settled_on_time", _("settled, on time")
    SETTLED_BY_DATE = "settled_by_date", _("settled, early / on time / late by its end date")
    IN_PROGRESS_WITHIN = "in_progress_within", _("in progress, within the deadline")
    IN_PROGRESS_BY_DUE = "in_progress_by_due", _("in progress, overdue if past the due time")


class RuleProfile(models.Model):
    """A named, documented way of counting II.06a (DOMAIN §6): statuses, comparison, denominator.

    Data, not code: the department picks the profile its province reports with (`is_default`), and
    every report states the profile it used. Edits are audited by the admin (versioned there)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description and source"), blank=True)
    refused = models.CharField(
        _("refused after reception (3)"),
        max_length=20,
        choices=StatusRule,
        default=StatusRule.APART,
    )
    waiting_supplement = models.CharField(
        _("waiting for supplement (5)"),
        max_length=20,
        choices=StatusRule,
        default=StatusRule.IN_PROGRESS_BY_DUE,
    )
    waiting_payment = models.CharField(
        _("waiting for fee payment (6)"),
        max_length=20,
        choices=StatusRule,
        default=StatusRule.IN_PROGRESS_BY_DUE,
    )
    withdrawn = models.CharField(
        _("withdrawn (7)"), max_length=20, choices=StatusRule, default=StatusRule.APART
    )
    stopped = models.CharField(
        _("stopped (8)"), max_length=20, choices=StatusRule, default=StatusRule.APART
    )
    compare = models.CharField(
        _("on-time comparison"),
        max_length=10,
        choices=[
            (COMPARE_TIMESTAMP, _("not after the due time")),
            (COMPARE_DATE, _("on the due date (dates compared)")),
        ],
        default=COMPARE_DATE,
    )
    denominator = models.CharField(
        _("denominator of the on-time rate"),
        max_length=10,
        choices=[
            (DENOMINATOR_SETTLED, _("settled dossiers (7)")),
            (DENOMINATOR_DUE, _("dossiers due: settled (7) + overdue in progress (13)")),
        ],
        default=DENOMINATOR_SETTLED,
    )
    is_default = models.BooleanField(_("the department's default"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("statistics rule profile")
        verbose_name_plural = _("statistics rule profiles")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_profile"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # A waiting dossier (5, 6) has no end of processing: it can only be in progress.
        from django.core.exceptions import ValidationError

        from .ontime import WAITING_RULES

        errors = {
            name: _("A waiting dossier is in progress: choose one of the two in-progress rules.")
            for name in ("waiting_supplement", "waiting_payment")
            if getattr(self, name) not in WAITING_RULES
        }
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None) -> None:
        # Only one default: making this one the default un-defaults the other in the same
        # transaction (RuleProfileAdmin.save_model), so the form does not refuse it.
        super().validate_constraints(exclude={*(exclude or ()), "is_default"})


class ProvinceViewer(models.Model):
    """A user who reads every unit's statistics (provincial office); superusers do anyway."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="province_viewer"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("province-wide report reader")
        verbose_name_plural = _("province-wide report readers")

    def __str__(self) -> str:
        return str(self.user)


class IndexYear(models.Model):
    """A version of the Decision 766 scoring settings, valid from `year` (DOMAIN §7).

    Its rows (`IndexIndicatorSetting`) give each indicator's maximum points and target; a year
    without its own version uses the latest earlier one (`index766.settings.year_settings`).
    Below the target the points are proportional: `ratio × max ÷ target`."""

    year = models.PositiveSmallIntegerField(_("valid from year"), unique=True)
    empty_full_points = models.BooleanField(
        _("an indicator with nothing to measure earns its full points"),
        default=True,
        help_text=_(
            "Unconfirmed: the portal shows N/A when the denominator is 0. Unticked: 0 points."
        ),
    )
    note = models.TextField(_("source / note"), blank=True)

    class Meta:
        verbose_name = _("766 index settings (per year)")
        verbose_name_plural = _("766 index settings (per year)")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class IndexIndicatorSetting(models.Model):
    """One indicator's maximum points and target (percent) in a version of the 766 settings."""

    index_year = models.ForeignKey(IndexYear, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.CharField(_("indicator"), max_length=5)
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    target = models.DecimalField(
        _("target (%)"),
        max_digits=5,
        decimal_places=2,
        default=100,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        verbose_name = _("766 indicator setting")
        verbose_name_plural = _("766 indicator settings")
        ordering = ["index_year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["index_year", "indicator"], name="index_indicator_setting_unique"
            ),
            models.CheckConstraint(
                condition=Q(target__gt=0, target__lte=100), name="index_indicator_target_range"
            ),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="index_indicator_max_min"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.max_points} / {self.target} %"


class IndexManualScore(models.Model):
    """A 766 sub-indicator the system cannot know, entered by hand for a unit and month."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month (first day)"))
    indicator = models.CharField(_("indicator"), max_length=10)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    note = models.TextField(_("evidence / reason"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("766 score entered by hand")
        verbose_name_plural = _("766 scores entered by hand")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "indicator"], name="index_manual_unique"
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="index_manual_points_min"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m} {self.indicator}: {self.points}"


class MonthlyReport(models.Model):
    """A generated monthly II.06a (per unit, and the province with unit=None): a frozen copy."""

    month = models.DateField(_("month (first day)"))
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    figures = models.JSONField()
    generated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["month", "unit"], name="monthly_report_unique"),
            models.UniqueConstraint(
                fields=["month"], condition=Q(unit__isnull=True), name="monthly_report_province"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.unit_id or '*'}"


class JobMark(models.Model):
    """A message a background job has sent, so a rerun never sends it twice (idempotence)."""

    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=100)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="job_mark_unique")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class DailyFigure(models.Model):
    """Counts of II.06a events per unit, procedure and day (and per month and year, `grain`), kept
    as dossiers change, so a period is a sum of a few rows per group (`motcua.reports.daily`).

    Not a user-facing table: `motcua report rebuild-daily` fills and repairs it from the dossiers;
    the dossiers' own writes add rows of differences in the same transaction (inserts only, so
    concurrent writes never wait on a shared counter row), which `compact` folds into one row per
    key. `day` is the first day of the bucket; a figure is the sum of `n` over its key's rows."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    grain = models.CharField(max_length=1)  # d / m / y
    day = models.DateField()
    kind = models.PositiveSmallIntegerField()
    status = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=10, blank=True)
    timeliness = models.PositiveSmallIntegerField(default=0)
    due_on = models.DateField()  # closed dossiers' due date (9999-12-31: none, or not a closing)
    n = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["grain", "day"], name="daily_figure_day")]

    def __str__(self) -> str:
        return f"{self.grain}{self.day} {self.unit_id}/{self.procedure_id} k{self.kind}: {self.n}"


class DailyFiguresState(models.Model):
    """One row once `motcua report rebuild-daily` has filled `DailyFigure` (the reports use the
    daily figures only then); `version` changes when the kinds of counts change."""

    version = models.PositiveSmallIntegerField()
    built_at = models.DateTimeField()
    dossiers = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"v{self.version} {self.built_at:%Y-%m-%d %H:%M}"
