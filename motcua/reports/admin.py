"""Admin screens for the report settings (rules as data, DOMAIN §6–§7)."""

from django.contrib import admin

from .models import IndexManualScore, IndexYear, MonthlyReport, ProvinceViewer, ReportSettings


@admin.register(ReportSettings)
class ReportSettingsAdmin(admin.ModelAdmin):
    list_display = ("denominator", "compare", "reporting_name", "receiving_name", "updated_at")

    def has_add_permission(self, request):
        return not ReportSettings.objects.exists() and super().has_add_permission(request)


@admin.register(IndexYear)
class IndexYearAdmin(admin.ModelAdmin):
    list_display = ("year", "full_at", "half_at", "quarter_at")


@admin.register(IndexManualScore)
class IndexManualScoreAdmin(admin.ModelAdmin):
    list_display = ("unit", "month", "indicator", "points", "entered_by", "entered_at")
    list_filter = ("indicator", "unit")
    readonly_fields = ("entered_by",)

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ProvinceViewer)
class ProvinceViewerAdmin(admin.ModelAdmin):
    list_display = ("user", "note")
    raw_id_fields = ("user",)


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ("month", "unit", "generated_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
