"""Reads on reform data, restricted to what the user may see."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from motcua.orgs.choices import Role
from motcua.orgs.selectors import unit_ids_for

from .access import UNIT_READ_ROLES, is_evaluator
from .choices import AssessmentStatus, Block, SchemeStatus
from .models import Assessment, Result, Scheme

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser
    from motcua.orgs.models import Unit


def published_schemes() -> QuerySet[Scheme]:
    return Scheme.objects.filter(status=SchemeStatus.PUBLISHED)


def open_schemes() -> QuerySet[Scheme]:
    return Scheme.objects.filter(status=SchemeStatus.OPEN)


def assessments_for_user(user: AnyUser) -> QuerySet[Assessment]:
    """Own units' scorecards; for evaluators also every submitted or appraised one."""
    if not user.is_authenticated:
        return Assessment.objects.none()
    qs = Assessment.objects.select_related("scheme", "unit")
    own = unit_ids_for(user, *UNIT_READ_ROLES)
    if is_evaluator(user):
        from django.db.models import Q

        return qs.filter(Q(unit_id__in=own) | ~Q(status=AssessmentStatus.DRAFT))
    return qs.filter(unit_id__in=own)


def officer_units(user: AnyUser) -> QuerySet[Unit]:
    from motcua.orgs.models import Unit

    return Unit.objects.filter(pk__in=unit_ids_for(user, Role.REFORM_OFFICER))


def published_results(year: int, block: str) -> list[Result]:
    """A published table, best first, each result with `previous` (last year's result or None)."""
    results = list(
        Result.objects.filter(
            scheme__year=year, scheme__block=block, scheme__status=SchemeStatus.PUBLISHED
        )
        .select_related("unit")
        .order_by("rank", "-index_percent", "unit__name")
    )
    previous = {
        r.unit_id: r
        for r in Result.objects.filter(
            scheme__year=year - 1,
            scheme__block=block,
            scheme__status=SchemeStatus.PUBLISHED,
            unit_id__in=[r.unit_id for r in results],
        )
    }
    for r in results:
        # A per-request attribute, not a model field (the same for `previous` reads below).
        r.previous = previous.get(r.unit_id)  # type: ignore[attr-defined]
    return results


def block_count(year: int, block: str) -> int:
    return Result.objects.filter(scheme__year=year, scheme__block=block).count()


def _num(value: Decimal | None) -> float | None:
    """A JSON number; the float's shortest repr prints the Decimal's 2-decimal digits exactly."""
    return None if value is None else float(value)


def ranking(year: int, block: str | None = None) -> dict:
    """The ranking contract of `motcua reform rank` and GET /api/v1/reform/rankings/{year}."""
    blocks = [block] if block else [b for b in Block.values]
    out: dict[str, Any] = {"year": year, "blocks": []}
    for code in blocks:
        results = published_results(year, code)
        if not results and block is None:
            continue
        out["blocks"].append(
            {
                "block": code,
                "units": [
                    {
                        "rank": r.rank,
                        "unit_code": r.unit.code,
                        "unit_name": r.unit.name,
                        "total": _num(r.total),
                        "index_percent": _num(r.index_percent),
                        "classification": r.classification,
                        "previous_rank": r.previous.rank if r.previous else None,  # type: ignore[attr-defined]
                        "previous_total": _num(r.previous.total) if r.previous else None,  # type: ignore[attr-defined]
                    }
                    for r in results
                ],
            }
        )
    return out
