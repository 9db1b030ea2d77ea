"""Simplification plans edited on a staff page: who may edit, reading amounts, the live figures, saving.

The figures come from `cost.yearly_cost` and `cost.compare`, called exactly as `plans.plan_report`
calls them (DOMAIN §9, Circular 02/2017/TT-VPCP), so the editor, the plan page and `motcua cost` agree.
Amounts are read as officials type them ("5.456.000", "5,456,000", "5456000", "1,5", "1.5":
`core.numbers.read_number`; negatives and non-numbers refused), then checked against the size of
the database columns.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.core.numbers import format_number, read_number
from motcua.procedures.models import Procedure

from .access import is_evaluator, officer_unit_ids
from .choices import Phase
from .cost import Comparison, compare, hourly_from_monthly, yearly_cost
from .models import CostActivity, CostSnapshot, SimplificationPlan

# The largest values the columns hold (models.MONEY: 16 digits with 2 decimals; CostActivity.hours:
# 9 digits with 2 decimals; PositiveIntegerField: 2^31 − 1 on every supported database).
MONEY_MAX = Decimal("99999999999999.99")
HOURS_MAX = Decimal("9999999.99")
DOSSIERS_MAX = Decimal(2**31 - 1)
CENT = Decimal("0.01")
MAX_ACTIVITIES = 50
PHASES = (Phase.BEFORE, Phase.AFTER)


# --- access ---------------------------------------------------------------------------------------
def may_edit_unit(user, unit_id: int) -> bool:
    """The unit's reform officers, and the province's appraisal council (and superusers)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return unit_id in officer_unit_ids(user) or is_evaluator(user)


def can_edit_plan(user, plan: SimplificationPlan) -> bool:
    """Whether the editor is open to the user; SimplificationPlan has no published/approved state."""
    return may_edit_unit(user, plan.procedure.unit_id)


