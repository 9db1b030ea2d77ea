"""`motcua notary import-transactions FILE.csv` — notarized contracts from a notary organisation's
software or a legacy system (all-or-nothing, idempotent by notary_org + contract_no).

Prints one JSON line: {"rows", "created", "unchanged", "corrected", "seconds"}. A refused file: the
reasons ("dòng N: …") on stderr, then one line "lỗi: …", exit 2, nothing written.
"""

import csv
import json
import sys
import time

from django.core.management.base import BaseCommand, CommandParser

from motcua.core.cli import install_one_line_errors

from ...importer import ImportFailed, import_transactions


def _fail(message: str, code: int = 2):
    sys.stderr.write(f"lỗi: {message}\n")
    sys.exit(code)


class Command(BaseCommand):
    help = __doc__

    def create_parser(self, prog_name, subcommand, **kwargs):
        return install_one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importer = sub.add_parser(
            "import-transactions", help="import notarized contracts from a CSV file"
        )
        importer.add_argument("file")
        install_one_line_errors(importer)

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            summary = import_transactions(options["file"])
        except FileNotFoundError:
            _fail(f"không mở được tệp {options['file']}")
        except UnicodeDecodeError:
            _fail("tệp không phải UTF-8")
        except csv.Error as exc:
            _fail(f"tệp CSV hỏng: {exc}")
        except ImportFailed as exc:
            for line in exc.errors:
                sys.stderr.write(f"{line}\n")
            if exc.total > len(exc.errors):
                sys.stderr.write(f"… và {exc.total - len(exc.errors)} lỗi khác\n")
            _fail(f"không nhập gì: {exc.total} lỗi")
        self.stdout.write(
            json.dumps(
                {
                    "rows": summary.rows,
                    "created": summary.created,
                    "unchanged": summary.unchanged,
                    "corrected": summary.corrected,
                    "seconds": round(time.monotonic() - started, 1),
                },
                ensure_ascii=False,
            )
        )
