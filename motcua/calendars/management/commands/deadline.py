"""`motcua deadline START (--hours H | --days D) [--calendar NAME] [--format json]`."""

import json
import sys

from django.core.management.base import BaseCommand, CommandParser

from motcua.calendars.deadline import compute, parse_amount, parse_start
from motcua.core.cli import install_one_line_errors
from motcua.worktime import WorktimeError


class Command(BaseCommand):
    help = (
        "Print the due time after a processing time in working hours or working days, counted on a "
        "working calendar (default: hue) from START (ISO 8601; naive = Asia/Ho_Chi_Minh). "
        "Output: YYYY-MM-DDTHH:MM:SS+07:00, or with --format json "
        '{"start", "due", "working_minutes", "calendar"}.'
    )
    # A read-only calculation: system checks would import every view (PDF, Excel, API libraries)
    # and cost ~90 % of the run (issue 17); `motcua check` and CI run them.
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        return install_one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("start", help="reception time, e.g. 2025-03-10T10:00")
        amount = parser.add_mutually_exclusive_group(required=True)
        amount.add_argument("--hours", help="working hours (may be fractional: 1.5)")
        amount.add_argument("--days", help="working days (1 day = 8 working hours)")
        parser.add_argument("--calendar", default="hue", help="calendar name (default: hue)")
        parser.add_argument(
            "--end-of-day",
            action="store_true",
            help="due at the close of the Nth working day after the reception day",
        )
        parser.add_argument(
            "--same-day-cutoff",
            action="store_true",
            help="received after 15:00 counts from the next working morning (DOMAIN §4)",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        try:
            answer = compute(
                start=parse_start(options["start"]),
                hours=parse_amount(options["hours"], "giờ"),
                days=parse_amount(options["days"], "ngày"),
                calendar=options["calendar"],
                end_of_day=options["end_of_day"],
                same_day_cutoff=options["same_day_cutoff"],
            )
        except WorktimeError as exc:
            sys.stderr.write(f"lỗi: {exc}\n")
            sys.exit(1)
        if options["format"] == "json":
            self.stdout.write(json.dumps(answer.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(answer.due.isoformat())
