"""`motcua catalogue export --format json|xlsx -o FILE` / `motcua catalogue import FILE [--dry-run]`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from motcua.core.cli import install_one_line_errors
from motcua.procedures import exchange
from motcua.procedures.models import Procedure

MAX_BYTES = 10 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Export the procedure catalogue as JSON or Excel, or import such a file (all or nothing; "
        "an existing procedure code is updated, never duplicated). Bad input: one line on stderr, "
        "exit status 1, nothing changed."
    )
    # `export` only reads: no system checks (they import every view); `import` runs them itself.
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        return install_one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="export|import")
        export = sub.add_parser("export", help="write the catalogue to a file (or stdout)")
        export.add_argument("--format", choices=["json", "xlsx"], default="json")
        export.add_argument(
            "-o", "--output", default="-", help="output file; '-' = stdout (JSON only)"
        )
        export.add_argument("--unit", help="only the procedures of this agency code")
        export.add_argument("--demo", choices=["include", "exclude", "only"], default="include")
        imp = sub.add_parser("import", help="create or update procedures from a JSON or .xlsx file")
        imp.add_argument("file", help="a .json or .xlsx file in the export layout")
        imp.add_argument("--dry-run", action="store_true", help="check the file, change nothing")
        imp.add_argument("--format", choices=["text", "json"], default="text")
        for p in (export, imp):
            p.called_from_command_line = getattr(parser, "called_from_command_line", False)
            install_one_line_errors(p)

    def _fail(self, message: str) -> None:
        self.stderr.write(f"lỗi: {message}")
        sys.exit(1)

    def handle(self, *args, **options):
        if options["action"] == "export":
            self._export(options)
        else:
            self.check()
            self._import(options)

    def _export(self, options) -> None:
        queryset = Procedure.objects.all()
        if options.get("unit"):
            queryset = queryset.filter(unit__code=options["unit"])
        if options["demo"] == "exclude":
            queryset = queryset.filter(is_demo=False)
        elif options["demo"] == "only":
            queryset = queryset.filter(is_demo=True)
        output = options["output"]
        if options["format"] == "xlsx":
            if output == "-":
                self._fail("xuất Excel cần tệp đích: -o FILE.xlsx")
            body = exchange.export_catalogue_xlsx(queryset)
        else:
            body = exchange.export_catalogue_json(queryset)
        if output == "-":
            self.stdout.write(body.decode("utf-8"), ending="")
        else:
            try:
                Path(output).write_bytes(body)
            except OSError as exc:
                self._fail(f"không ghi được {output}: {exc.strerror}")
            self.stderr.write(f"{queryset.count()} thủ tục → {output}")

    def _import(self, options) -> None:
        path = Path(options["file"])
        try:
            if path.stat().st_size > MAX_BYTES:
                self._fail(f"{path}: tệp lớn hơn 10 MB")
            content = path.read_bytes()
        except OSError as exc:
            self._fail(f"không đọc được {path}: {exc.strerror}")
        try:
            result = exchange.import_catalogue(content, actor=None, dry_run=options["dry_run"])
        except exchange.CatalogueImportError as exc:
            self._fail(f"{path}: {exc.one_line()}")
        if options["format"] == "json":
            self.stdout.write(json.dumps({**result.as_json(), "dry_run": options["dry_run"]}))
        else:
            prefix = "(kiểm tra, không thay đổi) " if options["dry_run"] else ""
            self.stdout.write(
                f"{prefix}{len(result.created)} thủ tục tạo mới, {len(result.updated)} cập nhật"
            )
