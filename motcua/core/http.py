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


def safe_next(request, default: str, name: str = "next") -> str:
    """The ``?next=`` (or POSTed ``next``) target if it stays on this site, else ``default``.

    Every redirect to a user-supplied address goes through Django's
    ``url_has_allowed_host_and_scheme`` (issue 13, gap 6: no open redirect).
    """
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get(name) or request.GET.get(name) or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
