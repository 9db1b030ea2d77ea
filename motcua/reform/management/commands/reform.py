"""`motcua reform import-results FILE.csv` and `motcua reform rank --year Y [--block B]`."""

from __future__ import annotations

import csv
import json
import sys
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandParser

from motcua.core.cli import install_one_line_errors
from motcua.reform.choices import Block
from motcua.reform.selectors import ranking
from motcua.reform.services import ImportedResult, ReformError, results_import

REQUIRED = ["year", "block", "unit_code", "unit_name", "total"]
OPTIONAL = ["self_score", "appraised_score", "survey_score"]


class BadInput(Exception):
    """One-line reason; nothing was changed."""


def _decimal(value: str, column: str, line: int, *, required: bool) -> Decimal | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise BadInput(f"dòng {line}: thiếu {column}")
        return None
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0 or number > 1000:
        raise BadInput(f"dòng {line}: {column} “{value}” không phải là số điểm hợp lệ")
    if number != number.quantize(Decimal("0.01")):
        raise BadInput(f"dòng {line}: {column} “{value}” có quá 2 chữ số thập phân")
    return number


def read_results(path: str) -> list[ImportedResult]:
    """Parse and validate the whole file first (all or nothing)."""
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as exc:
        raise BadInput(f"không mở được tệp {path}: {exc.strerror}") from exc
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise BadInput(f"thiếu cột: {', '.join(missing)}")
            reader.fieldnames = header
            rows, seen = [], set()
            for line, raw in enumerate(reader, start=2):
                if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
                    continue
                try:
                    year = int((raw["year"] or "").strip())
                except ValueError:
                    raise BadInput(f"dòng {line}: năm “{raw['year']}” không hợp lệ") from None
                if not 2000 <= year <= 2100:
                    raise BadInput(f"dòng {line}: năm {year} ngoài khoảng 2000–2100")
                block = (raw["block"] or "").strip()
                if block not in Block.values:
                    raise BadInput(
                        f"dòng {line}: khối “{block}” phải là một trong {', '.join(Block.values)}"
                    )
                code = (raw["unit_code"] or "").strip()
                name = (raw["unit_name"] or "").strip()
                if not code or not name or len(code) > 20:
                    raise BadInput(f"dòng {line}: cần mã đơn vị (≤ 20 ký tự) và tên đơn vị")
                if (year, block, code) in seen:
                    raise BadInput(f"dòng {line}: đơn vị {code} lặp lại trong {year}/{block}")
                seen.add((year, block, code))
                values = {
                    c: _decimal(raw.get(c) or "", c, line, required=c == "total")
                    for c in ["total", *OPTIONAL]
                }
                rows.append(ImportedResult(year, block, code, name, **values))
        except UnicodeDecodeError:
            raise BadInput("tệp không phải văn bản UTF-8") from None
        except csv.Error as exc:
            raise BadInput(f"CSV lỗi: {exc}") from None
    if not rows:
        raise BadInput("tệp không có dòng dữ liệu nào")
    return rows


class Command(BaseCommand):
    help = (
        "Administrative-reform results. `import-results FILE.csv` stores results already published "
        "(columns year, block, unit_code, unit_name, total; optional self_score, appraised_score, "
        "survey_score; all or nothing; re-importing updates in place). `rank --year Y [--block B] "
        '--format json` prints {"year", "blocks": [{"block", "units": [{"rank", "unit_code", '
        '"unit_name", "total", "classification", "previous_rank"}]}]}, best first.'
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        return install_one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-results", help="import published results from a CSV file")
        imp.add_argument("file")
        rank = sub.add_parser("rank", help="print the ranking of a year")
        rank.add_argument("--year", required=True, type=int)
        rank.add_argument("--block", choices=Block.values)
        rank.add_argument("--format", choices=["text", "json"], default="text")
        for p in (imp, rank):
            install_one_line_errors(p)

    def handle(self, *args, **options):
        try:
            if options["action"] == "import-results":
                rows = read_results(options["file"])
                try:
                    counts = results_import(actor=None, rows=rows)
                except ReformError as exc:
                    raise BadInput(str(exc)) from None
                self.stderr.write(
                    f"Đã nhập {len(rows)} dòng: {counts['created']} mới, "
                    f"{counts['updated']} cập nhật."
                )
                return
            data = ranking(options["year"], options.get("block"))
            if not data["blocks"] or not any(b["units"] for b in data["blocks"]):
                raise BadInput(f"chưa có kết quả công bố cho năm {options['year']}")
        except BadInput as exc:
            sys.stderr.write(f"lỗi: {exc}\n")
            sys.exit(1)
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        for block in data["blocks"]:
            self.stdout.write(f"== {data['year']} – {block['block']}")
            for u in block["units"]:
                prev = u["previous_rank"] or "–"
                self.stdout.write(
                    f"{u['rank']:>3}  {u['total']:>6.2f}  {u['classification']:<10}  "
                    f"(năm trước: {prev})  {u['unit_code']}  {u['unit_name']}"
                )
