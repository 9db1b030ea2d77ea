"""Admin screens for the report settings (rules as data, DOMAIN §6–§7)."""

from django.contrib import admin
from django.db import transaction

from motcua.audit.admin_mixins import AuditedAdmin, ReadOnlyAdmin

from .models import (
    IndexManualScore,
    IndexYear,
    MonthlyReport,
    ProvinceViewer,
    ReportSettings,
    RuleProfile,
)


@admin.register(ReportSettings)
class ReportSettingsAdmin(AuditedAdmin):
    # The rate's rules moved to the rule profiles (RuleProfile); `denominator` and `compare`
    # here are no longer read.
    list_display = ("reporting_name", "receiving_name", "reminder_hours", "updated_at")
    exclude = ("denominator", "compare")


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

    def has_add_permission(self, request):
        return not ReportSettings.objects.exists() and super().has_add_permission(request)


@admin.register(IndexYear)
class IndexYearAdmin(AuditedAdmin):
    list_display = ("year", "full_at", "half_at", "quarter_at")


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
