"""Admin: the outbox and what came back from the portal, read-only (re-send is on the sync page)."""

from django.contrib import admin

from motcua.audit.admin_mixins import ReadOnlyAdmin

from .models import OutboxMessage, PortalFeedback, PortalRating


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "sequence", "reason", "state", "attempts", "created_at", "sent_at")
    list_filter = ("state", "reason")
    search_fields = ("dossier__code", "message_id")
    list_select_related = ("dossier",)


@admin.register(PortalRating)
class PortalRatingAdmin(ReadOnlyAdmin):
    list_display = ("external_id", "dossier", "liked", "rated_at")
    list_filter = ("liked",)
    search_fields = ("dossier__code", "external_id")


@admin.register(PortalFeedback)
class PortalFeedbackAdmin(ReadOnlyAdmin):
    list_display = ("external_id", "dossier", "category", "received_at")
    search_fields = ("dossier__code", "external_id")
