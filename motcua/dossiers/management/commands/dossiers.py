"""`motcua dossiers register --unit CODE --from D --to D -o FILE.xlsx`: the dossier register.

The register (form 06/07, the form in force at the end of the period) of one unit as an Excel
workbook, the same file the clerks download; text cells are neutralised against formula injection
(core/spreadsheet.py). Bad input: one line on stderr, exit 2, nothing written. The export is
recorded in the audit trail and the personal-data access log like a download.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from motcua.audit.services import audit_record, personal_data_access_record
from motcua.core.cli import install_one_line_errors
from motcua.dossiers.printing.register import RegisterError, build_register, parse_period
from motcua.orgs.models import Unit


def _fail(message: str, code: int = 2):
    sys.stderr.write(f"lỗi: {message}\n")
    sys.exit(code)


class Command(BaseCommand):
    help = __doc__

    def create_parser(self, prog_name, subcommand, **kwargs):
        return install_one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        register = sub.add_parser("register", help="the dossier register (form 06/07) as Excel")
        register.add_argument("--unit", required=True, help="electronic code of the unit")
        register.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        register.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        register.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
        install_one_line_errors(register)

    def handle(self, *args, **options):
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            _fail(f"không có đơn vị mã {options['unit']}")
        try:
            start, end = parse_period(options["start"], options["end"])
        except RegisterError as exc:
            _fail(str(exc))
        target = Path(options["output"])
        if not target.parent.is_dir():
            _fail(f"không có thư mục {target.parent}")
        content, count, units = build_register(None, start, end, units={unit.pk})
        assert content is not None  # noqa: S101 - a unit was given
        # Written beside the target and moved into place: a failure leaves no half file.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".so-theo-doi-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            os.replace(tmp, target)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            _fail(f"không ghi được {target}: {exc.strerror}", 1)
        period = f"{start.isoformat()}..{end.isoformat()}"
        audit_record(
            actor=None,
            action="dossier.register_export",
            object_type="dossiers.register",
            object_id=period,
            data={"units": sorted(units), "rows": count, "format": "xlsx", "via": "cli"},
        )
        personal_data_access_record(
            actor=None,
            subject_type="dossiers.register",
            subject_id=period,
            purpose="dossier register export (command line)",
        )
        sys.stderr.write(f"{count} hồ sơ; đã ghi {target}\n")
