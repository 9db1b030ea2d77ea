"""Staff JSON API at /api/v1/dossiers/: worklist, dossier detail, transitions (session auth).

Same rules as the pages: staff see only their own units' dossiers; anything else answers 404;
a refused transition answers 400 with the reason and changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from motcua.audit.services import personal_data_access_record
from motcua.core.http import client_ip
from motcua.orgs.models import Membership, Unit
from motcua.orgs.selectors import roles_in, unit_ids_for
from motcua.procedures.models import Procedure

from . import workflow
from .access import get_dossier_for_user
from .choices import Channel
from .errors import DossierError
from .forms import WORKLIST_STATUSES
from .models import Dossier
from .selectors import DOSSIER_ROLES
from .services import dossier_transition
from .views import VIEW_PURPOSE, _due_info, worklist_queryset

router = Router(tags=["dossiers"], auth=django_auth)

MAX_LIMIT = 100


class ErrorOut(Schema):
    detail: str


class DossierRow(Schema):
    code: str
    status: int
    status_label: str
    channel: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    received_at: datetime | None
    due_at: datetime | None
    due_flag: str = Field(description="'due-overdue', 'due-today', 'due-early'… or ''")
    due_label: str
    current_step: str | None
    assignee: str | None
    supplement_requests: int = Field(0, description="supplements requested after reception")


class DossierList(Schema):
    count: int
    limit: int
    offset: int
    items: list[DossierRow]


class StepOut(Schema):
    order: int
    name: str
    role: str
    assignee: str | None
    started_at: datetime
    due_at: datetime | None
    finished_at: datetime | None


class DossierEventOut(Schema):
    at: datetime
    action: str
    from_status: int | None
    to_status: int | None
    actor: str | None
    note: str


class DossierDetail(DossierRow):
    applicant_id_type: str = Field(
        "", description="cccd, cmnd, passport, org_code, other; empty when no number"
    )
    applicant_id_number: str
    applicant_phone: str
    applicant_email: str
    applicant_address: str
    submitted_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    new_appointment_at: datetime | None
    allowed_actions: list[str]
    steps: list[StepOut]
    events: list[DossierEventOut]


class TransitionIn(Schema):
    action: str
    note: str = ""
    assignee: str | None = Field(None, description="username of the next step's assignee")
    to_unit: str | None = Field(None, description="electronic code of the coordinating agency")
    transfer_hours: float | None = None
    new_appointment: datetime | None = None
    confirm_late: bool = Field(
        False,
        description="confirm that a second supplement request after reception makes the "
        "dossier late nationally (required for that request)",
    )


class TransitionOut(Schema):
    code: str
    status: int
    status_label: str


def _staff(request) -> set[int]:
    units = unit_ids_for(request.user, *DOSSIER_ROLES)
    if not units:
        raise Http404
    return units


def _name(user) -> str | None:
    if user is None:
        return None
    from motcua.core.people import full_name

    return full_name(user)


def _row(dossier: Dossier, now: datetime) -> dict:
    info = _due_info(dossier, now)
    step = dossier.current_step
    open_step = step is not None and step.finished_at is None
    return {
        "code": dossier.code,
        "status": dossier.status,
        "status_label": str(dossier.get_status_display()),
        "channel": dossier.channel,
        "procedure_code": dossier.procedure.code,
        "procedure_name": dossier.procedure.name,
        "applicant_name": dossier.applicant_name,
        "received_at": dossier.received_at,
        "due_at": info.due_at,
        "due_flag": info.css,
        "due_label": str(info.label),
        "current_step": step.name if open_step else None,
        "assignee": _name(step.assignee) if open_step else None,
        "supplement_requests": dossier.supplement_requests,
    }


@router.get("/", response={200: DossierList, 400: ErrorOut, 404: ErrorOut})
def list_dossiers(
    request,
    status: int | None = None,
    procedure: str | None = None,
    channel: str | None = None,
    mine: bool = False,
    overdue: bool = False,
    q: str = "",
    limit: int = 25,
    offset: int = 0,
):
    """The worklist: open dossiers of the caller's units, due soonest first."""
    units = _staff(request)
    if status is not None and status not in WORKLIST_STATUSES:
        return Status(400, {"detail": _("Unknown or closed status.")})
    if channel and channel not in Channel.values:
        return Status(400, {"detail": _("Unknown channel.")})
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        return Status(
            400, {"detail": _("limit must be 1–%(max)d, offset ≥ 0.") % {"max": MAX_LIMIT}}
        )
    procedure_obj = None
    if procedure:
        procedure_obj = Procedure.objects.filter(code=procedure, unit_id__in=units).first()
        if procedure_obj is None:
            return Status(400, {"detail": _("Unknown procedure.")})
    now = timezone.now()
    queryset = worklist_queryset(
        request.user,
        now=now,
        status=status,
        procedure=procedure_obj,
        channel=channel or "",
        mine=mine,
        overdue=overdue,
        q=q[:100],
    )
    count = queryset.count()
    # An offset past the end is an empty page, never sent to the database: an offset beyond its
    # integers (found by schemathesis) would otherwise fail there as a 500.
    items = [_row(d, now) for d in queryset[offset : offset + limit]] if offset < count else []
    return {"count": count, "limit": limit, "offset": offset, "items": items}


