"""Who may do what with reform scorecards; 404 for "missing" and "not yours" alike.

- a unit's reform officer: reads and edits the unit's own self-assessment (until it is submitted);
- the unit's leader and auditor: read the unit's scorecard;
- evaluators (the appraisal council of the Department of Home Affairs) and superusers: read submitted
  scorecards, appraise them, enter survey scores and publish; they never edit a unit's evidence;
- everyone, anonymous included: the published tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from motcua.orgs.choices import Role
from motcua.orgs.selectors import unit_ids_for

from .choices import AssessmentStatus
from .models import Assessment, Evidence, SimplificationPlan

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser

UNIT_READ_ROLES = (Role.REFORM_OFFICER, Role.LEADER, Role.AUDITOR)


def is_evaluator(user: AnyUser) -> bool:
    """A member of the appraisal council (any unit) or a superuser."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or unit_ids_for(user, Role.EVALUATOR))


def officer_unit_ids(user: AnyUser) -> set[int]:
    return unit_ids_for(user, Role.REFORM_OFFICER)


def can_view_assessment(user: AnyUser, assessment: Assessment) -> bool:
    if assessment.unit_id in unit_ids_for(user, *UNIT_READ_ROLES):
        return True
    return is_evaluator(user) and assessment.status != AssessmentStatus.DRAFT


def get_assessment_for_user(user: AnyUser, assessment_id: int, action: str = "view") -> Assessment:
    """The scorecard for `action` in {view, self_edit, appraise}, else 404."""
    assessment = (
        Assessment.objects.select_related("scheme", "unit").filter(pk=assessment_id).first()
    )
    if assessment is None or not user.is_authenticated:
        raise Http404
    if action == "view":
        allowed = can_view_assessment(user, assessment)
    elif action == "self_edit":
        allowed = assessment.unit_id in officer_unit_ids(user)
    elif action == "appraise":
        allowed = is_evaluator(user) and assessment.status != AssessmentStatus.DRAFT
    else:  # pragma: no cover - programming error
        raise ValueError(action)
    if not allowed:
        raise Http404
    return assessment


def get_evidence_for_user(user: AnyUser, assessment_id: int, evidence_id: int) -> Evidence:
    assessment = get_assessment_for_user(user, assessment_id, "view")
    evidence = Evidence.objects.filter(pk=evidence_id, score__assessment=assessment).first()
    if evidence is None:
        raise Http404
    return evidence


def plans_for_user(user: AnyUser) -> QuerySet[SimplificationPlan]:
    """Simplification plans of the user's units' procedures; all of them for evaluators."""
    if not user.is_authenticated:
        return SimplificationPlan.objects.none()
    qs = SimplificationPlan.objects.select_related("procedure", "procedure__unit")
    if is_evaluator(user) or user.is_staff:
        return qs
    return qs.filter(procedure__unit_id__in=unit_ids_for(user))


def get_plan_for_user(user: AnyUser, plan_id: int) -> SimplificationPlan:
    plan = plans_for_user(user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    return plan
