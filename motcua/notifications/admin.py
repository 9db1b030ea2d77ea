"""Admin: administrators edit the message templates and read the delivery log (read-only)."""

from django.contrib import admin

from motcua.audit.admin_mixins import ReadOnlyAdmin

from .models import Delivery, MessageTemplate


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["key", "language", "subject", "active", "updated_at"]
    list_filter = ["key", "language", "active"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "channel", "key", "dossier_code", "status"]
    list_filter = ["channel", "status", "key"]
    search_fields = ["dossier_code"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
