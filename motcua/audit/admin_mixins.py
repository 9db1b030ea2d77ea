"""Admin base class shared by every app: each change made through the admin is an audit event."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from motcua.audit.services import audit_record


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable by those with the view permission; nobody adds, changes or deletes."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Every change through the admin is an audit event (who, what, which fields; inlines too)."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if not change and hasattr(obj, "created_by_id") and obj.created_by_id is None:
                obj.created_by = request.user
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action=f"{obj._meta.model_name}.{'change' if change else 'create'}",
                obj=obj,
                note=str(obj),
                data={"changed": form.changed_data},
            )

    def save_formset(self, request, form, formset, change):
        """Inline rows (added, changed, deleted) are recorded against the parent object."""
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            added = [str(o) for o in getattr(formset, "new_objects", [])]
            changed = [
                {"object": str(o), "fields": fields}
                for o, fields in getattr(formset, "changed_objects", [])
            ]
            deleted = [str(o) for o in getattr(formset, "deleted_objects", [])]
            if added or changed or deleted:
                parent = form.instance
                audit_record(
                    actor=request.user,
                    action=f"{parent._meta.model_name}.{formset.model._meta.model_name}.change",
                    obj=parent,
                    note=str(parent),
                    data={"added": added, "changed": changed, "deleted": deleted},
                )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(
                actor=request.user, action=f"{obj._meta.model_name}.delete", obj=obj, note=str(obj)
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit_record(
                    actor=request.user,
                    action=f"{obj._meta.model_name}.delete",
                    obj=obj,
                    note=str(obj),
                )
            super().delete_queryset(request, queryset)
