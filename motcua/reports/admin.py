"""Admin screens for the report settings (rules as data, DOMAIN §6–§7)."""

from django.contrib import admin

from motcua.audit.admin_mixins import AuditedAdmin, ReadOnlyAdmin

from .models import IndexManualScore, IndexYear, MonthlyReport, ProvinceViewer, ReportSettings


@admin.register(ReportSettings)
class ReportSettingsAdmin(AuditedAdmin):
    list_display = ("denominator", "compare", "reporting_name", "receiving_name", "updated_at")

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
