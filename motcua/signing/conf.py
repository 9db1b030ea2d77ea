"""The signing configuration of the settings (MOTCUA_TRUST_ROOTS, MOTCUA_TSA_URL, the agency key).

Kept in one place so the CLI, the services and the tests read it the same way; tests replace
`timestamper` to use an in-process timestamp authority.
"""

from __future__ import annotations

import os
from functools import lru_cache

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .keys import KeySource, Pkcs11Source, Pkcs12Source


def trust_root_paths() -> tuple[str, ...]:
    return tuple(getattr(settings, "MOTCUA_TRUST_ROOTS", ()) or ())


@lru_cache(maxsize=8)
def _roots(paths: tuple[str, ...], stamps: tuple[float, ...]) -> tuple[asn1_x509.Certificate, ...]:
    from .verify import load_trust_roots

    try:
        return tuple(load_trust_roots(paths))
    except ValueError as exc:
        raise ImproperlyConfigured(f"MOTCUA_TRUST_ROOTS: {exc}") from exc


def trust_roots() -> tuple[asn1_x509.Certificate, ...]:
    """The configured trust roots (reloaded when a file changes)."""
    paths = trust_root_paths()
    stamps = tuple(os.stat(p).st_mtime if os.path.exists(p) else 0.0 for p in paths)
    return _roots(paths, stamps)


def trust_key() -> str:
    """A short key of the trust configuration, for caching verification results."""
    return ",".join(c.sha256.hex()[:16] for c in trust_roots())


def timestamper():
    """An RFC 3161 client for MOTCUA_TSA_URL, or None when no authority is configured."""
    url = getattr(settings, "MOTCUA_TSA_URL", "")
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=getattr(settings, "MOTCUA_TSA_TIMEOUT", 10))


def agency_source() -> KeySource | None:
    """The agency's key (the seal that signs after the leader), or None when not configured."""
    path = getattr(settings, "MOTCUA_SIGN_AGENCY_PKCS12", "")
    if path:
        return Pkcs12Source(path)
    module = getattr(settings, "MOTCUA_SIGN_PKCS11_MODULE", "")
    token = getattr(settings, "MOTCUA_SIGN_AGENCY_TOKEN_LABEL", "")
    key = getattr(settings, "MOTCUA_SIGN_AGENCY_KEY_LABEL", "")
    if module and token and key:
        return Pkcs11Source(module=module, token_label=token, key_label=key)
    return None


def agency_secret() -> str:
    return getattr(settings, "MOTCUA_SIGN_AGENCY_SECRET", "")


def agency_name() -> str:
    return getattr(settings, "MOTCUA_SIGN_AGENCY_NAME", "")


def ltv() -> bool:
    return bool(getattr(settings, "MOTCUA_SIGN_LTV", True))
