"""Admin screens for users (with their unit memberships) and citizens' profiles (access is logged)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from motcua.audit.admin_mixins import AuditedAdmin, ReadOnlyAdmin
from motcua.audit.services import personal_data_access_record
from motcua.core.http import client_ip
from motcua.orgs.models import Membership

from .models import CitizenProfile
from .services import mfa_reset

User = get_user_model()


def _mask(value: str, keep: int = 4) -> str:
    """Only the last digits of an identifier appear in lists (Law 91/2025: data minimisation)."""
    if not value:
        return ""
    return "•" * max(len(value) - keep, 0) + value[-keep:]


class UserMembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    """Django's user admin, audited, with the user's roles in units."""

    inlines = [UserMembershipInline]
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset two-factor authentication (lost phone or key)"))
    def reset_second_factor(self, request, queryset):
        """An administrator removes a user's lost factors; audited, their sessions end."""
        if not request.user.is_superuser:
            self.message_user(request, _("Only a superuser can do this."), messages.ERROR)
            return
        total = 0
        for user in queryset:
            total += mfa_reset(actor=request.user, user=user, reason="admin action")
        self.message_user(
            request,
            _(
                "Two-factor authentication reset for %(users)d user(s); %(factors)d factor(s) removed."
            )
            % {"users": queryset.count(), "factors": total},
            messages.SUCCESS,
        )


# allauth's own admin for second factors would let anyone with the right delete a factor without
# an audit event, and shows the secrets: a read-only list instead, resets go through the action.
import allauth.mfa.admin  # noqa: E402, F401  -- registers theirs first (autodiscover order)

if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyAdmin):
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    fields = ["user", "type", "created_at", "last_used_at"]
    search_fields = ["user__username"]


@admin.register(CitizenProfile)
class CitizenProfileAdmin(AuditedAdmin):
    list_display = ["full_name", "user", "id_number_masked", "phone_masked"]
    list_select_related = ["user"]
    search_fields = ["full_name", "user__username", "id_number", "phone"]
    autocomplete_fields = ["user"]

    @admin.display(description=_("citizen ID number"))
    def id_number_masked(self, obj):
        return _mask(obj.id_number)

    @admin.display(description=_("phone"))
    def phone_masked(self, obj):
        return _mask(obj.phone, 3)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        profile = getattr(response, "context_data", {}) or {}
        original = profile.get("original") if hasattr(profile, "get") else None
        if request.method == "GET" and original is not None:
            # Every view of a citizen's personal data by staff is logged (Law 91/2025).
            personal_data_access_record(
                actor=request.user,
                subject=original,
                purpose="admin: view citizen profile",
                ip=client_ip(request),
            )
        return response
