"""Admin: payment records are read-only (issue 13 gap 12: money records are never edited by hand)."""

from django.contrib import admin

from motcua.audit.admin_mixins import ReadOnlyAdmin

from .models import Payment


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "dossier", "provider", "amount", "status", "paid_at"]
    list_filter = ["provider", "status"]
    search_fields = ["reference", "dossier__code"]
    readonly_fields = [f.name for f in Payment._meta.fields]
