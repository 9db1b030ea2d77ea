"""Admin screens for the procedure catalogue: fields, procedures with documents and steps, exchange."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.admin_mixins import AuditedAdmin
from motcua.audit.services import audit_record
from motcua.orgs.models import Unit
from motcua.orgs.selectors import unit_ids_for

from . import exchange
from .deadlines import budget_limit_hours
from .models import Field, Procedure, ProcedureStep, RequiredDocument

MAX_IMPORT_BYTES = 10 * 1024 * 1024


@admin.register(Field)
class FieldAdmin(AuditedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ["order", "name", "form", "count", "mandatory", "condition"]


class ProcedureStepInline(admin.TabularInline):
    model = ProcedureStep
    extra = 0
    fields = ["order", "name", "role", "budget_hours"]


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=_("Catalogue file (JSON or Excel .xlsx)"),
        help_text=_("The layout produced by the export; see docs/catalogue.md."),
    )
    dry_run = forms.BooleanField(label=_("Only check the file, change nothing"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


def steps_budget_warning(procedure: Procedure) -> str | None:
    """A message when the internal steps use more working hours than the procedure's time limit."""
    limit = budget_limit_hours(procedure)
    if limit is None:
        return None
    total = sum((s.budget_hours for s in procedure.steps.all()), Decimal(0))
    if total <= limit:
        return None
    return str(
        _(
            "The internal steps use %(total)s working hours in total, more than the "
            "procedure's time limit of %(limit)s working hours."
        )
        % {"total": total.normalize(), "limit": limit.normalize()}
    )


@admin.register(Procedure)
class ProcedureAdmin(AuditedAdmin):
    list_display = [
        "code",
        "name",
        "unit",
        "field",
        "time_value",
        "time_unit",
        "online_level",
        "active",
        "is_demo",
    ]
    list_filter = ["unit", "field", "time_unit", "online_level", "active", "is_demo"]
    list_select_related = ["unit", "field"]
    search_fields = ["code", "name", "legal_basis"]
    autocomplete_fields = ["field"]
    inlines = [RequiredDocumentInline, ProcedureStepInline]
    actions = ["export_json", "export_xlsx"]
    change_list_template = "procedures/admin_change_list.html"
    fieldsets = [
        (None, {"fields": ["code", "name", "field", "unit", "legal_basis"]}),
        (
            _("Processing time"),
            {"fields": ["time_value", "time_unit", "same_day_cutoff", "calendar_name"]},
        ),
        (_("Fees"), {"fields": ["fee", "fee_note", "payable_online"]}),
        (
            _("Online service and supplements"),
            {
                "fields": [
                    "online_level",
                    "supplement_mode",
                    "result_is_document",
                    "two_signatures",
                ]
            },
        ),
        (_("Status"), {"fields": ["active", "is_demo", "is_historical"]}),
    ]

    # Non-superusers (e.g. a unit's catalogue officer with model permissions) manage only the
    # procedures of their own units; others' procedures behave as if they did not exist.
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(unit_id__in=unit_ids_for(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit" and not request.user.is_superuser:
            kwargs["queryset"] = Unit.objects.filter(pk__in=unit_ids_for(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        warning = steps_budget_warning(form.instance)
        if warning:
            messages.warning(request, warning)

    # --- export actions ---------------------------------------------------------------------
    def _export(self, request, queryset, fmt: str) -> HttpResponse:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if fmt == "xlsx":
            body = exchange.export_catalogue_xlsx(queryset)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            body = exchange.export_catalogue_json(queryset)
            content_type = "application/json; charset=utf-8"
        audit_record(
            actor=request.user,
            action="procedure.export",
            object_type="procedures.procedure",
            data={"format": fmt, "count": queryset.count()},
        )
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="danh-muc-thu-tuc-{stamp}.{fmt}"'
        return response

    @admin.action(description=_("Export JSON"), permissions=["view"])
    def export_json(self, request, queryset):
        return self._export(request, queryset, "json")

    @admin.action(description=_("Export Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return self._export(request, queryset, "xlsx")

    # --- import page ------------------------------------------------------------------------
    def get_urls(self):
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="procedures_procedure_import",
            )
        ]
        return extra + super().get_urls()

    @staticmethod
    def _allowed_unit_codes(request) -> set[str] | None:
        if request.user.is_superuser:
            return None
        ids = unit_ids_for(request.user)
        return set(Unit.objects.filter(pk__in=ids).values_list("code", flat=True))

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        errors: list[exchange.RowError] = []
        if request.method == "POST":
            form = CatalogueImportForm(request.POST, request.FILES)
            if form.is_valid():
                content = form.cleaned_data["file"].read()
                dry_run = form.cleaned_data["dry_run"]
                try:
                    result = exchange.import_catalogue(
                        content,
                        actor=request.user,
                        dry_run=dry_run,
                        unit_codes=self._allowed_unit_codes(request),
                    )
                except exchange.CatalogueImportError as exc:
                    errors = exc.errors
                else:
                    text = _("%(created)s procedures created, %(updated)s updated.") % {
                        "created": len(result.created),
                        "updated": len(result.updated),
                    }
                    if dry_run:
                        text = _("The file is valid (nothing was changed): %(result)s") % {
                            "result": text
                        }
                    messages.success(request, text)
                    return HttpResponseRedirect(reverse("admin:procedures_procedure_changelist"))
        else:
            form = CatalogueImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import the procedure catalogue"),
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "procedures/admin_import.html", context)
