"""Admin: ratings are read-only for everyone (staff cannot edit ratings); PAKN settings."""

from django.contrib import admin

from .models import Feedback, FeedbackSettings, Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("dossier", "overall_service", "overall_result", "satisfied", "created_at")
    list_filter = ("satisfied",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("code", "unit", "kind", "status", "received_at", "due_at", "answered_at")
    list_filter = ("status", "kind", "unit")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FeedbackSettings)
class FeedbackSettingsAdmin(admin.ModelAdmin):
    list_display = ("answer_working_days",)
