"""Signal handlers: start the session policy at sign-in; end sessions when privileges change."""

from __future__ import annotations

from allauth.mfa.signals import authenticator_removed
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from motcua.orgs.models import Membership

from . import sessions
from .models import UserSession

User = get_user_model()
_PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "is_active", "password")


@receiver(user_logged_in, dispatch_uid="motcua.accounts.logged_in")
def _logged_in(sender, request, user, **kwargs):
    if request is not None:
        sessions.start(request, user)


@receiver(user_logged_out, dispatch_uid="motcua.accounts.logged_out")
def _logged_out(sender, request, user, **kwargs):
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


@receiver(authenticator_removed, dispatch_uid="motcua.accounts.mfa_removed")
def _factor_removed(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(sessions.MFA_OK, None)


# A change of privileges ends the user's sessions: the next request signs in again and gets a
# new session with the new rights (issue 13: sessions rotated on privilege change).
@receiver(post_save, sender=Membership, dispatch_uid="motcua.accounts.membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="motcua.accounts.membership_deleted")
def _membership_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    if instance.user_id:
        sessions.end_all(instance.user_id)


@receiver(pre_save, sender=User, dispatch_uid="motcua.accounts.user_privileges")
def _user_privileges(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(_PRIVILEGE_FIELDS[:3]):
        return
    old = User._default_manager.filter(pk=instance.pk).values(*_PRIVILEGE_FIELDS[:3]).first()
    if old and any(old[name] != getattr(instance, name) for name in _PRIVILEGE_FIELDS[:3]):
        sessions.end_all(instance.pk)
