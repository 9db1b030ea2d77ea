"""`motcua sync dvcqg [--once] [--backfill --from D --to D] [--format json]`: the national portal.

- `--once`: deliver what is due, pull ratings and feedback back, print
  `{"sent", "failed", "pending", "parked", "ratings", "feedback"}` and exit;
- without it: keep doing so (a systemd service, deploy/systemd/motcua-dvcqg.service); SIGTERM or
  Ctrl-C stops after the message being delivered;
- `--backfill --from D --to D`: queue the current state of the dossiers received in the period
  (data imported from a legacy system), print `{"queued"}` and exit — add `--once` to deliver too.

docs/dong-bo-dvcqg.md is the administrator's guide.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from motcua.core.cli import install_one_line_errors
from motcua.integrations.dvcqg import worker
from motcua.integrations.dvcqg.outbox import sync_enabled
from motcua.integrations.dvcqg.services import SyncError, outbox_backfill

#: In the long-running mode, ratings and feedback are pulled at most this often (seconds).
PULL_INTERVAL = 300


def _fail(message: str, code: int = 2) -> None:
    """CLI contract: one line on stderr, nothing on stdout, non-zero exit."""
    sys.stderr.write(f"lỗi: {message}\n")
    sys.exit(code)


def _parse_day(value: str | None, option: str) -> date:
    if not value:
        _fail(f"--backfill cần {option} (ngày dạng YYYY-MM-DD)")
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        _fail(f"{option} {value!r} không phải ngày hợp lệ dạng YYYY-MM-DD, ví dụ 2025-07-01")
        raise  # unreachable


class Command(BaseCommand):
    help = __doc__

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        return install_one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="target", required=True, title="targets")
        dvcqg = sub.add_parser(
            "dvcqg",
            help="sync dossiers to the national public-service portal (DVCQG)",
            description="Deliver the outbox to MOTCUA_DVCQG_URL; pull ratings and feedback back.",
        )
        dvcqg.add_argument("--once", action="store_true", help="deliver what is due, then exit")
        dvcqg.add_argument(
            "--backfill", action="store_true", help="queue the dossiers received in a period"
        )
        dvcqg.add_argument("--from", dest="date_from", help="first reception day, YYYY-MM-DD")
        dvcqg.add_argument("--to", dest="date_to", help="last reception day, YYYY-MM-DD")
        dvcqg.add_argument("--format", choices=["text", "json"], default="text")
        install_one_line_errors(dvcqg)

    def handle(self, *args: Any, **options: Any) -> None:
        if not sync_enabled():
            _fail("đồng bộ với Cổng DVCQG đang tắt: chưa đặt biến MOTCUA_DVCQG_URL")
        if (options["date_from"] or options["date_to"]) and not options["backfill"]:
            _fail("--from và --to chỉ dùng cùng --backfill")
        if options["backfill"]:
            date_from = _parse_day(options["date_from"], "--from")
            date_to = _parse_day(options["date_to"], "--to")
            if date_from > date_to:
                _fail(f"--from {date_from} sau --to {date_to}")
            try:
                queued = outbox_backfill(actor=None, date_from=date_from, date_to=date_to)
            except SyncError as error:
                _fail(str(error))
                raise  # unreachable
            if not options["once"]:
                self._print({"queued": queued}, options["format"])
                return
            self._print({"queued": queued, **worker.run_once().as_dict()}, options["format"])
            return
        if options["once"]:
            outcome = worker.run_once()
            for problem in outcome.errors:
                sys.stderr.write(f"cảnh báo: {problem}\n")
            self._print(outcome.as_dict(), options["format"])
            return
        self._run_forever(options["format"])

    def _print(self, out: dict[str, Any], fmt: str) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps(out, ensure_ascii=False))
        else:
            labels = {
                "queued": "đã đưa vào hàng đợi",
                "sent": "đã gửi",
                "failed": "lần gửi lỗi",
                "pending": "đang chờ",
                "parked": "tạm dừng",
                "ratings": "đánh giá mới",
                "feedback": "phản ánh mới",
            }
            self.stdout.write(", ".join(f"{labels.get(k, k)}: {v}" for k, v in out.items()))

    def _run_forever(self, fmt: str) -> None:
        stop = threading.Event()

        def request_stop(signum: int, _frame: object) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        last_pull = 0.0
        while not stop.is_set():
            close_old_connections()
            pull = time.monotonic() - last_pull >= PULL_INTERVAL
            try:
                result = worker.run_once(pull=pull, stop=stop.is_set)
            except Exception as error:  # the database restarting must not end the service
                sys.stderr.write(f"lỗi: {type(error).__name__}: {error}\n")
                stop.wait(settings.MOTCUA_DVCQG_POLL_SECONDS)
                continue
            if pull:
                last_pull = time.monotonic()
            if result.sent or result.failed or result.ratings or result.feedback:
                self._print(result.as_dict(), fmt)
                self.stdout.flush()
            stop.wait(settings.MOTCUA_DVCQG_POLL_SECONDS)
