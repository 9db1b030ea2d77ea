"""Security headers on every response (issue 13 gap 9): CSP, Permissions-Policy, frame-ancestors.

The policy is strict: scripts only from our own origin (motcua has no inline script and no inline
event handler; the few behaviours live in static/motcua/site.js), styles from our own origin plus
`<style nonce="{{ request.csp_nonce }}">` blocks (print layouts, dashboards), images from our origin
and `data:` URIs, nothing framed and no plugin. No third-party origin is allowed at all: privacy
law forbids third-party scripts by default (ARCHITECTURE.md). HSTS, Referrer-Policy (same-origin),
nosniff and the cookie flags stay with Django's SecurityMiddleware and settings.
"""

from __future__ import annotations

import secrets

from django.conf import settings

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


def content_security_policy(nonce: str) -> str:
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        f"style-src 'self' 'nonce-{nonce}'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ]
    if getattr(settings, "HTTPS", False):
        directives.append("upgrade-insecure-requests")
    return "; ".join(directives)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", content_security_policy(request.csp_nonce)
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
