"""`motcua notary import-transactions FILE.csv` — notarized contracts from a notary organisation's
software or a legacy system (all-or-nothing, idempotent by notary_org + contract_no).
`motcua notary create-token --office CODE [--name N]` — an API key (printed once) for /api/v1/notary/.
`motcua notary export -o FILE [--since N]` — transactions as JSON lines for the national database.
`motcua notary sync-national FILE.jsonl --unit CODE` — records published by the national database
(blocks and transactions), idempotent by sync ID, never duplicating what the province has.

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
        token = sub.add_parser("create-token", help="an API key for a notary organisation")
        token.add_argument("--office", required=True, help="electronic code of the organisation")
        token.add_argument("--name", default="api", help="what the key is for")
        export = sub.add_parser(
            "export", help="JSON lines of transactions for the national database"
        )
        export.add_argument("-o", "--output", required=True, help="file to write ('-' = stdout)")
        export.add_argument("--since", type=int, default=0, help="cursor of the previous export")
        sync = sub.add_parser("sync-national", help="import records published nationally")
        sync.add_argument("file")
        sync.add_argument("--unit", required=True, help="code of the unit keeping the register")
        for child in (importer, token, export, sync):
            install_one_line_errors(child)

    def handle(self, *args, **options):
        if options["action"] == "create-token":
            return self._token(options)
        if options["action"] == "export":
            return self._export(options)
        if options["action"] == "sync-national":
            return self._sync(options)
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

    def _token(self, options):
        from motcua.orgs.models import Unit

        from ...tokens import token_create

        office = Unit.objects.filter(code=options["office"]).first()
        if office is None:
            _fail(f"không có tổ chức mã {options['office']}")
        token, key = token_create(actor=None, office=office, name=options["name"])
        sys.stderr.write("Khóa chỉ hiện một lần; hãy lưu ngay vào phần mềm của tổ chức.\n")
        self.stdout.write(json.dumps({"id": token.pk, "office": office.code, "key": key}))

    def _export(self, options):
        from ...national import write_export

        if options["since"] < 0:
            _fail("--since phải là số không âm")
        target = options["output"]
        try:
            if target == "-":
                count, cursor = write_export(self.stdout, options["since"])
            else:
                with open(target, "w", encoding="utf-8") as handle:
                    count, cursor = write_export(handle, options["since"])
        except OSError as exc:
            _fail(f"không ghi được {target}: {exc.strerror}")
        sys.stderr.write(f"{count} dòng; con trỏ tiếp theo (--since): {cursor}\n")

    def _sync(self, options):
        from motcua.orgs.models import Unit

        from ...national import SyncFailed, sync_national

        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            _fail(f"không có đơn vị mã {options['unit']}")
        try:
            summary = sync_national(options["file"], unit=unit)
        except FileNotFoundError:
            _fail(f"không mở được tệp {options['file']}")
        except UnicodeDecodeError:
            _fail("tệp không phải UTF-8")
        except SyncFailed as exc:
            for line in exc.errors[:200]:
                sys.stderr.write(f"{line}\n")
            _fail(f"không nhập gì: {len(exc.errors)} lỗi")
        self.stdout.write(json.dumps({k: v for k, v in summary.__dict__.items() if k != "errors"}))