def _detail(request, dossier: Dossier) -> dict:
    now = timezone.now()
    step = dossier.current_step
    step_role = step.role if step is not None and step.finished_at is None else None
    data = _row(dossier, now)
    data.update(
        applicant_id_type=dossier.applicant_id_type,
        applicant_id_number=dossier.applicant_id_number,
        applicant_phone=dossier.applicant_phone,
        applicant_email=dossier.applicant_email,
        applicant_address=dossier.applicant_address,
        submitted_at=dossier.submitted_at,
        finished_at=dossier.finished_at,
        returned_at=dossier.returned_at,
        new_appointment_at=dossier.new_appointment_at,
        allowed_actions=workflow.allowed_actions(
            dossier.status, roles_in(request.user, dossier.unit_id), step_role
        ),
        steps=[
            {
                "order": s.order,
                "name": s.name,
                "role": s.role,
                "assignee": _name(s.assignee),
                "started_at": s.started_at,
                "due_at": s.due_at,
                "finished_at": s.finished_at,
            }
            for s in dossier.steps.select_related("assignee").order_by("started_at", "id")
        ],
        events=[
            {
                "at": e.at,
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "actor": _name(e.actor),
                "note": e.note,
            }
            for e in dossier.events.select_related("actor").order_by("at", "id")
        ],
    )
    return data


@router.get("/{code}", response={200: DossierDetail, 404: ErrorOut})
def dossier_detail(request, code: str):
    """One dossier of the caller's units (404 otherwise); the view of personal data is logged."""
    _staff(request)
    dossier = get_dossier_for_user(request.user, code, staff_only=True)
    personal_data_access_record(
        actor=request.user, subject=dossier, purpose=VIEW_PURPOSE, ip=client_ip(request)
    )
    return _detail(request, dossier)


@router.post("/{code}/transition", response={200: TransitionOut, 400: ErrorOut, 404: ErrorOut})
def dossier_transition_api(request, code: str, payload: TransitionIn):
    """Apply one action of the state machine; 400 with the reason when it is refused."""
    _staff(request)
    dossier = get_dossier_for_user(request.user, code, staff_only=True)
    if payload.action not in workflow.Action.values:
        return Status(400, {"detail": _("Unknown action.")})
    kwargs: dict = {"note": payload.note.strip()[:2000]}
    if payload.assignee:
        assignee = (
            get_user_model()
            .objects.filter(
                username=payload.assignee,
                is_active=True,
                pk__in=Membership.objects.filter(unit_id=dossier.unit_id).values("user_id"),
            )
            .first()
        )
        if assignee is None:
            return Status(400, {"detail": _("The assignee is not a member of the dossier's unit.")})
        kwargs["assignee"] = assignee
    if payload.to_unit:
        unit = Unit.objects.filter(code=payload.to_unit).first()
        if unit is None:
            return Status(400, {"detail": _("Unknown coordinating agency.")})
        kwargs["to_unit"] = unit
    if payload.transfer_hours is not None:
        kwargs["transfer_hours"] = payload.transfer_hours
    if payload.new_appointment is not None:
        appointment = payload.new_appointment
        if timezone.is_naive(appointment):
            appointment = timezone.make_aware(appointment)
        kwargs["new_appointment"] = appointment
    if payload.confirm_late:
        kwargs["confirm_late"] = True
    try:
        updated = dossier_transition(
            actor=request.user, dossier_id=dossier.pk, action=payload.action, **kwargs
        )
    except DossierError as exc:
        return Status(400, {"detail": str(exc)})
    return {
        "code": updated.code,
        "status": updated.status,
        "status_label": str(updated.get_status_display()),
    }
