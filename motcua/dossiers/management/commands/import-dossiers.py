"""`motcua import-dossiers FILE.csv [--create-missing] [--format json]`: legacy dossiers.

The file name has a hyphen on purpose: Django names commands after their modules, and the stable
command-line contract (ARCHITECTURE.md) spells this one `import-dossiers`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.checks import Tags
from django.core.management.base import BaseCommand, CommandParser

from motcua.core.cli import install_one_line_errors
from motcua.dossiers.importer import COLUMNS, OPTIONAL_COLUMNS, ImportFailed, import_dossiers


class Command(BaseCommand):
    # The models' checks, not every check: the URL checks import every view (PDF, Excel, the API),
    # which doubled the command's memory (≈ 95 MB) and added ≈ 2 s before the first row (issue 17).
    requires_system_checks = [Tags.models]
    help = (
        "Import historical dossiers from a legacy system (CSV, UTF-8 with or without BOM; columns "
        + ", ".join(COLUMNS)
        + "; optional: "
        + ", ".join(OPTIONAL_COLUMNS)
        + ", empty = unknown / no; flags are 0 or 1, fee in whole VND). Every row is checked: any bad row prints one line per reason on stderr, exits "
        "1 and changes nothing (one transaction, rolled back). Re-importing skips unchanged codes and updates changed ones. "
        'With --format json prints {"created", "updated", "skipped", "rows", "created_units", '
        '"created_procedures"}.'
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        return install_one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV file")
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="create unknown units and procedures as historical (inactive) entries",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            sys.stderr.write(f"lỗi: không đọc được tệp {path}\n")
            sys.exit(1)
        try:
            result = import_dossiers(
                actor=None,
                source=path,
                create_missing=options["create_missing"],
                source_name=path.name,
            )
        except ImportFailed as failed:
            for error in failed.errors:
                sys.stderr.write(f"lỗi: {error}\n")
            sys.stderr.write(f"Không nhập gì: {len(failed.errors)} lỗi.\n")
            sys.exit(1)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(
                f"Đã đọc {result.rows} dòng: tạo mới {result.created}, cập nhật {result.updated}, "
                f"bỏ qua (không đổi) {result.skipped}."
            )
            if result.created_units or result.created_procedures:
                self.stdout.write(
                    f"Tạo mục lịch sử: {len(result.created_units)} đơn vị, "
                    f"{len(result.created_procedures)} thủ tục."
                )
