from django.contrib import admin

from .models import Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["reference", "dossier", "provider", "amount", "status", "paid_at"]
    list_filter = ["provider", "status"]
    search_fields = ["reference", "dossier__code"]
    readonly_fields = [f.name for f in Payment._meta.fields]

    def has_add_permission(self, request):
        return False
