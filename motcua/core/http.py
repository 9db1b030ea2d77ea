"""Facts about an HTTP request that depend on how the app is deployed."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind our trusted proxy (MOTCUA_BEHIND_PROXY with
    HTTPS) the address the proxy saw. None when unknown.

    Behind nginx REMOTE_ADDR is 127.0.0.1 for everybody, so rate limits and the audit trail
    (ASVS 7.1.3: who did it, from where) need the forwarded address.
    """
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The rightmost entry is the one our own proxy appended; the rest is client-supplied.
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None
