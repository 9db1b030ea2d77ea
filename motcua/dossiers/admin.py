"""Read-only admin screens for dossiers: state changes go through the services only."""

from django.contrib import admin

from motcua.audit.services import personal_data_access_record
from motcua.core.http import client_ip

from .models import (
    Attachment,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierStep,
    FormTemplate,
    RegisterBook,
    Transfer,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StepInline(ReadOnlyInline):
    model = DossierStep
    fields = ("order", "name", "role", "assignee", "started_at", "due_at", "finished_at")
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ("at", "actor", "action", "from_status", "to_status", "note", "public")
    readonly_fields = fields


class DocumentInline(ReadOnlyInline):
    model = DossierDocument
    fields = ("name", "form", "count")
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("original_name", "kind", "content_type", "size", "sha256", "uploaded_by")
    readonly_fields = fields


class TransferInline(ReadOnlyInline):
    model = Transfer
    fields = ("to_unit", "sent_at", "due_at", "returned_at", "note")
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Dossiers as they are; every opening of one is logged as a personal-data access."""

    list_display = ("code", "procedure", "unit", "status", "channel", "received_at", "due_at")
    list_filter = ("status", "channel", "unit", "is_historical")
    search_fields = ("code",)
    date_hierarchy = "received_at"
    list_select_related = ("procedure", "unit")
    inlines = [StepInline, DocumentInline, AttachmentInline, TransferInline, EventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Viewing only: Django shows the read-only form when change is refused but view allowed.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        dossier = self.get_object(request, object_id)
        if dossier is not None and self.has_view_permission(request, dossier):
            personal_data_access_record(
                actor=request.user,
                subject=dossier,
                purpose="xem hồ sơ (quản trị)",
                ip=client_ip(request),
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(FormTemplate)
class FormTemplateAdmin(admin.ModelAdmin):
    """Number, title and legal basis of each printed form per rule version (law is data)."""

    list_display = ("rule_version", "number", "kind", "title", "active")
    list_filter = ("rule_version", "kind", "active")


@admin.register(RegisterBook)
class RegisterBookAdmin(admin.ModelAdmin):
    """Register books per unit and year; the counter is written by the intake services only."""

    list_display = ("unit", "year", "number", "last")
    list_filter = ("year", "unit")
    readonly_fields = ("last",)
