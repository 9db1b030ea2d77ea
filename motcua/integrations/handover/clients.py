"""API clients and OAuth2 client-credentials tokens (RFC 6749 §4.4) for service-to-service calls.

Why client credentials rather than HMAC-signed requests: the provincial systems (LGSP, the one-stop
system) already speak OAuth2, a bearer token is easy to use from curl and any HTTP library, no
clock synchronisation or nonce store is needed, and a token is short-lived and revocable by
deactivating its client (docs/integration-handover.md).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.orgs.models import Unit

from .models import AccessToken, ApiClient, Scope

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser, User

#: Lifetime of an access token unless MOTCUA_API_TOKEN_SECONDS says otherwise.
DEFAULT_TOKEN_SECONDS = 900


class ClientError(Exception):
    """A refused client operation; nothing was changed."""


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def token_seconds() -> int:
    return int(getattr(settings, "MOTCUA_API_TOKEN_SECONDS", DEFAULT_TOKEN_SECONDS))


@dataclass(frozen=True)
class NewClient:
    client: ApiClient
    secret: str  # shown once, never stored


def _service_user(client_id: str) -> User:
    """A service account with no usable password and no role: it only names the client."""
    user_model = get_user_model()
    user = user_model(username=f"api-{client_id}", is_active=False)
    user.set_unusable_password()
    user.save()
    return user


def clean_scopes(scopes: list[str] | str) -> str:
    values = scopes.split() if isinstance(scopes, str) else list(scopes)
    unknown = sorted(set(values) - set(Scope.values))
    if unknown or not values:
        raise ClientError(
            _("Unknown scope: %(scopes)s (known: %(known)s).")
            % {"scopes": ", ".join(unknown) or "-", "known": ", ".join(Scope.values)}
        )
    return " ".join(sorted(set(values)))


@transaction.atomic
def apiclient_create(
    *, actor: AnyUser | None, name: str, unit: Unit, scopes: list[str] | str
) -> NewClient:
    """Create an API client of `unit`; the returned secret is shown once and stored hashed."""
    name = name.strip()
    if not name:
        raise ClientError(_("The client needs a name."))
    scope_text = clean_scopes(scopes)
    client_id = f"mc_{secrets.token_hex(10)}"
    secret = secrets.token_urlsafe(32)
    client = ApiClient.objects.create(
        name=name[:200],
        unit=unit,
        client_id=client_id,
        secret_hash=_digest(secret),
        scopes=scope_text,
        user=_service_user(client_id),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit_record(
        actor=actor,
        action="apiclient.create",
        obj=client,
        note=str(client),
        data={"unit": unit.code, "scopes": scope_text},
    )
    return NewClient(client, secret)


@transaction.atomic
def apiclient_rotate_secret(*, actor: AnyUser | None, client: ApiClient) -> str:
    """A new secret (the old one stops working) and every token of the client revoked."""
    secret = secrets.token_urlsafe(32)
    ApiClient.objects.filter(pk=client.pk).update(secret_hash=_digest(secret))
    client.tokens.all().delete()
    audit_record(actor=actor, action="apiclient.rotate_secret", obj=client, note=str(client))
    return secret


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_in: int
    scopes: str


def _check_secret(client: ApiClient, secret: str) -> bool:
    return hmac.compare_digest(client.secret_hash, _digest(secret))


def token_issue(
    *, client_id: str, client_secret: str, scope: str = "", ip: str | None = None
) -> IssuedToken:
    """Client-credentials grant: a bearer token for an active client whose secret matches.

    Raises ClientError("invalid_client") or ClientError("invalid_scope"); every attempt is audited
    (refusals too: they are written outside the transaction that a refusal would roll back).
    """
    client = ApiClient.objects.filter(client_id=client_id).first()
    # Compare against a dummy digest when the client is unknown, so timing does not tell.
    ok = _check_secret(client, client_secret) if client else hmac.compare_digest("0" * 64, "1" * 64)
    if client is None or not ok or not client.active:
        audit_record(
            actor=client.user if client else None,
            action="apiclient.token_refused",
            object_type="handover.apiclient",
            object_id=client.pk if client else "",
            data={"client_id": client_id[:40]},
            ip=ip,
        )
        raise ClientError("invalid_client")
    wanted = set(scope.split()) if scope.strip() else set(client.scope_set)
    if not wanted <= client.scope_set:
        audit_record(
            actor=client.user,
            action="apiclient.token_refused",
            obj=client,
            data={"scope": scope[:200]},
            ip=ip,
        )
        raise ClientError("invalid_scope")
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    seconds = token_seconds()
    scopes = " ".join(sorted(wanted))
    with transaction.atomic():
        AccessToken.objects.filter(client=client, expires_at__lte=now).delete()
        AccessToken.objects.create(
            client=client,
            token_hash=_digest(token),
            scopes=scopes,
            expires_at=now + timedelta(seconds=seconds),
        )
        audit_record(
            actor=client.user, action="apiclient.token", obj=client, data={"scopes": scopes}, ip=ip
        )
    return IssuedToken(token, seconds, scopes)


@dataclass(frozen=True)
class Caller:
    """The authenticated client of a request and the scopes of its token."""

    client: ApiClient
    scopes: frozenset[str]


def token_authenticate(token: str) -> Caller | None:
    """The client behind a valid, unexpired bearer token of an active client, else None."""
    if not token or len(token) > 200:
        return None
    row = (
        AccessToken.objects.select_related("client__unit", "client__user")
        .filter(token_hash=_digest(token), expires_at__gt=timezone.now(), client__active=True)
        .first()
    )
    if row is None:
        return None
    return Caller(row.client, frozenset(row.scopes.split()))
