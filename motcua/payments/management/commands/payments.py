"""`motcua payments reconcile [--older-than MINUTES] [--format json]`: settle stuck gateway payments.

Asks the payment gateway about every pending payment older than the threshold (default
MOTCUA_PAYGOV_RECONCILE_AFTER minutes) and applies the signed answer like a notification. Run it
from cron or a timer every few minutes (docs/thanh-toan.md); it is idempotent.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandParser

from motcua.core.cli import install_one_line_errors
from motcua.payments.paygov.services import paygov_reconcile


class Command(BaseCommand):
    help = (
        "Payments. `reconcile`: ask the public payment gateway about pending payments and apply "
        'its answers; with --format json prints {"checked", "outcomes", "errors"}. Exits 1 if '
        "the gateway could not be asked about some payment."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        return install_one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        reconcile = sub.add_parser("reconcile", help="settle pending gateway payments")
        reconcile.add_argument("--older-than", type=int, default=None, metavar="MINUTES")
        reconcile.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        report = paygov_reconcile(older_than_minutes=options["older_than"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
        else:
            outcomes = ", ".join(f"{k}: {v}" for k, v in sorted(report.outcomes.items()))
            self.stdout.write(f"checked: {report.checked}" + (f" ({outcomes})" if outcomes else ""))
        for error in report.errors:
            sys.stderr.write(f"lỗi: {error}\n")
        if report.errors:
            sys.exit(1)
