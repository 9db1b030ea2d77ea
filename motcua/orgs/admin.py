"""Admin screens for units (validity, predecessors and successors) and staff memberships."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from motcua.audit.admin_mixins import AuditedAdmin

from .models import Membership, Unit


class ValidityFilter(admin.SimpleListFilter):
    """Units in force today, ended (e.g. merged in 2025) or not yet in force."""

    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [
            ("current", _("in force today")),
            ("ended", _("ended")),
            ("future", _("not yet in force")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.filter(
                Q(valid_from__isnull=True) | Q(valid_from__lte=today),
                Q(valid_to__isnull=True) | Q(valid_to__gte=today),
            )
        if self.value() == "ended":
            return queryset.filter(valid_to__lt=today)
        if self.value() == "future":
            return queryset.filter(valid_from__gt=today)
        return queryset


class UnitAdminForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "calendar_name",
            "valid_from",
            "valid_to",
            "predecessors",
            "is_historical",
        ]

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is not None:
            parent = cleaned.get("parent")
            seen = {instance.pk}
            while parent is not None:
                if parent.pk in seen:
                    self.add_error("parent", _("A unit cannot be its own parent or ancestor."))
                    break
                seen.add(parent.pk)
                parent = parent.parent
            predecessors = cleaned.get("predecessors") or []
            if any(p.pk == instance.pk for p in predecessors):
                self.add_error("predecessors", _("A unit cannot be its own predecessor."))
        return cleaned


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    form = UnitAdminForm
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to", "is_historical"]
    list_filter = [ValidityFilter, "kind", "is_historical", "calendar_name"]
    list_select_related = ["parent"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["predecessors"]
    readonly_fields = ["successors_list", "successor_root_display"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "short_name", "kind", "parent", "calendar_name"]}),
        (
            _("Validity and reorganisation"),
            {
                "fields": [
                    "valid_from",
                    "valid_to",
                    "predecessors",
                    "successors_list",
                    "successor_root_display",
                    "is_historical",
                ]
            },
        ),
    ]

    @admin.display(description=_("successors"))
    def successors_list(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        rows = obj.successors.order_by("code")
        return format_html_join(", ", "{} ({})", ((u.name, u.code) for u in rows)) or "–"

    @admin.display(description=_("rolled up into"))
    def successor_root_display(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        root = obj.successor_root()
        return "–" if root.pk == obj.pk else f"{root.name} ({root.code})"


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit"]
    list_select_related = ["user", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__code"]
    autocomplete_fields = ["user", "unit"]
