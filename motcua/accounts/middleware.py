"""Per-request account security: session lifetimes, staff second factor, device cookie.

Placed after the messages middleware. For a signed-in user, without a database query on an
ordinary request (the flags live in the session, set at sign-in by accounts.sessions.start):

1. a staff session past its idle or absolute limit is ended (issue 13, gap 5);
2. with MOTCUA_STAFF_MFA=required, staff and administrators without a second factor reach only
   the pages that set one up, sign-out and static files (issue 13, gap 2);
3. after a good password the browser receives its device cookie (accounts.throttle).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import sessions
from .throttle import set_device_cookie

# Paths a staff member without a second factor may still open (prefixes).
MFA_SETUP_ALLOWED = (
    "/tai-khoan/2fa/",
    "/tai-khoan/reauthenticate/",
    "/tai-khoan/logout/",
    "/dang-xuat/",
    "/i18n/",
    "/jsi18n/",
)


def has_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])


def mfa_required(request) -> bool:
    """True when this signed-in staff member must set up a second factor before anything else."""
    if settings.STAFF_MFA != "required" or not request.session.get(sessions.STAFF):
        return False
    if request.session.get(sessions.MFA_OK):
        return False
    if has_second_factor(request.user):
        request.session[sessions.MFA_OK] = True
        return False
    return True


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._enforce(request)
        if response is None:
            response = self.get_response(request)
        set_device_cookie(request, response)
        return response

    def _enforce(self, request):
        if not request.user.is_authenticated:
            return None
        session = request.session
        if sessions.LOGIN_AT not in session:
            # Signed in before this policy existed: staff sign in again, citizens carry on.
            if sessions.is_privileged(request.user):
                return self._expired(request)
            now = time.time()
            session[sessions.LOGIN_AT] = session[sessions.SEEN_AT] = now
            session[sessions.STAFF] = False
        if sessions.expired(request):
            return self._expired(request)
        if request.path.startswith(MFA_SETUP_ALLOWED) or request.path.startswith(
            settings.STATIC_URL
        ):
            return None
        if mfa_required(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Set up two-factor authentication first.")}, status=403
                )
            messages.warning(
                request,
                _(
                    "Staff accounts must use two-factor authentication. Set up an authenticator "
                    "app or a security key to continue."
                ),
            )
            return HttpResponseRedirect(reverse("mfa_index"))
        return None

    def _expired(self, request):
        logout(request)
        if request.path.startswith("/api/"):
            return None  # carries on as anonymous: the API answers 401/403 itself
        messages.info(request, _("Your session has ended. Please sign in again."))
        if request.method == "GET":
            return HttpResponseRedirect(
                f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"
            )
        return HttpResponseRedirect(reverse("login"))
