"""Admin screens: administrators enter next year's official days off without a code release."""

from django.contrib import admin, messages
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from motcua.audit.admin_mixins import AuditedAdmin
from motcua.worktime import WorktimeError, compile_spec

from . import models, provider


def _check_compiles(request, name: str) -> None:
    """Tell the administrator at once if the calendar no longer builds (e.g. overlapping periods)."""
    try:
        spec = provider.spec_for(name)
        if spec is not None:
            compile_spec(spec)
    except WorktimeError as exc:
        messages.error(
            request,
            _("The calendar '%(name)s' cannot be built: %(error)s")
            % {"name": name, "error": exc.message(get_language())},
        )


class SchedulePeriodInline(admin.TabularInline):
    model = models.SchedulePeriod
    extra = 0


class CalendarOverrideInline(admin.TabularInline):
    model = models.DayOverride
    extra = 0
    fields = ["date", "working", "source_document", "note"]


@admin.register(models.WorkCalendar)
class WorkCalendarAdmin(AuditedAdmin):
    list_display = ["name", "title", "base", "hours_per_day", "updated_at"]
    search_fields = ["name", "title"]
    inlines = [SchedulePeriodInline, CalendarOverrideInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _check_compiles(request, form.instance.name)


@admin.register(models.DayOverride)
class DayOverrideAdmin(AuditedAdmin):
    list_display = ["date", "working", "calendar", "source_document", "updated_at"]
    list_filter = ["working", "calendar"]
    date_hierarchy = "date"
    search_fields = ["source_document", "note"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
