"""Read-only admin screens for the audit trail."""

from django.contrib import admin

from motcua.audit.admin_mixins import ReadOnlyAdmin
from motcua.audit.models import AuditEvent, PersonalDataAccess


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id", "from_state", "to_state")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "note", "action")
    date_hierarchy = "at"


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "who", "subject_type", "subject_id", "purpose")
    list_filter = ("subject_type",)
    search_fields = ("subject_id", "purpose")
    date_hierarchy = "at"
