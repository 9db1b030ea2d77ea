"""Compliance-cost arithmetic (DOMAIN §9, Circular 02/2017/TT-VPCP standard cost model).

cost per dossier = Σ hours × income per hour + fees + other costs;
yearly cost = cost per dossier × dossiers per year; income per hour = monthly income / (22 × 8).
Everything in `Decimal`: the yearly costs are rounded to whole đồng (ROUND_HALF_UP) first, then
saving = before − after and reduction % = saving / before × 100 rounded to 2 decimals (ROUND_HALF_UP).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

WORKING_HOURS_PER_MONTH = Decimal(22 * 8)
ZERO = Decimal(0)


class CostError(ValueError):
    """Negative or non-numeric input."""


def parse_amount(value: object, name: str) -> Decimal:
    """A non-negative finite Decimal from text or a number, else CostError naming the input."""
    try:
        amount = Decimal(str(value).strip().replace(",", "")) if value is not None else None
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise CostError(f"{name} phải là một số (nhận được {value!r}).")
    if amount < 0:
        raise CostError(f"{name} không được âm (nhận được {value}).")
    return amount


def hourly_from_monthly(monthly: Decimal) -> Decimal:
    """Income per hour from a monthly income: monthly / (22 days × 8 hours), unrounded."""
    return monthly / WORKING_HOURS_PER_MONTH


def whole_dong(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def yearly_cost(
    *,
    hours: Iterable[Decimal] | Decimal,
    hourly_income: Decimal,
    dossiers_per_year: Decimal,
    fees: Decimal = ZERO,
    other: Decimal = ZERO,
) -> Decimal:
    """Yearly compliance cost in whole đồng."""
    total_hours = hours if isinstance(hours, Decimal) else sum(hours, ZERO)
    per_dossier = total_hours * hourly_income + fees + other
    return whole_dong(per_dossier * dossiers_per_year)


@dataclass(frozen=True)
class Comparison:
    cost_before: Decimal
    cost_after: Decimal
    saving: Decimal
    reduction_percent: Decimal

    def as_json(self) -> dict[str, object]:
        """Money as integers (whole đồng), the percent as a string with 2 decimals."""
        return {
            "cost_before": int(self.cost_before),
            "cost_after": int(self.cost_after),
            "saving": int(self.saving),
            "reduction_percent": f"{self.reduction_percent:.2f}",
        }

    def lines(self) -> list[str]:
        """The standard four-line wording of a simplification plan's cost."""
        return [
            f"Chi phí tuân thủ trước khi đơn giản hóa: {money(self.cost_before)} đồng/năm",
            f"Chi phí tuân thủ sau khi đơn giản hóa: {money(self.cost_after)} đồng/năm",
            f"Chi phí tiết kiệm: {money(self.saving)} đồng/năm",
            f"Tỷ lệ cắt giảm: {percent(self.reduction_percent)}%",
        ]


def compare(cost_before: Decimal, cost_after: Decimal) -> Comparison:
    """Saving and reduction % between two yearly costs (0 % when the cost before is 0)."""
    saving = cost_before - cost_after
    if cost_before > 0:
        reduction = (saving / cost_before * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    else:
        reduction = Decimal("0.00")
    return Comparison(cost_before, cost_after, saving, reduction)


def money(value: Decimal) -> str:
    """Vietnamese grouping: 37.200.000."""
    sign = "-" if value < 0 else ""
    return sign + f"{int(abs(value)):,}".replace(",", ".")


def percent(value: Decimal) -> str:
    """Vietnamese decimal comma: 33,33."""
    return f"{value:.2f}".replace(".", ",")
