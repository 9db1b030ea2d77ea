"""`motcua paygov-stub --bind HOST:PORT [--merchant M] [--secret S] [--no-notify]`: a local
stand-in of the public payment gateway (motcua/payments/paygov/stub.py), for demos and tests.

The file name has a hyphen on purpose: Django names commands after their modules.
"""

from __future__ import annotations

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from motcua.core.cli import install_one_line_errors
from motcua.payments.paygov.stub import PaygovStub


class Command(BaseCommand):
    help = (
        "Serve a stand-in of the public payment gateway: a payment page that pays or cancels and "
        "posts the signed notification, the status query, and GET /_stub/transactions (JSON). "
        "Merchant and secret default to MOTCUA_PAYGOV_MERCHANT and MOTCUA_PAYGOV_SECRET."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        return install_one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8765", help="HOST:PORT")
        parser.add_argument("--merchant", default="")
        parser.add_argument("--secret", default="")
        parser.add_argument(
            "--no-notify",
            action="store_true",
            help="do not post notifications (leaves payments pending, for reconciliation)",
        )

    def handle(self, *args, **options):
        host, _sep, port = options["bind"].rpartition(":")
        merchant = options["merchant"] or settings.MOTCUA_PAYGOV_MERCHANT
        secret = options["secret"] or settings.MOTCUA_PAYGOV_SECRET
        if not host or not port.isdigit() or not merchant or not secret:
            sys.stderr.write(
                "lỗi: cần --bind HOST:PORT, và mã đơn vị (--merchant) và khóa (--secret) "
                "hoặc MOTCUA_PAYGOV_MERCHANT, MOTCUA_PAYGOV_SECRET\n"
            )
            sys.exit(2)
        try:
            stub = PaygovStub(merchant=merchant, secret=secret, host=host, port=int(port))
        except OSError as exc:
            sys.stderr.write(f"lỗi: không mở được {options['bind']}: {exc}\n")
            sys.exit(1)
        stub.notify = not options["no_notify"]
        stub.start()
        sys.stderr.write(f"paygov-stub: {stub.url} (merchant {merchant})\n")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            stub.stop()
