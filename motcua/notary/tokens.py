"""Per-organisation API keys for the notary organisations' own software (issue 16).

A key is "nc_" + 40 random URL-safe characters, shown once when created; only its SHA-256 is
stored. Sent as `Authorization: Bearer <key>`; a revoked key stops working at once."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from motcua.audit.services import audit_record

from .models import ApiToken


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def token_create(*, actor, office, name: str) -> tuple[ApiToken, str]:
    """A new key for `office`: (the row, the key in clear — shown once, never stored)."""
    key = "nc_" + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        office=office,
        name=name.strip() or "api",
        prefix=key[:10],
        key_sha256=hash_key(key),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit_record(actor=actor, action="notary.token_create", obj=token, note=f"{office.code} {name}")
    return token, key


def token_for_key(key: str) -> ApiToken | None:
    """The active token of a presented key (and note its use), or None."""
    if not key or not key.startswith("nc_"):
        return None
    token = (
        ApiToken.objects.select_related("office")
        .filter(key_sha256=hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
