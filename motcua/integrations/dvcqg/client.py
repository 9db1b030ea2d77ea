"""The HTTP side of the national portal: deliver one message, fetch ratings and feedback.

Standard library only (urllib). The portal's contract as motcua uses it (docs/integration-dvcqg.md):

- `POST {base}/dossiers` with `{"MessageId", "Sequence", "Reason", "HoSo": payload}` and the header
  `Idempotency-Key: <MessageId>`; any 2xx means accepted (a duplicate is accepted too);
- `GET {base}/ratings?since=…` and `GET {base}/feedback?since=…` → JSON lists.

Client credentials travel as HTTP Basic authentication (MOTCUA_DVCQG_CLIENT_ID / _SECRET).
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings


class PortalError(Exception):
    """A delivery or fetch that failed; the message says why (kept as the outbox's last error)."""


def _base() -> str:
    base = str(settings.MOTCUA_DVCQG_URL)
    if urlsplit(base).scheme not in ("http", "https"):
        raise PortalError(f"MOTCUA_DVCQG_URL must be an http(s) URL, not {base!r}")
    return base


def _headers() -> dict[str, str]:
    headers = {"Accept": "application/json", "User-Agent": "motcua-dvcqg-sync"}
    client_id = settings.MOTCUA_DVCQG_CLIENT_ID
    if client_id:
        token = f"{client_id}:{settings.MOTCUA_DVCQG_CLIENT_SECRET}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")
    return headers


def _call(request: urllib.request.Request) -> bytes:
    try:
        # The URL's scheme is checked in _base (http or https only).
        with urllib.request.urlopen(  # nosec B310
            request, timeout=settings.MOTCUA_DVCQG_TIMEOUT
        ) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        detail = error.read(200).decode("utf-8", "replace").strip()
        raise PortalError(f"HTTP {error.code} {error.reason}: {detail}".strip(": ")) from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise PortalError(f"{type(error).__name__}: {reason}") from None


def deliver(*, message_id: str, sequence: int, reason: str, payload: dict[str, Any]) -> None:
    """Send one message; return on a 2xx answer, raise PortalError otherwise."""
    body = json.dumps(
        {"MessageId": message_id, "Sequence": sequence, "Reason": reason, "HoSo": payload},
        ensure_ascii=False,
    ).encode("utf-8")
    headers = _headers() | {
        "Content-Type": "application/json; charset=utf-8",
        "Idempotency-Key": message_id,
    }
    request = urllib.request.Request(
        f"{_base()}/dossiers", data=body, headers=headers, method="POST"
    )
    _call(request)


def fetch(kind: str, *, since: str = "") -> list[dict[str, Any]]:
    """The portal's ratings (`kind="ratings"`) or feedback (`"feedback"`) since a time."""
    query = f"?{urlencode({'since': since})}" if since else ""
    request = urllib.request.Request(f"{_base()}/{kind}{query}", headers=_headers())
    raw = _call(request)
    try:
        items = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PortalError(f"{kind}: not JSON ({error})") from None
    if not isinstance(items, list):
        raise PortalError(f"{kind}: expected a JSON list")
    return [item for item in items if isinstance(item, dict)]
