"""Admin screens for the report settings (rules as data, DOMAIN §6–§7)."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.audit.admin_mixins import AuditedAdmin, ReadOnlyAdmin

from .index766.definitions import BY_ID
from .index766.settings import check_maxima
from .models import (
    IndexIndicatorSetting,
    IndexManualScore,
    IndexYear,
    MonthlyReport,
    ProvinceViewer,
    ReportSettings,
    RuleProfile,
)


@admin.register(ReportSettings)
class ReportSettingsAdmin(AuditedAdmin):
    # The rate's rules are the rule profiles (RuleProfile, below).
    list_display = ("reporting_name", "receiving_name", "reminder_hours", "updated_at")

    def has_add_permission(self, request):
        return not ReportSettings.objects.exists() and super().has_add_permission(request)


@admin.register(RuleProfile)
class RuleProfileAdmin(AuditedAdmin):
    """II.06a rule profiles (DOMAIN §6): the department picks its default; edits are audited."""

    list_display = ("code", "name", "is_default", "compare", "denominator", "updated_at")
    list_filter = ("is_default",)
    fields = (
        "code",
        "name",
        "description",
        "refused",
        "waiting_supplement",
        "waiting_payment",
        "withdrawn",
        "stopped",
        "compare",
        "denominator",
        "is_default",
    )

    def save_model(self, request, obj, form, change):
        # One default: the previous one loses the mark in the same transaction.
        with transaction.atomic():
            if obj.is_default:
                RuleProfile.objects.select_for_update().filter(is_default=True).exclude(
                    pk=obj.pk
                ).update(is_default=False)
            super().save_model(request, obj, form, change)


class IndicatorSettingsFormSet(forms.BaseInlineFormSet):
    """A version's rows, checked together (DOMAIN §7): every indicator once, known ids, each
    group's maxima summing to the decision's group maximum; nothing is saved otherwise."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        maxima: dict[str, Decimal] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            code = (data.get("indicator") or "").strip()
            if code in maxima:
                raise forms.ValidationError(_("Indicator %(id)s appears twice.") % {"id": code})
            if code not in BY_ID:
                raise forms.ValidationError(
                    _("Unknown indicator %(id)s: use the ids of Decision 766, e.g. 2.1.")
                    % {"id": code}
                )
            maxima[code] = data.get("max_points") or Decimal(0)
        errors = check_maxima(maxima)
        if errors:
            raise forms.ValidationError(errors)


class IndexIndicatorSettingInline(admin.TabularInline):
    model = IndexIndicatorSetting
    formset = IndicatorSettingsFormSet
    extra = 0
    fields = ("indicator", "max_points", "target")


@admin.register(IndexYear)
class IndexYearAdmin(AuditedAdmin):
    """A version of the 766 maxima and targets, valid from its year (versioned: add a new year
    rather than rewriting history); the rows are checked against the group maxima."""

    list_display = ("year", "empty_full_points", "note")
    inlines = [IndexIndicatorSettingInline]


@admin.register(IndexManualScore)
class IndexManualScoreAdmin(ReadOnlyAdmin):
    """Read-only here: scores are entered on the leader's screen (/bao-cao/chi-so-766/nhap/),
    which checks the maximum and the evidence and audits every change (manual_scores.py)."""

    list_display = ("unit", "month", "indicator", "points", "entered_by", "entered_at")
    list_filter = ("indicator", "unit")


@admin.register(ProvinceViewer)
class ProvinceViewerAdmin(AuditedAdmin):
    list_display = ("user", "note")
    raw_id_fields = ("user",)


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    """Written by the monthly job only (`motcua report monthly`)."""

    list_display = ("month", "unit", "generated_at")
