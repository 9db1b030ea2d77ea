"""Staff pages that create and edit a simplification plan and its before/after cost snapshots.

Thin: access and saving are in `cost_plans`, the forms in `forms_cost`, the arithmetic in `cost`.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import cost_plans
from .cost import money, percent
from .forms_cost import PlanEditor, plain
from .models import HourlyIncome
from .views import staff_view

ACTIONS = {"preview", "save", "add-before", "add-after"}


def _figures(data: cost_plans.PlanInput, comparison) -> dict[str, str]:
    """The live result, formatted like the plan page (cost.money, cost.percent)."""
    return {
        "cost_before": money(comparison.cost_before),
        "cost_after": money(comparison.cost_after),
        "saving": money(comparison.saving),
        "reduction_percent": percent(comparison.reduction_percent),
        "hourly_income": plain(data.hourly_income),
        "hours_before": plain(data.phase("before").hours),
        "hours_after": plain(data.phase("after").hours),
    }


def _result(editor: PlanEditor, data: cost_plans.PlanInput | None = None):
    """Figures of the entered plan, or None while something is invalid."""
    if data is None:
        if not editor.is_valid():
            return None
        data = editor.to_input()
    try:
        return _figures(data, cost_plans.comparison_of(data))
    except cost_plans.FiguresTooLarge:
        editor.add_error(_("The figures are too large: the yearly cost cannot be computed."))
        return None


def _editor_page(request, *, plan=None):
    user = request.user
    procedures = None if plan else cost_plans.editable_procedures(user)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action not in ACTIONS:
            action = "preview"
        add = action[4:] if action.startswith("add-") else None
        editor = PlanEditor(request.POST, procedures=procedures, add=add)
        result = _result(editor)
        if action == "save":
            if result is not None:
                data = editor.to_input()
                try:
                    saved = cost_plans.plan_save(
                        actor=user,
                        data=data,
                        plan_id=plan.pk if plan else None,
                        procedure_id=None if plan else editor.plan.cleaned_data["procedure"].pk,
                        expected=(editor.plan.cleaned_data["state"] or None) if plan else None,
                    )
                except cost_plans.PlanChanged as exc:
                    posted = request.POST.copy()
                    posted["state"] = cost_plans.fingerprint(exc.state)
                    editor = PlanEditor(posted, procedures=procedures)
                    result = _result(editor)
                    editor.add_error(str(exc))
                    status = 409
                except cost_plans.CostPlanError as exc:
                    editor.add_error(str(exc))
                    status = 400
                else:
                    messages.success(request, _("The simplification plan was saved."))
                    return redirect("reform:plan", saved.pk)
            else:
                status = 400
        show_errors = not add
    else:
        show_errors = False
        if plan is not None:
            state = cost_plans.plan_state(plan)
            initial = cost_plans.plan_input_from_state(state)
            editor = PlanEditor(
                initial=initial, initial_extra={"state": cost_plans.fingerprint(state)}
            )
            result = _result(editor, initial)
        else:
            extra: dict[str, object] = {"year": _this_year()}
            chosen = request.GET.get("procedure", "")
            if chosen.isdigit():
                extra["procedure"] = int(chosen)
            income = HourlyIncome.objects.first()  # newest year first
            if income is not None:
                extra.update(
                    income=income.monthly_income,
                    income_per="month",
                    income_source=income.source,
                )
            editor = PlanEditor(procedures=procedures, initial_extra=extra)
            result = None
    return render(
        request,
        "reform/cost_editor.html",
        {
            "plan": plan,
            "editor": editor,
            "result": result,
            "show_errors": show_errors,
            "errors": editor.error_summary() if show_errors else [],
            "attempted_save": request.method == "POST" and status != 200,
        },
        status=status,
    )


def _this_year() -> int:
    return timezone.localdate().year


@require_http_methods(["GET", "POST"])
@staff_view
def plan_new(request):
    """A new plan for one of the procedures the user may plan for."""
    if not cost_plans.can_create_plans(request.user):
        raise Http404
    return _editor_page(request)


@require_http_methods(["GET", "POST"])
@staff_view
def plan_edit(request, plan_id: int):
    """Edit a plan's values and its before/after activities, fees and other costs."""
    plan = cost_plans.get_plan_for_edit(request.user, plan_id)
    return _editor_page(request, plan=plan)
