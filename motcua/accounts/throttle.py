"""Login throttling for every password form: staff (/dang-nhap/, the admin), citizens (allauth).

Failures are counted in the shared cache (MOTCUA_CACHE_URL) on three keys:

- the client address (core.http.client_ip): after MOTCUA_LOGIN_FAILURES_PER_IP failures the
  address is refused for a window that doubles with each further failure, from
  MOTCUA_LOGIN_LOCK_SECONDS up to MOTCUA_LOGIN_LOCK_MAX_SECONDS. This is what stops a guesser.
- the account: after MOTCUA_LOGIN_FAILURES_PER_ACCOUNT failures (from any address) the account
  is slowed down for unknown browsers: a doubling window capped at ACCOUNT_LOCK_CAP seconds.
- a trusted browser: a browser where the user signed in before carries a signed "device cookie"
  (OWASP "device cookies"). Its attempts skip the address and account windows (so an attacker
  cannot lock the real user out of the browser they use) and are counted on their own.

A refused attempt does not check the password and is not counted again. A success clears the
account's and the browser's counters, never the address's (an attacker with an account of their
own must not reset their address by signing in). OWASP ASVS 2.2.1; issue 13, gaps 1 and 11.
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import ngettext

from motcua.core import ratelimit
from motcua.core.http import client_ip

logger = logging.getLogger(__name__)

DEVICE_COOKIE = "motcua_device"
DEVICE_SALT = "motcua.accounts.device"
DEVICE_MAX_AGE = 180 * 24 * 3600
ACCOUNT_LOCK_CAP = 15 * 60  # the account is only ever slowed down, never locked for long
COUNTER_TTL = 24 * 3600  # failures are forgotten after a day without one


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class _Key:
    kind: str
    value: str
    limit: int
    cap: int

    @property
    def count_key(self) -> str:
        return f"login:{self.kind}:n:{_hash(self.value)}"

    @property
    def lock_key(self) -> str:
        return f"login:{self.kind}:until:{_hash(self.value)}"

    def wait(self, now: float) -> int:
        """Seconds before this key may try again (0: now)."""
        until = cache.get(self.lock_key)
        return max(0, math.ceil(until - now)) if until else 0

    def fail(self, now: float) -> int:
        # Atomic (core.ratelimit): parallel guesses are all counted (issue 17).
        failures = ratelimit.hit(self.count_key, COUNTER_TTL, sliding=True)
        if failures >= self.limit:
            base = _setting("LOGIN_LOCK_SECONDS", 60)
            delay = min(base * 2 ** min(failures - self.limit, 20), self.cap)
            cache.set(self.lock_key, now + delay, timeout=delay)
        return failures

    def clear(self) -> None:
        ratelimit.reset(self.count_key)
        cache.delete(self.lock_key)


class LoginThrottled(Exception):
    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(seconds)

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.seconds / 60))
        return ngettext(
            "Too many failed login attempts. Try again in %(minutes)d minute.",
            "Too many failed login attempts. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}


def resolve_account(login: str) -> str:
    """One key per account whether the user typed their username or their email address."""
    login = (login or "").strip().lower()
    if not login:
        return ""
    user_model = get_user_model()
    pk = (
        user_model._default_manager.filter(Q(username__iexact=login) | Q(email__iexact=login))
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return f"user:{pk}" if pk is not None else f"name:{login}"


def _device_nonce(request, account: str) -> str | None:
    """The nonce of a valid device cookie issued to this account in this browser, else None."""
    raw = request.COOKIES.get(DEVICE_COOKIE, "")
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("a") != account:
        return None
    return str(value.get("n") or "") or None


class Attempt:
    """One login attempt: ``check()`` before the password, then ``failed()`` or ``succeeded()``."""

    def __init__(self, request, login: str) -> None:
        self.request = request
        self.account = resolve_account(login)
        self.address = client_ip(request) or "unknown"
        self.device = _device_nonce(request, self.account) if self.account else None

    def _keys(self) -> list[_Key]:
        max_lock = _setting("LOGIN_LOCK_MAX_SECONDS", 3600)
        if self.device:
            return [_Key("device", self.device, _setting("LOGIN_FAILURES_PER_IP", 5), max_lock)]
        keys = [_Key("ip", self.address, _setting("LOGIN_FAILURES_PER_IP", 5), max_lock)]
        if self.account:
            keys.append(
                _Key(
                    "account",
                    self.account,
                    _setting("LOGIN_FAILURES_PER_ACCOUNT", 10),
                    min(ACCOUNT_LOCK_CAP, max_lock),
                )
            )
        return keys

    def check(self) -> None:
        """Raise LoginThrottled if this address, account or browser must wait."""
        now = time.time()
        wait = max((key.wait(now) for key in self._keys()), default=0)
        if wait:
            logger.warning(
                "login refused (throttled %ss) from %s for %s", wait, self.address, self.account
            )
            raise LoginThrottled(wait)

    def failed(self) -> None:
        now = time.time()
        for key in self._keys():
            key.fail(now)

    def succeeded(self) -> None:
        """Clear the account's (and browser's) counters and mark this browser as trusted."""
        for key in self._keys():
            if key.kind != "ip":
                key.clear()
        if self.account.startswith("user:"):
            self.request._motcua_device_cookie = signing.dumps(
                {"a": self.account, "n": secrets.token_urlsafe(16)}, salt=DEVICE_SALT
            )


def set_device_cookie(request, response) -> None:
    """Called by the middleware: give the browser its device cookie after a good password."""
    value = getattr(request, "_motcua_device_cookie", None)
    if value:
        response.set_cookie(
            DEVICE_COOKIE,
            value,
            max_age=DEVICE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
