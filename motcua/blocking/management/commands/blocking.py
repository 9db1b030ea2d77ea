"""`motcua blocking search|import|export` — the blocking registry from the command line.

search QUERY [--format json]   {"query", "result_count", "truncated", "warnings", "results"}:
                               published blocks and notarized transactions; each result has
                               record_type (block|transaction); a block: request_no, kind, status
                               (active|released), asset_type, asset, owners, document_number,
                               authority (+ more fields after them); warnings: [{code, asset,
                               record}], code active_block|prior_transfer|mortgaged
import FILE.csv [--unit CODE]  legacy export, all-or-nothing, idempotent by request_no
export -o FILE [--since N]     JSON lines for the national notarization database; prints the cursor
"""

import json
import sys
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from motcua.core.cli import install_one_line_errors
from motcua.orgs.models import Unit

from ...errors import BlockingError
from ...export import write_export
from ...importer import ImportFailed, import_csv
from ...models import BlockingRequest
from ...search import log_search, outcome_results, run_search


def _fail(message: str, code: int = 1):
    sys.stderr.write(f"lỗi: {message}\n")
    sys.exit(code)


class Command(BaseCommand):
    help = __doc__
    # `search` and `export` only read: no system checks (they import every view); `import` runs
    # them itself (issue 17).
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        return install_one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        search = sub.add_parser("search", help="look up the registry (published records)")
        search.add_argument("query", nargs="?", default="")
        search.add_argument("--format", choices=["text", "json"], default="text")
        search.add_argument("--limit", type=int, default=50)
        importer = sub.add_parser("import", help="import a legacy CSV export")
        importer.add_argument("file")
        importer.add_argument("--unit", help="electronic code of the unit keeping the register")
        export = sub.add_parser("export", help="JSON lines for the national notarization database")
        export.add_argument("-o", "--output", required=True, help="file to write ('-' = stdout)")
        export.add_argument("--since", type=int, default=0, help="cursor of the previous export")
        for child in (search, importer, export):
            install_one_line_errors(child)

    def handle(self, *args, **options):
        action = options["action"]
        if action == "search":
            return self._search(options)
        if action == "import":
            self.check()
            return self._import(options)
        return self._export(options)

    def _search(self, options):
        query = options["query"]
        if not query.strip():
            _fail("câu tìm kiếm trống: hãy nhập số GCN, biển số, tên hoặc số giấy tờ")
        try:
            with transaction.atomic():
                outcome = run_search(
                    query=query, limit=max(1, options["limit"]), everything_published=True
                )
                log_search(user=None, outcome=outcome)
        except BlockingError as exc:
            _fail(str(exc))
        # Built afresh (not from the log's JSON column) to keep the field order.
        results, warnings = outcome_results(outcome)
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "query": outcome.query,
                        "result_count": outcome.count,
                        "truncated": outcome.truncated,
                        "warnings": [
                            {k: w[k] for k in ("code", "asset", "record")} for w in warnings
                        ],
                        "results": results,
                    },
                    ensure_ascii=False,
                )
            )
            return
        self.stdout.write(
            f"{outcome.count}{'+' if outcome.truncated else ''} kết quả cho «{outcome.query}»"
        )
        for w in warnings:
            self.stdout.write(f"! {w['message']}")
        for r in results:
            if r["record_type"] == "transaction":
                parties = "; ".join(f"{p['role']}: {p['name']}" for p in r["parties"])
                self.stdout.write(
                    f"{r['contract_no']}\tgiao dịch {r['kind']} ({r['status']})\t"
                    f"{r['contract_date']}\t{r['asset']}\t{parties}\t{r['notary_org']}"
                )
                continue
            owners = "; ".join(o["name"] for o in r["owners"])
            state = "ĐANG NGĂN CHẶN" if r["status"] == "active" else "đã giải tỏa"
            self.stdout.write(
                f"{r['request_no']}\t{state}\t{r['kind']}\t{r['asset']}\t{owners}\t"
                f"{r['document_number']}\t{r['authority']}"
            )

    def _unit(self, code):
        if code:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                _fail(f"không có đơn vị mã {code}")
            return unit
        units = set(BlockingRequest.objects.values_list("unit_id", flat=True).distinct()[:2])
        if len(units) == 1:
            return Unit.objects.get(pk=units.pop())
        if Unit.objects.count() == 1:
            return Unit.objects.get()
        _fail("hãy chỉ rõ đơn vị giữ sổ bằng --unit MÃ (ví dụ 000.00.12.H57)")

    def _import(self, options):
        unit = self._unit(options["unit"])
        started = time.monotonic()

        def progress(done, total):
            sys.stderr.write(f"… {done}/{total} yêu cầu\n")

        try:
            summary = import_csv(options["file"], unit=unit, progress=progress)
        except FileNotFoundError:
            _fail(f"không mở được tệp {options['file']}")
        except UnicodeDecodeError:
            _fail("tệp không phải UTF-8")
        except ImportFailed as exc:
            for line in exc.errors:
                sys.stderr.write(f"{line}\n")
            if exc.total > len(exc.errors):
                sys.stderr.write(f"… và {exc.total - len(exc.errors)} lỗi khác\n")
            _fail(f"không nhập gì: {exc.total} dòng có lỗi")
        self.stdout.write(
            json.dumps(
                {
                    "rows": summary.rows,
                    "requests_created": summary.requests_created,
                    "assets_created": summary.assets_created,
                    "requests_skipped": summary.requests_skipped,
                    "seconds": round(time.monotonic() - started, 1),
                },
                ensure_ascii=False,
            )
        )

    def _export(self, options):
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
