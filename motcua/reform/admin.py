"""Admin screens: schemes (criteria tree, bands), results, hourly incomes, simplification plans."""

from django.contrib import admin

from motcua.audit.admin_mixins import AuditedAdmin

from .models import (
    ActionItem,
    Band,
    CostActivity,
    CostSnapshot,
    HourlyIncome,
    Item,
    Result,
    Scheme,
    SimplificationPlan,
)


class BandInline(admin.TabularInline):
    model = Band
    extra = 0


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0
    fields = ["order", "code", "parent", "title", "kind", "max_points"]
    fk_name = "scheme"


@admin.register(Scheme)
class SchemeAdmin(AuditedAdmin):
    list_display = ["year", "block", "name", "status", "tie_policy"]
    list_filter = ["block", "status"]
    inlines = [BandInline, ItemInline]


@admin.register(Item)
class ItemAdmin(AuditedAdmin):
    list_display = ["scheme", "code", "title", "kind", "max_points"]
    list_filter = ["scheme", "kind"]
    search_fields = ["code", "title"]


@admin.register(Result)
class ResultAdmin(AuditedAdmin):
    list_display = ["scheme", "rank", "unit", "total", "index_percent", "classification", "source"]
    list_filter = ["scheme"]


@admin.register(ActionItem)
class ActionItemAdmin(AuditedAdmin):
    list_display = ["assessment", "title", "owner", "due_date", "status"]


@admin.register(HourlyIncome)
class HourlyIncomeAdmin(AuditedAdmin):
    list_display = ["year", "monthly_income", "source"]


class CostActivityInline(admin.TabularInline):
    model = CostActivity
    extra = 1


@admin.register(CostSnapshot)
class CostSnapshotAdmin(AuditedAdmin):
    list_display = ["plan", "phase", "fees", "other_costs"]
    inlines = [CostActivityInline]


class CostSnapshotInline(admin.TabularInline):
    model = CostSnapshot
    extra = 0
    show_change_link = True


@admin.register(SimplificationPlan)
class SimplificationPlanAdmin(AuditedAdmin):
    list_display = ["year", "procedure", "title", "dossiers_per_year", "hourly_income"]
    inlines = [CostSnapshotInline]
    raw_id_fields = ["procedure"]
