"""Admin: the authority-type table is editable (audited); registry rows are read-only, never deleted."""

from django.contrib import admin

from motcua.audit.admin_mixins import AuditedAdmin

from .models import AuthorityType, BlockingRequest, SearchLog, SenderUnit


@admin.register(AuthorityType)
class AuthorityTypeAdmin(AuditedAdmin):
    list_display = ("name", "code", "competent", "order")
    list_editable = ("order",)

    def has_delete_permission(self, request, obj=None):
        return False  # types are referenced by requests forever


class ReadOnlyAdmin(admin.ModelAdmin):
    """Writes go through the services (four-eyes, audit); the admin only looks."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BlockingRequest)
class BlockingRequestAdmin(ReadOnlyAdmin):
    list_display = (
        "request_no",
        "kind",
        "authority_name",
        "document_number",
        "status",
        "received_at",
    )
    list_filter = ("status", "kind", "authority_type")
    search_fields = ("request_no", "document_number")


@admin.register(SearchLog)
class SearchLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "who", "office", "query", "result_count")
    date_hierarchy = "at"


@admin.register(SenderUnit)
class SenderUnitAdmin(AuditedAdmin):
    """Issue 16: which authorities (units) send blocking information on the site, to which registry."""

    list_display = ("unit", "authority_type", "registry", "active")

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: submissions point to it
