"""A local stand-in of the public payment gateway: a real HTTP server for tests and demos.

    motcua paygov-stub --bind 127.0.0.1:8765      (merchant and secret from the settings)

- `GET /pay?<signed checkout fields>`: checks the signature and shows a page with "Pay" and
  "Cancel"; `POST /pay/confirm` settles the transaction, posts the signed notification (IPN) to
  `notify_url`, then sends the browser to `return_url` with the signed result;
- `GET /api/query?merchant&reference&timestamp&signature`: the signed status of a transaction;
- `GET /_stub/transactions`: what it holds, as JSON; `POST /_stub/notify/<reference>` re-sends
  the notification (a duplicate, or a late one).

Tests drive it in-process (`PaygovStub(...).start()`), and may switch notifications off
(`notify=False`) to leave a payment pending for reconciliation.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit
from urllib.request import Request, urlopen

from . import protocol


@dataclass
class Transaction:
    reference: str
    amount: str
    description: str
    return_url: str
    notify_url: str
    status: str = protocol.PENDING
    transaction_id: str = ""
    paid_at: str = ""
    notifications: int = 0
    last_notify_status: int | None = None


class PaygovStub:
    """The stand-in gateway; `start()` serves it on a thread, `stop()` shuts it down."""

    def __init__(
        self, *, merchant: str, secret: str, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.merchant = merchant
        self.secret = secret
        self.notify = True
        self.transactions: dict[str, Transaction] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, port), _handler_for(self))
        self.server.daemon_threads = True
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> PaygovStub:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- what the pages do, callable from tests too -------------------------------------------
    def result_fields(self, txn: Transaction) -> dict[str, str]:
        return protocol.signed(
            {
                "merchant": self.merchant,
                "reference": txn.reference,
                "transaction_id": txn.transaction_id,
                "amount": txn.amount,
                "status": txn.status,
                "paid_at": txn.paid_at,
                "timestamp": protocol.now_stamp(),
            },
            self.secret,
        )

    def settle(self, reference: str, decision: str) -> Transaction:
        with self.lock:
            txn = self.transactions[reference]
            if txn.status == protocol.PENDING:
                txn.transaction_id = "PG" + secrets.token_hex(6).upper()
                if decision == "pay":
                    txn.status = protocol.PAID
                    txn.paid_at = datetime.now(UTC).isoformat(timespec="seconds")
                else:
                    txn.status = protocol.CANCELLED
        if self.notify:
            self.send_notification(reference)
        return txn

    def send_notification(self, reference: str, **override: str) -> int | None:
        """POST the signed result to the merchant's notify_url; its HTTP status (None if down)."""
        txn = self.transactions[reference]
        fields = self.result_fields(txn)
        if override:
            fields.update(override)
        target = txn.notify_url
        if urlsplit(target).scheme not in ("http", "https"):
            return None
        request = Request(target, data=urlencode(fields).encode(), method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        txn.notifications += 1
        try:
            with urlopen(request, timeout=10) as response:  # nosec B310  # http(s) checked above
                status: int | None = response.status
        except OSError as exc:
            status = getattr(exc, "code", None)
        txn.last_notify_status = status
        return status


def _page(title: str, body: str) -> bytes:
    return (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body><main><h1>{html.escape(title)}</h1>"
        f"{body}</main></body></html>"
    ).encode()


def _handler_for(stub: PaygovStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "paygov-stub"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, data: object) -> None:
            self._send(status, json.dumps(data).encode(), "application/json")

        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            query = dict(parse_qsl(parts.query))
            if parts.path == "/pay":
                self._checkout(query)
            elif parts.path == "/api/query":
                self._query(query)
            elif parts.path == "/_stub/transactions":
                self._json(200, [asdict(t) for t in stub.transactions.values()])
            else:
                self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(parse_qsl(self.rfile.read(min(length, 65536)).decode()))
            if parts.path == "/pay/confirm":
                reference = form.get("reference", "")
                if reference not in stub.transactions:
                    self._send(404, b"unknown transaction", "text/plain")
                    return
                txn = stub.settle(reference, form.get("decision", ""))
                back = f"{txn.return_url}?{urlencode(stub.result_fields(txn))}"
                self._send(303, b"", "text/plain", Location=back)
            elif parts.path.startswith("/_stub/notify/"):
                reference = parts.path.rsplit("/", 1)[1]
                if reference not in stub.transactions:
                    self._send(404, b"unknown transaction", "text/plain")
                    return
                self._json(200, {"status": stub.send_notification(reference)})
            else:
                self._send(404, b"not found", "text/plain")

        def _checkout(self, query: dict[str, str]) -> None:
            if not protocol.verify(query, stub.secret) or query.get("merchant") != stub.merchant:
                self._send(400, _page("Chữ ký không hợp lệ", ""), "text/html; charset=utf-8")
                return
            reference = query.get("reference", "")
            with stub.lock:
                txn = stub.transactions.get(reference)
                if txn is None:
                    txn = Transaction(
                        reference=reference,
                        amount=query.get("amount", ""),
                        description=query.get("description", ""),
                        return_url=query.get("return_url", ""),
                        notify_url=query.get("notify_url", ""),
                    )
                    stub.transactions[reference] = txn
            body = (
                f"<p>Đơn vị nhận: {html.escape(stub.merchant)}</p>"
                f"<p>Nội dung: {html.escape(txn.description)}</p>"
                f"<p>Số tiền: <strong>{html.escape(txn.amount)} VND</strong></p>"
                "<form method='post' action='/pay/confirm'>"
                f"<input type='hidden' name='reference' value='{html.escape(reference)}'>"
                "<button name='decision' value='pay'>Thanh toán</button> "
                "<button name='decision' value='cancel'>Hủy</button></form>"
                "<p><small>Cổng thanh toán thử nghiệm: không có tiền thật.</small></p>"
            )
            self._send(200, _page("Cổng thanh toán (thử nghiệm)", body), "text/html; charset=utf-8")

        def _query(self, query: dict[str, str]) -> None:
            if not protocol.verify(query, stub.secret) or query.get("merchant") != stub.merchant:
                self._json(400, {"error": "bad signature"})
                return
            txn = stub.transactions.get(query.get("reference", ""))
            if txn is None:
                fields = protocol.signed(
                    {
                        "merchant": stub.merchant,
                        "reference": query.get("reference", ""),
                        "status": protocol.UNKNOWN,
                        "amount": "",
                        "transaction_id": "",
                        "paid_at": "",
                        "timestamp": protocol.now_stamp(),
                    },
                    stub.secret,
                )
            else:
                fields = stub.result_fields(txn)
            self._json(200, fields)

    return Handler
