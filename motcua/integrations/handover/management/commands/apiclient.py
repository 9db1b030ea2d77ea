"""`motcua apiclient create NAME --unit CODE --scope handover [--format json]` and `list`."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandParser

from motcua.core.cli import install_one_line_errors
from motcua.integrations.handover.clients import ClientError, apiclient_create
from motcua.integrations.handover.models import ApiClient
from motcua.orgs.models import Unit


class Command(BaseCommand):
    help = (
        "API clients of other systems (the service centre). `create NAME --unit CODE --scope "
        "handover` prints the client id and its secret once (only a hash is stored); with "
        '--format json {"client_id", "client_secret", "name", "unit", "scopes"}. `list` shows '
        "the clients."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        return install_one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="create a client and print its secret once")
        create.add_argument("name")
        create.add_argument("--unit", required=True, help="electronic code of the client's unit")
        create.add_argument(
            "--scope", action="append", required=True, help="scope (repeatable): handover"
        )
        create.add_argument("--format", choices=["text", "json"], default="text")
        listing = sub.add_parser("list", help="list the clients")
        listing.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        if options["verb"] == "list":
            rows = [
                {
                    "client_id": c.client_id,
                    "name": c.name,
                    "unit": c.unit.code,
                    "scopes": c.scopes,
                    "active": c.active,
                }
                for c in ApiClient.objects.select_related("unit")
            ]
            if options["format"] == "json":
                self.stdout.write(json.dumps(rows, ensure_ascii=False))
            for row in rows if options["format"] == "text" else []:
                self.stdout.write(
                    f"{row['client_id']}\t{row['unit']}\t{row['scopes']}\t"
                    f"{'active' if row['active'] else 'inactive'}\t{row['name']}"
                )
            return
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            sys.stderr.write(f"lỗi: không có đơn vị mã {options['unit']}\n")
            sys.exit(1)
        try:
            created = apiclient_create(
                actor=None, name=options["name"], unit=unit, scopes=options["scope"]
            )
        except ClientError as exc:
            sys.stderr.write(f"lỗi: {exc}\n")
            sys.exit(1)
        client = created.client
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "client_id": client.client_id,
                        "client_secret": created.secret,
                        "name": client.name,
                        "unit": unit.code,
                        "scopes": client.scopes,
                    },
                    ensure_ascii=False,
                )
            )
            return
        self.stdout.write(f"client_id: {client.client_id}")
        self.stdout.write(f"client_secret: {created.secret}")
        sys.stderr.write("Lưu mật khẩu (secret) ngay: nó không được hiển thị lại.\n")
