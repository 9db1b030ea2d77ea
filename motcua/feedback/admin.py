"""Admin: ratings are read-only for everyone (staff cannot edit ratings); PAKN settings."""

from django.contrib import admin

from motcua.audit.admin_mixins import AuditedAdmin, ReadOnlyAdmin

from .models import Feedback, FeedbackSettings, Rating


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    """Citizens' ratings: nobody on the staff side may add, edit or delete one (DOMAIN §8)."""

    list_display = ("dossier", "overall_service", "overall_result", "satisfied", "created_at")
    list_filter = ("satisfied",)


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    """PAKN are handled on the staff pages (audited); nothing is deleted."""

    list_display = ("code", "unit", "kind", "status", "received_at", "due_at", "answered_at")
    list_filter = ("status", "kind", "unit")


@admin.register(FeedbackSettings)
class FeedbackSettingsAdmin(AuditedAdmin):
    list_display = (
        "reject_working_days",
        "info_working_days",
        "answer_working_days",
        "publish_working_days",
    )
