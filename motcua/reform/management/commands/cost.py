"""`motcua cost --hours-before H --hours-after H --dossiers-per-year N --hourly-income R`."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandParser

from motcua.core.cli import install_one_line_errors
from motcua.reform.cost import CostError, compare, parse_amount, yearly_cost


class Command(BaseCommand):
    help = (
        "Compliance cost before and after a simplification (Circular 02/2017/TT-VPCP): yearly cost "
        "= (hours × hourly income + fees + other) × dossiers per year, in whole đồng (ROUND_HALF_UP). "
        'With --format json: {"cost_before", "cost_after", "saving"} as integers (đồng) and '
        '"reduction_percent" as a string with 2 decimals, e.g. "33.33".'
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        return install_one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours-before", required=True, help="hours per dossier before")
        parser.add_argument("--hours-after", required=True, help="hours per dossier after")
        parser.add_argument("--dossiers-per-year", required=True, help="dossiers per year")
        parser.add_argument("--hourly-income", required=True, help="income per hour (VND)")
        parser.add_argument("--fees", default="0", help="fees per dossier (VND), both phases")
        parser.add_argument("--other", default="0", help="other costs per dossier (VND)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        try:
            before = parse_amount(options["hours_before"], "--hours-before")
            after = parse_amount(options["hours_after"], "--hours-after")
            count = parse_amount(options["dossiers_per_year"], "--dossiers-per-year")
            hourly = parse_amount(options["hourly_income"], "--hourly-income")
            fees = parse_amount(options["fees"], "--fees")
            other = parse_amount(options["other"], "--other")
            if count != count.to_integral_value():
                raise CostError("--dossiers-per-year phải là số nguyên.")
        except CostError as exc:
            sys.stderr.write(f"lỗi: {exc}\n")
            sys.exit(1)
        common = {"hourly_income": hourly, "dossiers_per_year": count, "fees": fees, "other": other}
        result = compare(yearly_cost(hours=before, **common), yearly_cost(hours=after, **common))
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write("\n".join(result.lines()))
