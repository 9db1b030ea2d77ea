"""Messages exchanged with the gateway, signed with HMAC-SHA256 over canonical fields.

Canonical form: every field except `signature`, sorted by name, as `name=value` joined by `&`
(values as sent, UTF-8). The signature is the lowercase hex HMAC-SHA256 of that string with the
shared secret (MOTCUA_PAYGOV_SECRET). Checked in constant time (hmac.compare_digest).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from django.conf import settings

#: Statuses the gateway reports for a transaction.
PENDING, PAID, FAILED, CANCELLED, UNKNOWN = "pending", "paid", "failed", "cancelled", "unknown"


class GatewayError(Exception):
    """The gateway could not be asked, or answered something we cannot trust."""


@dataclass(frozen=True)
class GatewayConfig:
    url: str
    merchant: str
    secret: str
    timeout: int


def config() -> GatewayConfig | None:
    """The configured gateway, or None when any of URL, merchant and secret is missing."""
    url = getattr(settings, "MOTCUA_PAYGOV_URL", "")
    merchant = getattr(settings, "MOTCUA_PAYGOV_MERCHANT", "")
    secret = getattr(settings, "MOTCUA_PAYGOV_SECRET", "")
    if not (url and merchant and secret):
        return None
    return GatewayConfig(
        url.rstrip("/"), merchant, secret, int(getattr(settings, "MOTCUA_PAYGOV_TIMEOUT", 10))
    )


def canonical(fields: Mapping[str, object]) -> str:
    return "&".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "signature")


def sign(fields: Mapping[str, object], secret: str) -> str:
    return hmac.new(secret.encode(), canonical(fields).encode(), hashlib.sha256).hexdigest()


def signed(fields: Mapping[str, object], secret: str) -> dict[str, str]:
    """The fields as strings plus their signature."""
    out = {k: str(v) for k, v in fields.items() if k != "signature"}
    out["signature"] = sign(out, secret)
    return out


def verify(fields: Mapping[str, object], secret: str) -> bool:
    given = str(fields.get("signature", ""))
    return bool(given) and hmac.compare_digest(given.lower(), sign(fields, secret))


def now_stamp() -> str:
    return str(int(time.time()))


def checkout_url(
    cfg: GatewayConfig,
    *,
    reference: str,
    amount: int,
    description: str,
    return_url: str,
    notify_url: str,
) -> str:
    """Where the citizen's browser goes to pay (a signed GET)."""
    fields = signed(
        {
            "merchant": cfg.merchant,
            "reference": reference,
            "amount": amount,
            "currency": "VND",
            "description": description,
            "return_url": return_url,
            "notify_url": notify_url,
            "timestamp": now_stamp(),
        },
        cfg.secret,
    )
    return f"{cfg.url}/pay?{urlencode(fields)}"


def query(cfg: GatewayConfig, reference: str) -> dict[str, str]:
    """Ask the gateway for the status of a transaction; the answer's signature is checked."""
    fields = signed(
        {"merchant": cfg.merchant, "reference": reference, "timestamp": now_stamp()}, cfg.secret
    )
    target = f"{cfg.url}/api/query?{urlencode(fields)}"
    if urlsplit(target).scheme not in ("http", "https"):
        raise GatewayError("MOTCUA_PAYGOV_URL must be http(s)")
    try:
        with urlopen(Request(target), timeout=cfg.timeout) as response:  # nosec B310  # http(s) checked above
            body = json.loads(response.read(65536))
    except (OSError, ValueError) as exc:
        raise GatewayError(f"status query failed: {exc}") from exc
    if not isinstance(body, dict):
        raise GatewayError("status query: not a JSON object")
    answer = {k: str(v) for k, v in body.items()}
    if not verify(answer, cfg.secret):
        raise GatewayError("status query: bad signature")
    if answer.get("reference") != reference or answer.get("merchant") != cfg.merchant:
        raise GatewayError("status query: answer about another transaction")
    return answer
