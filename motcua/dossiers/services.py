"""Writes on dossiers. Every transition goes through `_transition`, which consults the table in
`workflow.py`, locks the row, and records one timeline event and one audit event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.audit.services import audit_record
from motcua.integrations.dvcqg import outbox as dvcqg_outbox
from motcua.orgs.models import Unit
from motcua.orgs.selectors import roles_in
from motcua.procedures.choices import SupplementMode
from motcua.procedures.deadlines import calendar_for, procedure_due
from motcua.procedures.models import Procedure, ProcedureStep

from . import marks
from .choices import Channel, ResultDelivery, Status
from .codes import next_dossier_code
from .errors import DossierError
from .models import Dossier, DossierDocument, DossierEvent, DossierStep, Transfer
from .registers import next_register_entry
from .workflow import APPLICANT, STEP_BOUND, Action, rule_for

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser, User

# Decree 118/2025 applies to dossiers received from 1 July 2025 (DOMAIN §3).
RULE_SWITCH = datetime(2025, 7, 1).date()
#: Working hours a clerk has to accept or return an online submission (DOMAIN §4, practice).
ONLINE_INTAKE_HOURS = 8


def rule_version_for(received: datetime) -> str:
    return "118/2025" if timezone.localdate(received) >= RULE_SWITCH else "61/2018"


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str = ""
    # DOMAIN §12: the document type (motcua.core.identity.IdType); empty with a number = guessed
    # by its shape (12 digits CCCD, 9 digits CMND, otherwise "other").
    id_type: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class DocumentLine:
    name: str
    form: str
    count: int = 1


#: Called after commit with (dossier id, event id) whenever a dossier's status changes; the
#: notifications app registers itself here (explicit, instead of a model signal).
status_listeners: list[Callable[[int, int], None]] = []
#: Actions that tell the applicant something although the status does not change: the apology
#: and new appointment (DOMAIN §4: the citizen is notified, with form 04 attached).
NOTIFY_WITHOUT_STATUS_CHANGE = frozenset({Action.APOLOGISE})


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _log(
    dossier: Dossier,
    *,
    actor: AnyUser | None,
    action: str,
    at: datetime,
    before: int | None,
    note: str = "",
    public: bool = True,
    data: dict[str, Any] | None = None,
) -> None:
    event = DossierEvent.objects.create(
        dossier=dossier,
        at=at,
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        from_status=before,
        to_status=dossier.status,
        note=note,
        public=public,
    )
    if public and (before != dossier.status or action in NOTIFY_WITHOUT_STATUS_CHANGE):
        for listener in status_listeners:
            # A def rather than a lambda so the bound listener has a type; on_commit(robust=True)
            # logs the callback's __qualname__, which functools.partial would not have.
            def notify(listener: Callable[[int, int], None] = listener) -> None:
                listener(dossier.pk, event.pk)

            transaction.on_commit(notify, robust=True)
    audit_record(
        actor=actor,
        action=f"dossier.{action}",
        obj=dossier,
        from_state=str(before or ""),
        to_state=str(dossier.status),
        note=note,
        data=data,
    )
    dvcqg_outbox.enqueue_dossier(dossier, reason=action)  # same transaction (issue 12)


def _check_applicant(applicant: Applicant) -> tuple[str, str]:
    """Refuse a bad applicant; returns the identity (type, normalised number) to store."""
    from motcua.core.validators import validate_identity_guessing, validate_phone

    if not applicant.name.strip():
        raise DossierError(_("The applicant's name is required."))
    identity = validate_identity_guessing(applicant.id_type, applicant.id_number)
    if not identity.ok:
        raise DossierError("; ".join(str(e) for e in identity.errors))
    if applicant.phone and not validate_phone(applicant.phone).ok:
        raise DossierError(_("The phone number is not valid."))
    return identity.id_type, identity.value


def _procedure_steps(procedure: Procedure) -> list[ProcedureStep]:
    return list(procedure.steps.order_by("order"))


def _start_step(
    dossier: Dossier, step: ProcedureStep, at: datetime, assignee: User | None = None
) -> DossierStep:
    cal = calendar_for(dossier.procedure)
    row = DossierStep.objects.create(
        dossier=dossier,
        order=step.order,
        name=step.name,
        role=step.role,
        unit=dossier.unit,
        assignee=assignee,
        started_at=at,
        due_at=cal.add(at, minutes=int(step.budget_hours * 60)),
    )
    dossier.current_step = row
    return row


def _finish_current_step(dossier: Dossier, at: datetime) -> DossierStep | None:
    step = dossier.current_step
    if step is not None and step.finished_at is None:
        step.finished_at = at
        step.save(update_fields=["finished_at"])
    return step


def _require_role(actor: AnyUser, dossier: Dossier, action: str) -> None:
    """Deny by default: the table's roles, held in the dossier's own unit."""
    rule = rule_for(action, dossier.status)
    if rule is None:
        raise DossierError(
            _("This action is not possible while the dossier is “%(status)s”.")
            % {"status": dossier.get_status_display()}
        )
    held = set(roles_in(actor, dossier.unit_id))
    if actor is not None and actor.is_authenticated and dossier.applicant_user_id == actor.pk:
        held.add(APPLICANT)
    if not (rule.roles & held):
        raise DossierError(_("You are not allowed to do this on this dossier."))
    if action in STEP_BOUND and dossier.current_step and dossier.current_step.role not in held:
        raise DossierError(_("This step belongs to another role."))


def _locked(dossier_id: int) -> Dossier:
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "unit", "current_step")
        .get(pk=dossier_id)
    )


# --- intake ------------------------------------------------------------------------------------
@transaction.atomic
def dossier_receive(
    *,
    actor: User,
    procedure: Procedure,
    applicant: Applicant,
    channel: str = Channel.COUNTER,
    documents: Iterable[DocumentLine] = (),
    sets_count: int = 1,
    result_delivery: str = ResultDelivery.DESK,
    received_at: datetime | None = None,
    submitted_at: datetime | None = None,
    unit: Unit | None = None,
) -> Dossier:
    """Receive a complete dossier at the counter or by post: code, receipt, deadline (form 01)."""
    unit = unit or procedure.unit
    if "intake_clerk" not in roles_in(actor, unit.pk):
        raise DossierError(_("Only an intake clerk of the unit can receive dossiers."))
    if channel not in (Channel.COUNTER, Channel.POST):
        raise DossierError(_("Online dossiers are submitted by the applicant, then accepted."))
    if not procedure.active:
        raise DossierError(_("This procedure is no longer accepted."))
    id_type, id_number = _check_applicant(applicant)
    at = _now(received_at)
    code, _number = next_dossier_code(unit.code, timezone.localdate(at))
    # DOMAIN §5: the register entry comes from the book of the unit and year, not the day.
    book, entry = next_register_entry(unit.pk, at)
    due = procedure_due(procedure, at)
    dossier = Dossier.objects.create(
        code=code,
        register_book=book,
        register_number=entry,
        procedure=procedure,
        unit=unit,
        channel=channel,
        status=Status.RECEIVED,
        rule_version=rule_version_for(at),
        applicant_name=applicant.name.strip(),
        applicant_id_type=id_type,
        applicant_id_number=id_number,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        sets_count=sets_count,
        result_delivery=result_delivery,
        submitted_at=submitted_at or at,
        received_at=at,
        due_at=due,
        initial_due_at=due,
    )
    DossierDocument.objects.bulk_create(
        DossierDocument(dossier=dossier, name=d.name, form=d.form, count=d.count) for d in documents
    )
    steps = _procedure_steps(procedure)
    if steps:
        _start_step(dossier, steps[0], at, assignee=actor)
        dossier.save(update_fields=["current_step"])
    _log(dossier, actor=actor, action="receive", at=at, before=None)
    return dossier


@transaction.atomic
def dossier_submit_online(
    *,
    actor: AnyUser | None,
    procedure: Procedure,
    applicant: Applicant,
    documents: Iterable[DocumentLine] = (),
    result_delivery: str = ResultDelivery.ONLINE,
    submitted_at: datetime | None = None,
) -> Dossier:
    """An online submission (status 1): coded now, received when a clerk accepts it.

    The clerk must accept or return it within 8 working hours (DOMAIN §4, practice).
    """
    if not procedure.active or procedure.online_level == "none":
        raise DossierError(_("This procedure cannot be submitted online."))
    id_type, id_number = _check_applicant(applicant)
    at = _now(submitted_at)
    code, _number = next_dossier_code(procedure.unit.code, timezone.localdate(at))
    cal = calendar_for(procedure)
    # Not in the register yet: the entry is taken when a clerk accepts it (_accept).
    dossier = Dossier.objects.create(
        code=code,
        procedure=procedure,
        unit=procedure.unit,
        channel=Channel.ONLINE,
        status=Status.SUBMITTED_ONLINE,
        rule_version=rule_version_for(at),
        applicant_name=applicant.name.strip(),
        applicant_id_type=id_type,
        applicant_id_number=id_number,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        applicant_user=actor if actor is not None and actor.is_authenticated else None,
        # DOMAIN §7, 4.5: submitted from a VNeID-verified account (motcua.dossiers.marks).
        vneid_verified=marks.is_vneid_verified(actor),
        result_delivery=result_delivery,
        submitted_at=at,
        intake_due_at=cal.add(at, hours=ONLINE_INTAKE_HOURS),
    )
    DossierDocument.objects.bulk_create(
        DossierDocument(dossier=dossier, name=d.name, form=d.form, count=d.count) for d in documents
    )
    _log(dossier, actor=actor, action="submit_online", at=at, before=None)
    return dossier


@transaction.atomic
def dossier_refuse_at_counter(
    *,
    actor: User,
    procedure: Procedure,
    applicant: Applicant,
    reasons: str,
    refused_at: datetime | None = None,
    unit: Unit | None = None,
) -> Dossier:
    """Refuse a walk-in applicant at the counter: form 03, kept in the register (DOMAIN §4).

    No dossier is processed: the row (status 3, never received, so `received_at` is empty and
    it is left out of every statistic) exists to carry the code, the register entry and the
    reasons printed on form 03.
    """
    unit = unit or procedure.unit
    if "intake_clerk" not in roles_in(actor, unit.pk):
        raise DossierError(_("Only an intake clerk of the unit can refuse at the counter."))
    _needs_note(reasons, _("refuse a dossier"))
    _check_applicant(applicant)
    at = _now(refused_at)
    code, _number = next_dossier_code(unit.code, timezone.localdate(at))
    book, entry = next_register_entry(unit.pk, at)
    dossier = Dossier.objects.create(
        code=code,
        register_book=book,
        register_number=entry,
        procedure=procedure,
        unit=unit,
        channel=Channel.COUNTER,
        status=Status.REFUSED,
        rule_version=rule_version_for(at),
        applicant_name=applicant.name.strip(),
        applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        submitted_at=at,
        closed_at=at,
        closing_reason=reasons.strip(),
    )
    _log(dossier, actor=actor, action="refuse_at_counter", at=at, before=None, note=reasons)
    return dossier


def _accept(dossier: Dossier, at: datetime) -> None:
    """Reception of a dossier that arrived online: the legal clock starts now (DOMAIN §4)."""
    dossier.received_at = at
    dossier.rule_version = rule_version_for(at)
    dossier.due_at = dossier.initial_due_at = procedure_due(dossier.procedure, at)
    if dossier.register_book_id is None:
        dossier.register_book, dossier.register_number = next_register_entry(dossier.unit_id, at)
    steps = _procedure_steps(dossier.procedure)
    if steps:
        _start_step(dossier, steps[0], at)


# --- transitions -------------------------------------------------------------------------------
@transaction.atomic
def dossier_transition(
    *,
    actor: AnyUser,
    dossier_id: int,
    action: str,
    note: str = "",
    at: datetime | None = None,
    assignee: User | None = None,
    to_unit: Unit | None = None,
    transfer_hours: float | None = None,
    new_appointment: datetime | None = None,
    confirm_late: bool = False,
) -> Dossier:
    """Apply one action of the state machine to a dossier, or change nothing and say why.

    `confirm_late`: the officer confirmed the warning that a second supplement request after
    reception makes the dossier late nationally (DOMAIN §4, §7 2.1).
    """
    dossier = _locked(dossier_id)
    _require_role(actor, dossier, action)
    rule = rule_for(action, dossier.status)
    assert rule is not None  # checked by _require_role
    at = _now(at)
    before = dossier.status
    handler = _HANDLERS[action]
    handler(
        dossier,
        at=at,
        note=note,
        assignee=assignee,
        to_unit=to_unit,
        transfer_hours=transfer_hours,
        new_appointment=new_appointment,
        confirm_late=confirm_late,
    )
    if rule.target is not None and dossier.status == before:
        dossier.status = rule.target
    dossier.save()
    _log(dossier, actor=actor, action=action, at=at, before=before, note=note)
    return dossier


def _needs_note(note: str, what: str) -> None:
    if not note.strip():
        raise DossierError(_("A reason is required to %(what)s.") % {"what": what})


def _h_accept(d: Dossier, *, at: datetime, **_kw: object) -> None:
    _accept(d, at)


def _h_refuse(d: Dossier, *, at: datetime, note: str, **_kw: object) -> None:
    # Before reception (online intake) or, by the leader, after reception when appraisal finds
    # the dossier ineligible (DOMAIN §4): form 03 with the reasons; received_at is kept.
    _needs_note(note, _("refuse a dossier"))
    if d.received_at is not None:
        _finish_current_step(d, at)
    d.closed_at, d.closing_reason = at, note


#: The warning an officer confirms before a second supplement request (DOMAIN §4, §7 2.1).
SECOND_SUPPLEMENT_WARNING = gettext_lazy(
    "A supplement was already requested for this dossier after reception. The national index "
    "counts a dossier whose supplement was requested more than once as late. Confirm the "
    "warning to request it again."
)


def _h_request_supplement(
    d: Dossier, *, at: datetime, note: str, confirm_late: bool = False, **_kw: object
) -> None:
    _needs_note(note, _("request a supplement"))
    if d.received_at is None:
        return  # before reception: no deadline runs yet, nothing counted (DOMAIN §4)
    if d.supplement_requests >= 1 and not confirm_late:
        raise DossierError(str(SECOND_SUPPLEMENT_WARNING))
    d.supplement_requests += 1
    d.supplement_requested_at, d.supplement_completed_at = at, None
    if d.procedure.supplement_mode == SupplementMode.PAUSE:
        d.clock_paused_at = at


def _h_supplement_received(d: Dossier, *, at: datetime, **_kw: object) -> None:
    if d.received_at is None:
        # Completed before reception: it is received now and its clock starts now.
        _accept(d, at)
        d.status = Status.RECEIVED
        return
    cal = calendar_for(d.procedure)
    d.supplement_completed_at = at
    if d.procedure.supplement_mode == SupplementMode.PAUSE and d.clock_paused_at is not None:
        # Pause mode: shift the due time by the working time spent waiting.
        waited = max(0, cal.working_minutes(d.clock_paused_at, at))
        assert d.due_at is not None  # set together with received_at by _accept
        d.due_at = cal.add(d.due_at, minutes=waited)
        if d.current_step and d.current_step.due_at:
            d.current_step.due_at = cal.add(d.current_step.due_at, minutes=waited)
            d.current_step.save(update_fields=["due_at"])
        d.clock_paused_at = None
    else:
        # DOMAIN §4: by law the time limit restarts from zero once the dossier is complete.
        d.due_at = procedure_due(d.procedure, at)


def _next_step(d: Dossier, offset: int) -> ProcedureStep | None:
    steps = _procedure_steps(d.procedure)
    if not steps:
        return None
    order = d.current_step.order if d.current_step else steps[0].order
    orders = [s.order for s in steps]
    idx = orders.index(order) + offset if order in orders else -1
    return steps[idx] if 0 <= idx < len(steps) else None


def _h_forward(d: Dossier, *, at: datetime, assignee: User | None, **_kw: object) -> None:
    step = _next_step(d, +1)
    if step is None:
        raise DossierError(_("There is no next step; mark the result as ready instead."))
    _finish_current_step(d, at)
    _start_step(d, step, at, assignee=assignee)


def _h_return_step(
    d: Dossier, *, at: datetime, note: str, assignee: User | None, **_kw: object
) -> None:
    _needs_note(note, _("return the dossier to the previous step"))
    step = _next_step(d, -1)
    if step is None:
        raise DossierError(_("There is no previous step."))
    _finish_current_step(d, at)
    _start_step(d, step, at, assignee=assignee)


def _h_transfer(
    d: Dossier,
    *,
    at: datetime,
    note: str,
    to_unit: Unit | None,
    transfer_hours: float | None,
    **_kw: object,
) -> None:
    if to_unit is None or to_unit.pk == d.unit_id:
        raise DossierError(_("Choose the coordinating agency."))
    if transfer_hours is None or transfer_hours <= 0:
        raise DossierError(_("Give the coordinating agency's time slot in working hours."))
    if d.transfers.filter(returned_at__isnull=True).exists():
        raise DossierError(_("The dossier is already with a coordinating agency."))
    cal = calendar_for(d.procedure)
    Transfer.objects.create(
        dossier=d,
        to_unit=to_unit,
        sent_at=at,
        note=note,
        due_at=cal.add(at, minutes=round(transfer_hours * 60)),
    )


def _h_transfer_back(d: Dossier, *, at: datetime, **_kw: object) -> None:
    open_transfer = d.transfers.filter(returned_at__isnull=True).first()
    if open_transfer is None:
        raise DossierError(_("The dossier is not with a coordinating agency."))
    open_transfer.returned_at = at
    open_transfer.save(update_fields=["returned_at"])


def _h_paid(d: Dossier, **_kw: object) -> None:
    """Fee paid: back to where the dossier was. Still at the intake step (payment asked at the
    counter right after reception) → "received", so the clerk can hand it to the specialist."""
    first = d.procedure.steps.order_by("order").values_list("order", flat=True).first()
    if d.current_step is not None and d.current_step.order == first:
        d.status = Status.RECEIVED


def _h_noop(d: Dossier, **_kw: object) -> None:
    return None


def _h_close(d: Dossier, *, at: datetime, note: str, **_kw: object) -> None:
    _needs_note(note, _("close the dossier"))
    _finish_current_step(d, at)
    d.closed_at, d.closing_reason = at, note


def _h_apologise(
    d: Dossier, *, at: datetime, note: str, new_appointment: datetime | None, **_kw: object
) -> None:
    # DOMAIN §4: written apology with the reason and ONE new appointment; still late vs due_at.
    # It is owed at least a working day before the due time, and still owed (and allowed) when
    # the dossier is already late or due in less than a working day: it stays late.
    if d.new_appointment_at is not None:
        raise DossierError(_("A new appointment has already been given once."))
    _needs_note(note, _("apologise"))
    if new_appointment is None or d.due_at is None or new_appointment <= d.due_at:
        raise DossierError(_("The new appointment must be later than the current due time."))
    if new_appointment <= at:
        raise DossierError(_("The new appointment must be in the future."))
    d.new_appointment_at, d.apology_reason = new_appointment, note


def _h_supplement_online(d: Dossier, *, at: datetime, **_kw: object) -> None:
    if d.received_at is None:
        # Not received yet: back to the intake queue with a fresh limit (DOMAIN §4, practice).
        d.status = Status.SUBMITTED_ONLINE
        d.intake_due_at = calendar_for(d.procedure).add(at, hours=ONLINE_INTAKE_HOURS)


def _h_result_ready(d: Dossier, *, at: datetime, **_kw: object) -> None:
    if d.transfers.filter(returned_at__isnull=True).exists():
        raise DossierError(_("The coordinating agency has not answered yet."))
    _finish_current_step(d, at)
    d.finished_at = at


def _h_return_result(d: Dossier, *, at: datetime, **_kw: object) -> None:
    d.returned_at = at


# Keyed by Action (a str subclass), looked up with the plain action string.
_HANDLERS: dict[str, Callable[..., None]] = {
    Action.ACCEPT: _h_accept,
    Action.REFUSE: _h_refuse,
    Action.REQUEST_SUPPLEMENT: _h_request_supplement,
    Action.SUPPLEMENT_RECEIVED: _h_supplement_received,
    Action.FORWARD: _h_forward,
    Action.RETURN_STEP: _h_return_step,
    Action.TRANSFER: _h_transfer,
    Action.TRANSFER_BACK: _h_transfer_back,
    Action.REQUEST_PAYMENT: _h_noop,
    Action.PAYMENT_RECEIVED: _h_paid,
    Action.STOP: _h_close,
    Action.WITHDRAW: _h_close,
    Action.APOLOGISE: _h_apologise,
    Action.RESULT_READY: _h_result_ready,
    Action.RETURN_RESULT: _h_return_result,
    Action.SUPPLEMENT_ONLINE: _h_supplement_online,
    Action.PAY_ONLINE: _h_paid,
    Action.COLLECT_RESULT: _h_return_result,
}
assert set(_HANDLERS) == set(Action), "every action of the table needs a handler"
