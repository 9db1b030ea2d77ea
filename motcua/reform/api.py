"""/api/v1/reform/: published rankings (public), the cost calculator, the user's scorecards."""

from __future__ import annotations

from ninja import Router, Schema, Status
from ninja.errors import HttpError

from .choices import Block
from .cost import CostError, compare, parse_amount, yearly_cost
from .selectors import assessments_for_user, ranking

router = Router(tags=["reform"])


class ErrorOut(Schema):
    detail: str


class RankedUnit(Schema):
    rank: int | None
    unit_code: str
    unit_name: str
    total: float | None
    index_percent: float | None
    classification: str
    previous_rank: int | None
    previous_total: float | None


class RankedBlock(Schema):
    block: str
    units: list[RankedUnit]


class RankingOut(Schema):
    year: int
    blocks: list[RankedBlock]


class CostOut(Schema):
    cost_before: int
    cost_after: int
    saving: int
    reduction_percent: str


class AssessmentOut(Schema):
    id: int
    year: int
    block: str
    unit_code: str
    status: str


@router.get("/rankings/{year}", response={200: RankingOut, 404: ErrorOut}, auth=None)
def rankings(request, year: int, block: str | None = None):
    """The published ranking of a year (the same fields as `motcua reform rank --format json`)."""
    if block is not None and block not in Block.values:
        return Status(404, {"detail": "Không có khối này."})
    data = ranking(year, block)
    if not any(b["units"] for b in data["blocks"]):
        return Status(404, {"detail": f"Chưa có kết quả công bố cho năm {year}."})
    return Status(200, data)


@router.get("/cost", response={200: CostOut, 400: ErrorOut}, auth=None)
def cost(
    request,
    hours_before: str,
    hours_after: str,
    dossiers_per_year: str,
    hourly_income: str,
    fees: str = "0",
    other: str = "0",
):
    """Compliance cost before/after (Circular 02/2017): money in whole đồng, percent "33.33"."""
    try:
        values = {
            name: parse_amount(value, name)
            for name, value in (
                ("hours_before", hours_before),
                ("hours_after", hours_after),
                ("dossiers_per_year", dossiers_per_year),
                ("hourly_income", hourly_income),
                ("fees", fees),
                ("other", other),
            )
        }
    except CostError as exc:
        return Status(400, {"detail": str(exc)})
    common = {
        "hourly_income": values["hourly_income"],
        "dossiers_per_year": values["dossiers_per_year"],
        "fees": values["fees"],
        "other": values["other"],
    }
    result = compare(
        yearly_cost(hours=values["hours_before"], **common),
        yearly_cost(hours=values["hours_after"], **common),
    )
    return Status(200, result.as_json())


@router.get("/assessments", response=list[AssessmentOut])
def my_assessments(request):
    """Scorecards the caller may see (own units; the council: every submitted one)."""
    if not request.user.is_authenticated:
        raise HttpError(401, "Cần đăng nhập.")
    return [
        {
            "id": a.pk,
            "year": a.scheme.year,
            "block": a.scheme.block,
            "unit_code": a.unit.code,
            "status": a.status,
        }
        for a in assessments_for_user(request.user)
    ]
