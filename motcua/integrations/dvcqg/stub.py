"""A local stand-in of the national portal (DVCQG) for integrators and tests.

`motcua dvcqg-stub --bind HOST:PORT --data DIR [--fail-rate R]` serves what motcua uses:

- `POST /dossiers` — a message `{"MessageId", "Sequence", "Reason", "HoSo"}`; every accepted
  delivery is appended to DIR/messages.jsonl (fsync'd) before the answer; duplicates are accepted
  and counted, and never move a dossier back (the latest state is the highest `Sequence`);
- `GET /ratings?since=T`, `GET /feedback?since=T` — likes/dislikes and PAKN about dossiers;

and, for tests and demonstrations (never failed on purpose):

- `GET /_stub/dossiers` — `[{"code", "status", "received_at", "due_at", "finished_at",
  "messages"}]`, the latest state per dossier code, `messages` = deliveries accepted for it;
- `GET /_stub/dossiers/<code>` — the latest payload of one dossier;
- `GET /_stub/messages` — `[{"id", "code", "sequence", "deliveries"}]` in order of first arrival;
- `POST /_stub/ratings`, `POST /_stub/feedback` — add items (an object or a list) for the pull.

With `--delay S` every message is answered S seconds after it is stored (a slow portal).
With `--fail-rate R` a share R of the portal requests fails at random: HTTP 503, a connection
dropped before the message is stored, or — the case idempotency exists for — dropped after it
is stored. Only the standard library: no Django, so it runs anywhere motcua is installed.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import secrets
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

VIETNAM = timezone(timedelta(hours=7))
MAX_BODY = 5 * 1024 * 1024


def _parse_time(value: str) -> datetime | None:
    """`yyyyMMddHHmmss` (Vietnam time) or ISO 8601; None when empty or unreadable."""
    if not value:
        return None
    try:
        if len(value) == 14 and value.isdigit():
            return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=VIETNAM)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VIETNAM)


def _iso(value: Any) -> str | None:
    parsed = _parse_time(str(value or ""))
    return parsed.astimezone(VIETNAM).isoformat() if parsed else None


class StubStore:
    """What the stub holds, rebuilt from its files at start, appended to on every change."""

    def __init__(self, data_dir: Path):
        self.dir = Path(data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()
        self.latest: dict[str, dict[str, Any]] = {}  # code → {"sequence", "payload"}
        self.deliveries: dict[str, int] = {}  # code → deliveries accepted
        self.by_id: dict[str, dict[str, Any]] = {}  # message id → {code, sequence, deliveries}
        self.items: dict[str, list[dict[str, Any]]] = {"ratings": [], "feedback": []}
        for line in self._lines("messages"):
            self._apply(line)
        for kind in self.items:
            self.items[kind] = list(self._lines(kind))

    def _lines(self, name: str) -> Iterator[dict[str, Any]]:
        path = self.dir / f"{name}.jsonl"
        if not path.exists():
            return
        with path.open(encoding="utf-8") as handle:
            for raw in handle:
                raw = raw.strip()
                if raw:
                    try:
                        yield json.loads(raw)
                    except json.JSONDecodeError:
                        continue  # a line cut by a crash mid-write: it was never acknowledged

    def _append(self, name: str, record: dict[str, Any]) -> None:
        with (self.dir / f"{name}.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def _apply(self, record: dict[str, Any]) -> None:
        code = str(record["code"])
        sequence = int(record["sequence"])
        self.deliveries[code] = self.deliveries.get(code, 0) + 1
        entry = self.by_id.setdefault(
            record["id"], {"id": record["id"], "code": code, "sequence": sequence, "deliveries": 0}
        )
        entry["deliveries"] += 1
        current = self.latest.get(code)
        if current is None or sequence > current["sequence"]:
            self.latest[code] = {"sequence": sequence, "payload": record["payload"]}

    def accept(self, message_id: str, sequence: int, payload: dict[str, Any]) -> bool:
        """Store one delivery; True when the message id was seen before (a duplicate)."""
        record = {
            "id": message_id,
            "code": str(payload.get("MaHoSo", "")),
            "sequence": sequence,
            "at": datetime.now(VIETNAM).isoformat(),
            "payload": payload,
        }
        with self.lock:
            duplicate = message_id in self.by_id
            self._append("messages", record)
            self._apply(record)
        return duplicate

    def dossiers(self) -> list[dict[str, Any]]:
        with self.lock:
            return [
                {
                    "code": code,
                    "status": entry["payload"].get("TrangThaiHoSo"),
                    "received_at": _iso(entry["payload"].get("NgayTiepNhan")),
                    "due_at": _iso(entry["payload"].get("NgayHenTra")),
                    "finished_at": _iso(entry["payload"].get("NgayKetThucXuLy")),
                    "messages": self.deliveries.get(code, 0),
                }
                for code, entry in sorted(self.latest.items())
            ]

    def dossier(self, code: str) -> dict[str, Any] | None:
        with self.lock:
            entry = self.latest.get(code)
            return None if entry is None else dict(entry["payload"])

    def messages(self) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(entry) for entry in self.by_id.values()]

    def add(self, kind: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        added = []
        with self.lock:
            for item in items:
                record = {
                    "Id": str(item.get("Id") or uuid.uuid4()),
                    "MaHoSo": str(item.get("MaHoSo", "")),
                    "ThoiGian": str(item.get("ThoiGian") or datetime.now(VIETNAM).isoformat()),
                    **{k: v for k, v in item.items() if k not in {"Id", "MaHoSo", "ThoiGian"}},
                }
                self._append(kind, record)
                self.items[kind].append(record)
                added.append(record)
        return added

    def listing(self, kind: str, since: str) -> list[dict[str, Any]]:
        floor = _parse_time(since)
        with self.lock:
            items = list(self.items[kind])
        if floor is None:
            return items
        return [i for i in items if (_parse_time(i.get("ThoiGian", "")) or floor) >= floor]


class StubServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        store: StubStore,
        *,
        fail_rate: float = 0.0,
        credentials: tuple[str, str] | None = None,
        quiet: bool = True,
        delay: float = 0.0,
    ):
        super().__init__(address, StubHandler)
        self.store = store
        self.fail_rate = fail_rate
        # Seconds to wait after storing a message before answering: a slow portal.
        self.delay = delay
        self.credentials = credentials
        self.quiet = quiet
        self.random = secrets.SystemRandom()


class StubHandler(BaseHTTPRequestHandler):
    server: StubServer
    server_version = "motcua-dvcqg-stub/1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        if not self.server.quiet:
            super().log_message(format, *args)

    # --- helpers ------------------------------------------------------------------------------
    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        try:
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (timeout, killed): nothing to do

    def _drop(self) -> None:
        """Close the connection without an answer (the client sees a reset)."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0 or length > MAX_BODY:
            raise ValueError("missing or too large body")
        return json.loads(self.rfile.read(length).decode("utf-8"))

    def _authorised(self) -> bool:
        if self.server.credentials is None:
            return True
        expected = "Basic " + base64.b64encode(":".join(self.server.credentials).encode()).decode()
        return hmac.compare_digest(self.headers.get("Authorization", ""), expected)

    def _failure(self) -> str | None:
        """None, or how this portal request fails: "503", "drop" or "drop-after"."""
        rate = self.server.fail_rate
        if rate <= 0 or self.server.random.random() >= rate:
            return None
        return self.server.random.choice(("503", "drop", "drop-after"))

    # --- routes -------------------------------------------------------------------------------
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path = parts.path.rstrip("/")
        store = self.server.store
        if path == "/_stub/dossiers":
            return self._send(200, store.dossiers())
        if path.startswith("/_stub/dossiers/"):
            payload = store.dossier(unquote(path.removeprefix("/_stub/dossiers/")))
            return self._send(200, payload) if payload else self._send(404, {"error": "unknown"})
        if path == "/_stub/messages":
            return self._send(200, store.messages())
        if path in ("/ratings", "/feedback"):
            if not self._authorised():
                return self._send(401, {"error": "unauthorised"})
            failure = self._failure()
            if failure == "503":
                return self._send(503, {"error": "unavailable (stub --fail-rate)"})
            if failure:
                return self._drop()
            since = parse_qs(parts.query).get("since", [""])[0]
            return self._send(200, store.listing(path.lstrip("/"), since))
        return self._send(404, {"error": "not found"})

    def do_POST(self) -> None:
        path = urlsplit(self.path).path.rstrip("/")
        store = self.server.store
        if path in ("/_stub/ratings", "/_stub/feedback"):
            try:
                body = self._body()
            except ValueError as error:
                return self._send(400, {"error": str(error)})
            items = body if isinstance(body, list) else [body]
            kind = path.removeprefix("/_stub/")
            return self._send(201, store.add(kind, [i for i in items if isinstance(i, dict)]))
        if path != "/dossiers":
            return self._send(404, {"error": "not found"})
        if not self._authorised():
            return self._send(401, {"error": "unauthorised"})
        try:
            body = self._body()
            message_id = str(body["MessageId"])
            sequence = int(body["Sequence"])
            payload = body["HoSo"]
            if not isinstance(payload, dict) or not payload.get("MaHoSo"):
                raise ValueError("HoSo.MaHoSo is required")
            if self.headers.get("Idempotency-Key", message_id) != message_id:
                raise ValueError("Idempotency-Key differs from MessageId")
        except (ValueError, KeyError, TypeError) as error:
            return self._send(400, {"error": f"bad message: {error}"})
        failure = self._failure()
        if failure == "503":
            return self._send(503, {"error": "unavailable (stub --fail-rate)"})
        if failure == "drop":
            return self._drop()
        duplicate = store.accept(message_id, sequence, payload)
        if self.server.delay > 0:
            time.sleep(self.server.delay)
        if failure == "drop-after":
            return self._drop()
        return self._send(200, {"accepted": True, "duplicate": duplicate})


def make_server(
    host: str,
    port: int,
    data_dir: Path | str,
    *,
    fail_rate: float = 0.0,
    credentials: tuple[str, str] | None = None,
    quiet: bool = True,
    delay: float = 0.0,
) -> StubServer:
    """A stub bound to HOST:PORT (port 0 = any free port); call `serve_forever()` on it."""
    return StubServer(
        (host, port),
        StubStore(Path(data_dir)),
        fail_rate=fail_rate,
        credentials=credentials,
        quiet=quiet,
        delay=delay,
    )
