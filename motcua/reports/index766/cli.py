"""`motcua report index766 --from D --to D [--unit CODE] [--format json]` (DOMAIN §7).

JSON: {"from", "to", "unit", "total", "max", "indicators": [{"id", "title", "value", "numerator",
"denominator", "target", "score", "max", "manual"}]}; `value` a percent with 2 decimals (a string)
or null when the denominator is 0; `score` and `max` in points. Bad input: one Vietnamese line on
stderr, exit 2, nothing on stdout (motcua.core.cli).
"""

from __future__ import annotations

import json
import sys
from datetime import date

from .compute import IndexResult, compute_index


def fail(message: str) -> None:
    sys.stderr.write(f"lỗi: {message}\n")
    sys.exit(2)


def parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        fail(f"{option} {value!r} không phải ngày hợp lệ dạng YYYY-MM-DD, ví dụ 2023-01-01")
        raise  # unreachable


def add_parser(sub) -> None:
    """The `index766` subcommand of `motcua report`."""
    p = sub.add_parser(
        "index766",
        help="the Decision 766 index for a period (as the national portal computes it)",
        description="Decision 766 index for [--from, --to] (dates inclusive, Asia/Ho_Chi_Minh).",
    )
    p.error = fail  # type: ignore[method-assign]
    p.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="last day, YYYY-MM-DD")
    p.add_argument("--unit", help="electronic agency code, e.g. 000.00.12.H57")
    p.add_argument("--format", choices=["text", "json"], default="text")


def _vn(value) -> str:
    return "N/A" if value is None else f"{value}".replace(".", ",")


def text(result: IndexResult, unit: str | None) -> str:
    lines = [
        "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)",
        f"Kỳ: {result.date_from:%d/%m/%Y} – {result.date_to:%d/%m/%Y}; "
        f"đơn vị: {unit or 'tất cả đơn vị'}",
        "",
    ]
    for key, label, maximum, points, rows in result.groups():
        lines.append(f"{key}. {label}: {_vn(points)} / {_vn(maximum)}")
        for r in rows:
            ratio = (
                "nhập tay"
                if r.manual
                else f"{r.numerator if r.numerator is not None else '—'}/{r.denominator}"
            )
            lines.append(
                f"  {r.indicator.id:<4} {str(r.indicator.title)[:60]:<60} {ratio:>12} "
                f"{_vn(r.value):>8} {_vn(r.score):>6} / {_vn(r.max)}"
            )
    if result.has_data:
        lines += ["", f"Tổng: {_vn(result.total)} / {_vn(result.maximum)} điểm"]
    else:  # issue 14: a period without dossiers or PAKN is not scored
        lines += ["", "Tổng: Không có số liệu (không có hồ sơ, phản ánh trong kỳ)"]
    return "\n".join(lines)


def run(options, stdout) -> None:
    from motcua.orgs.models import Unit

    date_from = parse_day(options["date_from"], "--from")
    date_to = parse_day(options["date_to"], "--to")
    if date_from > date_to:
        fail(f"--from {date_from} sau --to {date_to}")
    unit_ids, code = None, None
    if options.get("unit"):
        code = options["unit"].strip()
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            fail(f"không có đơn vị mã {options['unit']!r}")
        unit_ids = [unit.pk]
    result = compute_index(date_from, date_to, unit_ids=unit_ids)
    if options["format"] == "json":
        stdout.write(json.dumps(result.as_json(code), ensure_ascii=False))
    else:
        stdout.write(text(result, code))