def can_create_plans(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(officer_unit_ids(user)) or is_evaluator(user)


def editable_procedures(user) -> QuerySet[Procedure]:
    """Current procedures a new plan may be made for: the officer's units' own; all for the council."""
    qs = Procedure.objects.filter(active=True, is_historical=False).select_related("unit")
    if not can_create_plans(user):
        return qs.none()
    if is_evaluator(user):
        return qs.order_by("code")
    return qs.filter(unit_id__in=officer_unit_ids(user)).order_by("code")


def get_plan_for_edit(user, plan_id: int) -> SimplificationPlan:
    """The plan if the user may edit it, else 404 ("missing" and "not yours" alike)."""
    plan = (
        SimplificationPlan.objects.select_related("procedure", "procedure__unit")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None or not can_edit_plan(user, plan):
        raise Http404
    return plan


# --- reading amounts ------------------------------------------------------------------------------
class AmountError(ValueError):
    """An amount refused; `code` in {not_a_number, negative, comma, decimals, whole, too_large}."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


def read_amount(text: object, *, limit: Decimal, places: int = 2) -> Decimal:
    """A non-negative amount as officials type it, at most `places` decimals and `limit`."""
    # Issue 14: "5.456.000", "5,456,000", "5456000" and "1,5" / "1.5" are all read
    # (motcua.core.numbers.read_number); badly grouped text is refused, never guessed.
    raw = str(text).strip()
    amount = read_number(raw)
    if amount is None:
        raise AmountError("not_a_number")
    if amount < 0:
        raise AmountError("negative")
    exponent = amount.as_tuple().exponent
    written_places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if written_places > places:
        raise AmountError("whole" if places == 0 else "decimals", places=places)
    if amount > limit:
        raise AmountError("too_large", max=format_number(limit))
    return amount + 0  # -0 → 0


# --- the plan as entered --------------------------------------------------------------------------
@dataclass(frozen=True)
class ActivityInput:
    name: str
    hours: Decimal


@dataclass(frozen=True)
class PhaseInput:
    fees: Decimal = Decimal(0)
    other_costs: Decimal = Decimal(0)
    activities: tuple[ActivityInput, ...] = ()

    @property
    def hours(self) -> Decimal:
        return sum((a.hours for a in self.activities), Decimal(0))


@dataclass(frozen=True)
class PlanInput:
    """Everything the editor saves; `monthly_income` is kept for the audit when it was entered."""

    year: int
    title: str
    hourly_income: Decimal
    income_source: str
    dossiers_per_year: int
    dossiers_source: str
    phases: dict[str, PhaseInput] = field(default_factory=dict)
    monthly_income: Decimal | None = None

    def phase(self, phase: str) -> PhaseInput:
        return self.phases.get(phase) or PhaseInput()


def hourly_income_from(amount: Decimal, per: str) -> Decimal:
    """Income per hour as stored (2 decimals, half up): as entered, or monthly / (22 × 8)."""
    hourly = hourly_from_monthly(amount) if per == "month" else amount
    return hourly.quantize(CENT, rounding=ROUND_HALF_UP)


class FiguresTooLarge(ValueError):
    """The yearly cost does not fit Decimal's default precision (28 digits)."""


def comparison_of(data: PlanInput) -> Comparison:
    """Cost before, after, saving and reduction %: the same calls as `plans.plan_report`."""
    costs = {}
    try:
        for phase in PHASES:
            snap = data.phase(phase)
            costs[phase] = yearly_cost(
                hours=snap.hours,
                hourly_income=data.hourly_income,
                dossiers_per_year=Decimal(data.dossiers_per_year),
                fees=snap.fees,
                other=snap.other_costs,
            )
    except (InvalidOperation, ArithmeticError) as exc:
        raise FiguresTooLarge from exc
    return compare(costs[Phase.BEFORE], costs[Phase.AFTER])


# --- state for the audit trail and for spotting concurrent edits -----------------------------------
def _dec(value: Decimal) -> str:
    return f"{Decimal(value).quantize(CENT)}"


def _phase_state(fees, other, activities) -> dict:
    return {
        "fees": _dec(fees),
        "other_costs": _dec(other),
        "activities": [{"name": name, "hours": _dec(hours)} for name, hours in activities],
    }


def input_state(procedure: Procedure, data: PlanInput) -> dict:
    """The values a save writes, in the shape of `plan_state`."""
    return {
        "procedure": procedure.code,
        "year": data.year,
        "title": data.title,
        "hourly_income": _dec(data.hourly_income),
        "income_source": data.income_source,
        "dossiers_per_year": data.dossiers_per_year,
        "dossiers_source": data.dossiers_source,
        **{
            phase: _phase_state(
                data.phase(phase).fees,
                data.phase(phase).other_costs,
                [(a.name, a.hours) for a in data.phase(phase).activities],
            )
            for phase in PHASES
        },
    }


def plan_state(plan: SimplificationPlan) -> dict:
    """A plan's stored values (two queries: snapshots, activities)."""
    snapshots = {s.phase: s for s in plan.snapshots.prefetch_related("activities")}
    state = {
        "procedure": plan.procedure.code,
        "year": plan.year,
        "title": plan.title,
        "hourly_income": _dec(plan.hourly_income),
        "income_source": plan.income_source,
        "dossiers_per_year": plan.dossiers_per_year,
        "dossiers_source": plan.dossiers_source,
    }
    for phase in PHASES:
        snap = snapshots.get(phase)
        state[phase] = (
            _phase_state(
                snap.fees, snap.other_costs, [(a.name, a.hours) for a in snap.activities.all()]
            )
            if snap
            else _phase_state(0, 0, [])
        )
    return state


def plan_input_from_state(state: dict) -> PlanInput:
    """The editor's starting values for a stored plan."""
    return PlanInput(
        year=state["year"],
        title=state["title"],
        hourly_income=Decimal(state["hourly_income"]),
        income_source=state["income_source"],
        dossiers_per_year=state["dossiers_per_year"],
        dossiers_source=state["dossiers_source"],
        phases={
            phase: PhaseInput(
                fees=Decimal(state[phase]["fees"]),
                other_costs=Decimal(state[phase]["other_costs"]),
                activities=tuple(
                    ActivityInput(a["name"], Decimal(a["hours"]))
                    for a in state[phase]["activities"]
                ),
            )
            for phase in PHASES
        },
    )


def fingerprint(state: dict) -> str:
    """A short digest of a plan's values; the editor sends back the one it started from."""
    text = json.dumps(state, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# --- saving ---------------------------------------------------------------------------------------
class CostPlanError(Exception):
    """A refused save; the message is for the user (translated)."""


class PlanChanged(CostPlanError):
    """Someone saved the plan after the editor was opened; `state` is what is stored now."""

    def __init__(self, message: str, state: dict):
        super().__init__(message)
        self.state = state


def plan_save(
    *,
    actor,
    data: PlanInput,
    plan_id: int | None = None,
    procedure_id: int | None = None,
    expected: str | None = None,
) -> SimplificationPlan:
    """Create a plan (procedure_id) or replace an existing one's values and both snapshots (plan_id).

    All or nothing; one audit event with the values before and after. `expected` is the fingerprint
    the editor started from: when the stored plan no longer matches it, nothing is saved.
    """
    for phase in PHASES:
        if len(data.phase(phase).activities) > MAX_ACTIVITIES:
            raise CostPlanError(_("At most %(n)s activities per phase.") % {"n": MAX_ACTIVITIES})
    try:
        comparison = comparison_of(data)
    except FiguresTooLarge:
        raise CostPlanError(
            _("The figures are too large: the yearly cost cannot be computed.")
        ) from None
    with transaction.atomic():
        if plan_id is not None:
            plan = (
                SimplificationPlan.objects.select_for_update()
                .select_related("procedure", "procedure__unit")
                .filter(pk=plan_id)
                .first()
            )
            if plan is None or not can_edit_plan(actor, plan):
                raise Http404
            before = plan_state(plan)
            if expected is not None and fingerprint(before) != expected:
                raise PlanChanged(
                    _(
                        "Someone else saved this plan after you opened it, so nothing was saved. "
                        "Your entries are kept below: compare them with the plan page, then save "
                        "again to replace that version."
                    ),
                    before,
                )
            procedure = plan.procedure
            action = "reform.cost_plan_update"
        else:
            chosen = (
                editable_procedures(actor).filter(pk=procedure_id).first()
                if procedure_id is not None
                else None
            )
            if chosen is None:
                raise Http404
            procedure = chosen
            plan = SimplificationPlan(procedure=procedure)
            before = None
            action = "reform.cost_plan_create"
        plan.year = data.year
        plan.title = data.title
        plan.hourly_income = data.hourly_income
        plan.income_source = data.income_source
        plan.dossiers_per_year = data.dossiers_per_year
        plan.dossiers_source = data.dossiers_source
        plan.save()
        existing = {s.phase: s for s in CostSnapshot.objects.filter(plan=plan)}
        for phase in PHASES:
            entered = data.phase(phase)
            snapshot = existing.get(phase) or CostSnapshot(plan=plan, phase=phase)
            snapshot.fees = entered.fees
            snapshot.other_costs = entered.other_costs
            snapshot.save()
            CostActivity.objects.filter(snapshot=snapshot).delete()
            CostActivity.objects.bulk_create(
                CostActivity(snapshot=snapshot, order=order, name=a.name, hours=a.hours)
                for order, a in enumerate(entered.activities, start=1)
            )
        record: dict[str, object] = {
            "before": before,
            "after": input_state(procedure, data),
            "cost": comparison.as_json(),
        }
        if data.monthly_income is not None:
            record["monthly_income"] = _dec(data.monthly_income)
        audit_record(actor=actor, action=action, obj=plan, data=record)
        return plan
