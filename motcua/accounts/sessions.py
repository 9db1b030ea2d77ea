"""Session policy: who is staff, lifetimes, and ending a user's sessions (issue 13, gap 5).

Staff and administrators: signed out after ``SESSION_IDLE_MINUTES`` without a request and
``SESSION_MAX_HOURS`` after signing in (a new sign-in is a new session: Django rotates the key).
Citizens keep the cookie lifetime ``SESSION_COOKIE_AGE`` (MOTCUA_CITIZEN_SESSION_DAYS).
"""

from __future__ import annotations

import time
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from motcua.core.http import client_ip

from .models import UserSession

LOGIN_AT = "motcua_login_at"
SEEN_AT = "motcua_seen_at"
STAFF = "motcua_staff"
MFA_OK = "motcua_mfa_ok"
SEEN_PRECISION = 60  # seconds: the last-seen time is written at most once a minute


def is_privileged(user) -> bool:
    """Staff of a unit, or a Django staff/superuser (the admin)."""
    from motcua.orgs.selectors import is_staff_member

    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or is_staff_member(user))


def start(request, user) -> None:
    """At sign-in: timestamps, the staff flag, and a row to end this session from elsewhere."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = time.time()
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    session[STAFF] = is_privileged(user)
    session.pop(MFA_OK, None)
    if session.session_key is None:
        session.save()
    UserSession.objects.filter(
        user=user,
        created_at__lt=timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE),
    ).delete()
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "ip": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
        },
    )


def expired(request, now: float | None = None) -> bool:
    """True when this signed-in session is over its idle or absolute limit (staff only)."""
    session = request.session
    now = time.time() if now is None else now
    if not session.get(STAFF):
        return False
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT)
    if login_at is None or seen_at is None:  # a session from before this policy
        return True
    if now - seen_at > settings.SESSION_IDLE_MINUTES * 60:
        return True
    if now - login_at > settings.SESSION_MAX_HOURS * 3600:
        return True
    if now - seen_at >= SEEN_PRECISION:
        session[SEEN_AT] = now
    return False


def end_all(user_id: int, *, keep: str | None = None) -> int:
    """End every signed-in session of the user (except ``keep``); the number ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = UserSession.objects.filter(user_id=user_id)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        store().delete(key)
    rows.delete()
    return len(keys)
