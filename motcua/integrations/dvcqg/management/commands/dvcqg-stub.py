"""`motcua dvcqg-stub --bind HOST:PORT --data DIR [--fail-rate R]`: a local national portal.

A stand-in of the national public-service portal (DVCQG) for integrators and tests: it accepts
the messages motcua sends, keeps them in DIR, serves ratings and feedback, and fails a share R of
requests at random. Endpoints: motcua/integrations/dvcqg/stub.py and docs/integration-dvcqg.md.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.core.cli import install_one_line_errors
from motcua.integrations.dvcqg.stub import make_server


def _fail(message: str) -> None:
    sys.stderr.write(f"lỗi: {message}\n")
    sys.exit(2)


class Command(BaseCommand):
    help = __doc__
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        return install_one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8090", help="HOST:PORT to listen on")
        parser.add_argument("--data", required=True, help="folder where what arrives is kept")
        parser.add_argument(
            "--fail-rate", type=float, default=0.0, help="share of requests failed at random, 0–1"
        )
        parser.add_argument(
            "--delay", type=float, default=0.0, help="seconds before answering a stored message"
        )
        parser.add_argument("--client-id", default="", help="require these Basic credentials")
        parser.add_argument("--client-secret", default="")
        parser.add_argument("--verbose", action="store_true", help="log every request")

    def handle(self, *args: Any, **options: Any) -> None:
        host, _, port_text = options["bind"].rpartition(":")
        if not host or not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
            _fail(f"--bind {options['bind']!r} phải có dạng HOST:PORT, ví dụ 127.0.0.1:8090")
        rate = options["fail_rate"]
        if not 0.0 <= rate <= 1.0:
            _fail(f"--fail-rate {rate} phải nằm trong khoảng 0 đến 1")
        data = Path(options["data"])
        if data.exists() and not data.is_dir():
            _fail(f"--data {str(data)!r} không phải thư mục")
        credentials = (
            (options["client_id"], options["client_secret"]) if options["client_id"] else None
        )
        try:
            server = make_server(
                host.strip("[]"),
                int(port_text),
                data,
                fail_rate=rate,
                credentials=credentials,
                quiet=not options["verbose"],
                delay=max(0.0, options["delay"]),
            )
        except OSError as error:
            _fail(f"không mở được {options['bind']}: {error.strerror or error}")
            raise  # unreachable
        self.stdout.write(f"dvcqg-stub: http://{host}:{server.server_port}/ (dữ liệu: {data})")
        self.stdout.flush()

        def shutdown(signum: int, _frame: object) -> None:
            threading.Thread(target=server.shutdown, daemon=True).start()

        signal.signal(signal.SIGTERM, shutdown)
        signal.signal(signal.SIGINT, shutdown)
        try:
            server.serve_forever(poll_interval=0.2)
        finally:
            server.server_close()
