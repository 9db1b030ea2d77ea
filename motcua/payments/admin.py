"""Admin: payment records are read-only (issue 13 gap 12: money records are never edited by hand)."""

from django.contrib import admin

from motcua.audit.admin_mixins import ReadOnlyAdmin

from .models import GatewayMessage, Payment


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "dossier", "provider", "amount", "status", "paid_at"]
    list_filter = ["provider", "status"]
    search_fields = ["reference", "dossier__code"]
    readonly_fields = [f.name for f in Payment._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(GatewayMessage)
class GatewayMessageAdmin(admin.ModelAdmin):
    """What the payment gateway said and what was done; `needs_refund` rows are for the cashier."""

    list_display = ["received_at", "kind", "reference", "status", "amount", "outcome"]
    list_filter = ["outcome", "kind", "provider"]
    search_fields = ["reference", "transaction_id"]
    readonly_fields = [f.name for f in GatewayMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
