"""`motcua audit verify [--format json]`: walk the audit hash chains; exit 1 at the first break.

Checks, table by table (the audit events, the personal-data access log), that the rows are
numbered without gaps, each links to the previous one and each still matches its hash; on
PostgreSQL also that every append-only table carries the trigger refusing UPDATE and DELETE.
Prints each chain's head hash: write it down somewhere else (a daily log mail) and a later
rewrite of the whole tail is visible too.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from motcua.audit.chain import expected_guarded_tables, guarded_tables, verify_all
from motcua.core.cli import install_one_line_errors


class Command(BaseCommand):
    help = __doc__

    def create_parser(self, prog_name, subcommand, **kwargs):
        return install_one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify the hash chains and the database guard")
        verify.add_argument("--format", choices=["text", "json"], default="text")
        install_one_line_errors(verify)

    def handle(self, *args, **options):
        reports = verify_all()
        missing: list[str] = []
        if connection.vendor == "postgresql":
            missing = sorted(expected_guarded_tables() - guarded_tables())
        ok = all(r.ok for r in reports) and not missing
        if options["format"] == "json":
            out = {
                "ok": ok,
                "chains": [r.as_json() for r in reports],
                "unguarded_tables": missing,
            }
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
        else:
            for r in reports:
                if r.ok:
                    self.stdout.write(
                        f"{r.table}: {r.rows} bản ghi, chuỗi nguyên vẹn; đầu {r.head}"
                    )
                else:
                    self.stdout.write(
                        f"{r.table}: HỎNG tại bản ghi id={r.broken_id} (seq {r.broken_seq}): "
                        f"{r.reason}"
                    )
            for table in missing:
                self.stdout.write(f"{table}: THIẾU trigger chặn sửa/xoá")
        if not ok:
            sys.exit(1)
