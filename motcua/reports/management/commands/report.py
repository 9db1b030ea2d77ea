"""`motcua report ontime --from D --to D [--unit CODE] [--format json]`: form II.06a (DOMAIN §6)."""

from __future__ import annotations

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from motcua.orgs.models import Unit
from motcua.reports.index766 import cli as index766_cli
from motcua.reports.ontime import OntimeReport, compute_ontime, profile_rules


def _fail(message: str, code: int = 1) -> None:
    """CLI contract: one line on stderr, nothing on stdout, non-zero exit."""
    sys.stderr.write(f"lỗi: {message}\n")
    sys.exit(code)


def _parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        _fail(f"{option} {value!r} không phải ngày hợp lệ dạng YYYY-MM-DD, ví dụ 2023-01-01")
        raise  # unreachable


def _text_table(report: OntimeReport) -> str:
    rate = report.on_time_rate
    unit = ", ".join(report.unit_codes) or "tất cả đơn vị"
    rows = [
        ("(3)", "Tổng số hồ sơ phải giải quyết", report.received_total),
        ("(4)", "  Tiếp nhận mới trực tuyến", report.received_online),
        ("(5)", "  Tiếp nhận mới trực tiếp, bưu chính", report.received_counter_post),
        ("(6)", "  Kỳ trước chuyển sang", report.carried_over),
        ("(7)", "Đã giải quyết", report.settled_total),
        ("(8)", "  Trước hạn", report.settled_early),
        ("(9)", "  Đúng hạn", report.settled_on_time),
        ("(10)", "  Quá hạn", report.settled_late),
        ("(11)", "Đang giải quyết cuối kỳ", report.in_progress_total),
        ("(12)", "  Trong hạn", report.in_progress_within),
        ("(13)", "  Quá hạn", report.in_progress_overdue),
        ("", "Rút / từ chối / dừng xử lý (báo cáo riêng theo hồ sơ quy tắc)", report.closed_apart),
    ]
    lines = [
        "Biểu II.06a – Tình hình, kết quả giải quyết TTHC",
        f"Kỳ báo cáo: {report.date_from:%d/%m/%Y} – {report.date_to:%d/%m/%Y}; đơn vị: {unit}",
        f"Hồ sơ quy tắc: {report.rules.name} ({report.profile}); so sánh: "
        + ("theo ngày" if report.compare == "date" else "theo thời điểm")
        + "; mẫu số: "
        + ("đã giải quyết (7)" if report.denominator == "settled" else "(7) + quá hạn (13)"),
        "",
    ]
    # Vietnamese number style: 14.358 (dot for thousands), 98,80 % (comma for decimals).
    lines += [
        f"{col:>5}  {label:<50} {f'{value:,}'.replace(',', '.'):>10}" for col, label, value in rows
    ]
    lines.append("")
    lines.append(
        "Tỷ lệ giải quyết trước hạn và đúng hạn: "
        + (
            f"{rate:.2f}".replace(".", ",") + " %"
            if rate is not None
            else "— (chưa có hồ sơ giải quyết)"
        )
    )
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Statistics reports. `report ontime --from D --to D [--unit CODE] [--format json]` prints "
        "the II.06a figures (Circular 01/2020/TT-VPCP) and the on-time rate = (early + on time) / "
        "settled, in percent with 2 decimals. JSON fields: received_total, received_online, "
        "received_counter_post, carried_over, settled_total, settled_early, settled_on_time, "
        "settled_late, in_progress_total, in_progress_within, in_progress_overdue, on_time_rate "
        "(null when nothing was settled), plus from, to, unit, closed_apart, withdrawn, refused, "
        "stopped, identity_ok, unaccounted, compare, denominator, profile (the code of the rule "
        "profile used, DOMAIN §6), profile_name. `--profile NAME` picks a rule profile "
        "(default: the department's default profile)."
    )

    # Read-only reports start without the system checks, which import every view (issue 17).
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        default_error = parser.error

        def one_line_error(message):
            if not parser.called_from_command_line:
                default_error(message)
            _fail(message, 2)

        parser.error = one_line_error
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True, title="reports")
        ontime = sub.add_parser(
            "ontime",
            help="II.06a figures and the on-time rate for a period",
            description="II.06a figures for [--from, --to] (dates inclusive, Asia/Ho_Chi_Minh).",
        )
        ontime.error = lambda message: _fail(message, 2)  # type: ignore[method-assign]
        ontime.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
        ontime.add_argument("--to", dest="date_to", required=True, help="last day, YYYY-MM-DD")
        ontime.add_argument("--unit", help="electronic agency code, e.g. 000.00.12.H57")
        ontime.add_argument("--format", choices=["text", "json"], default="text")
        ontime.add_argument(
            "--profile",
            help="rule profile code (national, provincial, motcua-2023, …); "
            "default: the department's default profile",
        )

        for name, text in (
            ("remind", "email officers whose step is due within the configured working hours"),
            ("escalate", "email the unit's leaders about steps past their due time"),
        ):
            job = sub.add_parser(name, help=text, description=text + " (idempotent)")
            job.error = lambda message: _fail(message, 2)  # type: ignore[method-assign]
            job.add_argument("--enqueue", action="store_true", help="run by the db_worker")
            job.add_argument("--format", choices=["text", "json"], default="text")
        index766_cli.add_parser(sub)
        monthly = sub.add_parser(
            "monthly",
            help="store the monthly figures of every unit (default: last month)",
            description="Idempotent: rewrites the month's stored figures read by the dashboard.",
        )
        monthly.error = lambda message: _fail(message, 2)  # type: ignore[method-assign]
        monthly.add_argument("--month", help="YYYY-MM (default: last month)")
        monthly.add_argument("--from-month", help="YYYY-MM: every month from this one to --month")
        monthly.add_argument("--enqueue", action="store_true", help="run by the db_worker")
        monthly.add_argument("--format", choices=["text", "json"], default="text")
        rebuild = sub.add_parser(
            "rebuild-daily",
            help="fill or repair the daily II.06a figures from the dossiers",
            description="Idempotent: recomputes every daily figure (motcua.reports.daily) from "
            "the dossiers; dossier writes are held meanwhile on PostgreSQL. Run once after "
            "installing, and after writes that bypass the dossier services (SQL, restores).",
        )
        rebuild.error = lambda message: _fail(message, 2)  # type: ignore[method-assign]
        rebuild.add_argument(
            "--compact",
            action="store_true",
            help="only fold the rows dossier writes added into one per key (quick; schedule it)",
        )
        rebuild.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        if options["report"] in ("remind", "escalate", "monthly"):
            self.check()  # jobs that write: the system checks the other reports skip (issue 17)
            return self.handle_job(options)
        if options["report"] == "rebuild-daily":
            return self.handle_rebuild(options)
        if options["report"] == "index766":
            return index766_cli.run(options, self.stdout)
        date_from = _parse_day(options["date_from"], "--from")
        date_to = _parse_day(options["date_to"], "--to")
        if date_from > date_to:
            _fail(f"--from {date_from} sau --to {date_to}")
        units = None
        if options.get("unit"):
            unit = Unit.objects.filter(code=options["unit"].strip()).first()
            if unit is None:
                _fail(f"không có đơn vị mã {options['unit']!r}")
            units = [unit]
        code = (options.get("profile") or "").strip() or None
        try:
            rules = profile_rules(code)
        except LookupError:
            from motcua.reports.models import RuleProfile

            known = ", ".join(RuleProfile.objects.values_list("code", flat=True)) or "—"
            _fail(f"không có hồ sơ quy tắc {code!r}; các hồ sơ hiện có: {known}", 2)
            raise  # unreachable
        report = compute_ontime(date_from, date_to, units=units, rules=rules)
        if not report.identity_ok:
            # Data contradicting itself is not bad input: print the figures, warn on stderr.
            sys.stderr.write(
                f"cảnh báo: {report.unaccounted} hồ sơ không thuộc cột nào – "
                "đẳng thức (3) = (7) + (11) + rút/từ chối/dừng không thỏa; kiểm tra dữ liệu\n"
            )
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(_text_table(report))

    def handle_rebuild(self, options) -> None:
        import time

        from motcua.reports import daily

        started = time.perf_counter()
        if options["compact"]:
            removed, written = daily.compact()
            seconds = round(time.perf_counter() - started, 1)
            out = {"removed": removed, "written": written, "seconds": seconds}
            text = f"Đã gộp {removed} dòng số liệu theo ngày thành {written} dòng ({seconds} giây)."
        else:
            read = daily.rebuild()
            seconds = round(time.perf_counter() - started, 1)
            out = {"dossiers": read, "seconds": seconds}
            text = f"Đã tính lại số liệu theo ngày từ {read} hồ sơ ({seconds} giây)."
        self.stdout.write(json.dumps(out) if options["format"] == "json" else text)

    def handle_job(self, options) -> None:
        from django.utils import timezone

        from motcua.reports import jobs, tasks

        kind = options["report"]
        if kind == "monthly":
            last = _parse_month(options.get("month"), "--month") or jobs.previous_month(
                timezone.localdate()
            )
            first = _parse_month(options.get("from_month"), "--from-month") or last
            if first > last:
                _fail(f"--from-month {first:%Y-%m} sau --month {last:%Y-%m}")
            months = []
            while first <= last:
                months.append(first)
                first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            if options["enqueue"]:
                ids = [str(tasks.monthly_task.enqueue(m.isoformat()).id) for m in months]
                out = {"enqueued": ids}
            else:
                out = {"months": [m.strftime("%Y-%m") for m in months], "rows": 0}
                for m in months:
                    out["rows"] += jobs.monthly(m)
        else:
            task = tasks.remind_steps_task if kind == "remind" else tasks.escalate_overdue_task
            if options["enqueue"]:
                out = {"enqueued": [str(task.enqueue().id)]}
            else:
                fn = jobs.remind_steps if kind == "remind" else jobs.escalate_overdue
                out = vars(fn())
        if options["format"] == "json":
            self.stdout.write(json.dumps(out, ensure_ascii=False))
        else:
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in out.items()))


def _parse_month(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        year, month = (int(x) for x in value.strip().split("-"))
        return date(year, month, 1)
    except ValueError:
        _fail(f"{option} {value!r} không phải tháng hợp lệ dạng YYYY-MM, ví dụ 2023-05")
        raise  # unreachable
