"""Staff pages of the one-stop module: worklist, intake, dossier page, actions, downloads.

Thin views: access through `access`/`selectors`, writes through `services`; staff see only their
own units' dossiers and everything else answers 404 (ARCHITECTURE.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.audit.services import audit_record, personal_data_access_record
from motcua.core.http import client_ip
from motcua.core.text import fold
from motcua.core.validators import id_search_key
from motcua.orgs.active import narrow_for_request
from motcua.orgs.selectors import roles_in, unit_ids_for
from motcua.procedures.deadlines import calendar_for
from motcua.signing.views import dossier_page_context
from motcua.worktime import WorktimeError

from . import history, page_data, timeliness, workflow
from .access import get_attachment_for_user, get_dossier_for_user
from .attachments import UPLOAD_ROLES, AttachmentError, discard_files, store_attachment
from .choices import AttachmentKind, Status, Timeliness
from .digitise import ComponentInput, counter_store, dossier_components_digitise
from .errors import DossierError
from .forms import (
    WORKLIST_STATUSES,
    ActionForm,
    IntakeForm,
    ProcedurePickForm,
    WorklistFilterForm,
    intake_procedures,
)
from .models import Dossier, DossierStep
from .printing.context import printable_forms
from .selectors import DOSSIER_ROLES, staff_dossiers
from .services import dossier_receive, dossier_transition

PAGE_SIZE = 25
#: Statuses in which the dossier still waits for the agency (the clock may be running).
PENDING = frozenset(
    {
        Status.SUBMITTED_ONLINE,
        Status.RECEIVED,
        Status.IN_PROGRESS,
        Status.WAITING_SUPPLEMENT,
        Status.WAITING_PAYMENT,
    }
)
#: Actions that end or commit the dossier: shown apart (red) and confirmed by a required box
#: (issue 14; an HTML `required` checkbox, no JavaScript, works under a strict CSP).
DANGEROUS_ACTIONS = frozenset({"stop", "refuse", "withdraw", "result_ready"})
#: Purpose recorded in the personal-data access log (Decree 356/2025).
VIEW_PURPOSE = "xem hồ sơ"
DOWNLOAD_PURPOSE = "tải tệp đính kèm"


def _staff_units(request) -> set[int]:
    """The units where the user may see dossiers; a non-staff user gets 404 (not 403)."""
    units = unit_ids_for(request.user, *DOSSIER_ROLES)
    if not units:
        raise Http404
    return units


def _effective_due(dossier: Dossier) -> datetime | None:
    # An online submission waiting for acceptance is due at its 8-working-hour intake limit.
    if dossier.status == Status.SUBMITTED_ONLINE:
        return dossier.intake_due_at
    return dossier.due_at


@dataclass
class DueInfo:
    """How a due time looks on a page: a CSS class and a text label (never colour alone)."""

    due_at: datetime | None
    css: str
    label: str


def _due_info(dossier: Dossier, now: datetime) -> DueInfo:
    due = _effective_due(dossier)
    if dossier.status in (Status.RESULT_READY, Status.RETURNED) and dossier.finished_at:
        verdict = timeliness.classify(dossier.finished_at, dossier.due_at)
        return DueInfo(due, f"due-{verdict}", Timeliness(verdict).label)
    if dossier.status not in PENDING or due is None:
        return DueInfo(due, "", "")
    if due < now:
        return DueInfo(due, "due-overdue", _("Overdue"))
    if timezone.localdate(due) == timezone.localdate(now):
        return DueInfo(due, "due-today", _("Due today"))
    return DueInfo(due, "", "")


@login_required
def after_login(request):
    """Where the login form sends people: each role to its own work (orgs.navigation)."""
    from motcua.orgs.navigation import landing_url

    return redirect(landing_url(request.user))


def worklist_queryset(
    user,
    *,
    now: datetime,
    status: int | None = None,
    procedure=None,
    channel: str = "",
    mine: bool = False,
    overdue: bool = False,
    q: str = "",
):
    """The worklist rows of `user`, filtered, due soonest first (shared with the JSON API)."""
    queryset = (
        staff_dossiers(user)
        .filter(status__in=WORKLIST_STATUSES)
        .annotate(sort_due=F("worklist_due"))
        .select_related("procedure", "current_step__assignee")
        .order_by(F("sort_due").asc(nulls_last=True), "id")
    )
    if status is not None:
        queryset = queryset.filter(status=status)
    if procedure is not None:
        queryset = queryset.filter(procedure=procedure)
    if channel:
        queryset = queryset.filter(channel=channel)
    if mine:
        queryset = queryset.filter(
            current_step__assignee=user, current_step__finished_at__isnull=True
        )
    if overdue:
        queryset = queryset.filter(status__in=PENDING, sort_due__lt=now)
    text = (q or "").strip()
    if text:
        queryset = queryset.filter(
            Q(code__icontains=text)
            | Q(applicant_name_folded__contains=fold(text))
            | Q(applicant_name__icontains=text)
        )
    return queryset


# --- worklist ----------------------------------------------------------------------------------
def worklist_filtered(request, now: datetime):
    """(form, queryset, units) of the worklist page and its Excel export; 404 for non-staff.

    A person with several units sees the active one's (orgs.active), or all of them. With invalid
    filters the form carries the errors and the queryset is unfiltered."""
    allowed = _staff_units(request)
    units = narrow_for_request(request, allowed)
    form = WorklistFilterForm(request.GET or None, unit_ids=units)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    queryset = worklist_queryset(request.user, now=now, **filters)
    if units != allowed:
        queryset = queryset.filter(unit_id__in=units)
    return form, queryset, units


@login_required
@require_GET
def worklist(request):
    """Open dossiers of the user's units, due soonest first; a constant number of queries."""
    now = timezone.now()
    form, queryset, _units = worklist_filtered(request, now)
    status_code = 400 if form.errors else 200
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(dossier, _due_info(dossier, now)) for dossier in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dossiers/worklist.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "can_receive": _can_receive(request.user),
        },
        status=status_code,
    )


def _can_receive(user) -> bool:
    return bool(unit_ids_for(user, "intake_clerk"))


# --- intake ------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def intake(request):
    """Counter/post intake: pick the procedure, then the applicant, checklist and files."""
    _staff_units(request)
    clerk_units = unit_ids_for(request.user, "intake_clerk")
    if not clerk_units:
        raise Http404
    if request.method == "POST":
        source = request.POST
    else:
        source = request.GET if request.GET.get("procedure") else None
    pick = ProcedurePickForm(source, unit_ids=clerk_units)
    several = len(intake_procedures(clerk_units)[:2]) > 1
    if not pick.is_bound:
        if several:
            return render(request, "dossiers/intake_pick.html", {"pick": pick})
        # One procedure only: no need for the first step.
        only = intake_procedures(clerk_units).first()
        pick = ProcedurePickForm({"procedure": only.pk if only else ""}, unit_ids=clerk_units)
    if not pick.is_valid():
        return render(request, "dossiers/intake_pick.html", {"pick": pick}, status=400)
    procedure = pick.cleaned_data["procedure"]

    if request.method == "GET":
        return _intake_page(request, IntakeForm(procedure=procedure), procedure)

    # Issue 15: the applicant's earlier digitised documents, found by their identity number.
    id_number = request.POST.get("applicant_id_number", "")
    store = counter_store(request.user, id_number)
    if "lookup" in request.POST:
        return _intake_lookup(request, procedure, store, id_number)
    form = IntakeForm(request.POST, request.FILES, procedure=procedure, store=store)
    if not form.is_valid():
        return _intake_page(request, form, procedure, status=400)
    stored: list[str] = []
    try:
        with transaction.atomic():
            dossier = dossier_receive(
                actor=request.user,
                procedure=procedure,
                applicant=form.applicant(),
                channel=form.cleaned_data["channel"],
                documents=form.documents(),
                sets_count=form.cleaned_data["sets_count"],
                result_delivery=form.cleaned_data["result_delivery"],
            )
            _digitise_components(request, form, dossier, store, stored)
            for uploaded in form.cleaned_data["attachments"]:
                attachment = store_attachment(
                    actor=request.user,
                    dossier=dossier,
                    uploaded_file=uploaded,
                    kind=AttachmentKind.SUBMITTED,
                )
                stored.append(attachment.storage_name)
    except DossierError as exc:
        # Nothing was created: the transaction rolled back; remove files already written.
        discard_files(stored)
        form.add_error(None, str(exc))
        return _intake_page(request, form, procedure, status=400)
    except Exception:
        discard_files(stored)
        raise
    for warning in form.warnings:
        messages.warning(request, _("Citizen ID number: %(warning)s") % {"warning": warning})
    messages.success(
        request,
        _("Dossier %(code)s received. Print the receipt (form 01).") % {"code": dossier.code},
    )
    return redirect("dossiers:detail", code=dossier.code)


def _intake_lookup(request, procedure, store, id_number: str):
    """The form again, filled in as posted (files are not kept), now offering the applicant's
    earlier documents; the look-up is audited as an access to personal data."""
    initial = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "lookup")}
    form = IntakeForm(initial=initial, procedure=procedure, store=store)
    if id_search_key(id_number):
        personal_data_access_record(
            actor=request.user,
            subject_type="dossiers.applicant_store",
            subject_id=id_search_key(id_number),
            purpose=f"intake: earlier documents offered ({len(store)})",
            ip=client_ip(request),
        )
    if not store:
        messages.info(request, _("No earlier digitised document of this applicant was found."))
    return _intake_page(request, form, procedure)


def _digitise_components(request, form: IntakeForm, dossier, store, stored: list[str]) -> None:
    """Scans and reused documents of each ticked component (motcua.dossiers.digitise)."""
    inputs = form.component_inputs()
    if not any(files or reuse for _i, files, reuse in inputs):
        return
    documents = list(dossier.documents.order_by("id"))
    by_id = {a.pk: a for a in store}
    components = {
        documents[index].pk: ComponentInput(files=files, reuse=by_id.get(reuse) if reuse else None)
        for index, files, reuse in inputs
        if files or reuse
    }
    dossier_components_digitise(
        actor=request.user,
        dossier=dossier,
        components=components,
        allowed_reuse=store,
        person_key=id_search_key(dossier.applicant_id_number),
        stored=stored,
    )


def _intake_page(request, form: IntakeForm, procedure, status: int = 200):
    clerk_units = unit_ids_for(request.user, "intake_clerk")
    context = {
        "several": len(intake_procedures(clerk_units)[:2]) > 1,
        "form": form,
        "procedure": procedure,
        "max_upload_mb": settings.MOTCUA_MAX_UPLOAD_MB,
    }
    return render(request, "dossiers/intake.html", context, status=status)


# --- dossier page ------------------------------------------------------------------------------
@dataclass
class StepRow:
    step: DossierStep
    css: str
    label: str


def _step_rows(steps, now: datetime, calendar) -> list[StepRow]:
    rows = []
    for step in steps:
        if step.finished_at is not None:
            verdict = timeliness.classify(step.finished_at, step.due_at)
            rows.append(StepRow(step, f"due-{verdict}", Timeliness(verdict).label))
        elif step.due_at is not None:
            rows.append(StepRow(step, *_remaining(calendar, now, step.due_at)))
        else:
            rows.append(StepRow(step, "", ""))
    return rows


def _remaining(calendar, now: datetime, due: datetime) -> tuple[str, str]:
    """CSS class and label for an open deadline: remaining or overdue working time."""
    try:
        minutes = calendar.working_minutes(now, due) if calendar is not None else None
    except WorktimeError:
        minutes = None
    if minutes is None:
        minutes = int((due - now).total_seconds() // 60)
    hours = f"{abs(minutes) / 60:.1f}".rstrip("0").rstrip(".")
    if due < now:
        return "due-overdue", _("Overdue by %(hours)s working hours") % {"hours": hours}
    label = _("%(hours)s working hours left") % {"hours": hours}
    if timezone.localdate(due) == timezone.localdate(now):
        return "due-today", _("Due today") + " · " + label
    return "", label


def _dossier_context(request, dossier: Dossier, lists: dict | None = None) -> dict:
    """`lists`: what `page_data.unpack` read with the dossier (None: query each here)."""
    lists = lists or {}
    now = timezone.now()
    try:
        calendar = calendar_for(dossier.procedure)
    except WorktimeError:
        calendar = None
    steps = list(dossier.steps.select_related("assignee", "unit").order_by("started_at", "id"))
    events = history.event_lines(dossier.events.select_related("actor").order_by("at", "id"))
    attachments = list(
        dossier.attachments.select_related(
            "uploaded_by", "document", "reused_from__dossier"
        ).order_by("id")
    )
    documents = lists.get("documents")
    if documents is None:
        documents = list(dossier.documents.all())
    transfers = lists.get("transfers")
    if transfers is None:
        transfers = list(dossier.transfers.select_related("to_unit"))
    current = dossier.current_step
    if dossier.status in PENDING and _effective_due(dossier) is not None:
        due_css, due_label = _remaining(calendar, now, _effective_due(dossier))
    else:
        info = _due_info(dossier, now)
        due_css, due_label = info.css, info.label

    held = roles_in(request.user, dossier.unit_id)
    step_role = current.role if current is not None and current.finished_at is None else None
    actions = workflow.allowed_actions(dossier.status, held, step_role)
    # Hide what the dossier's own state already rules out (the services would refuse it anyway).
    hidden = {workflow.Action.TRANSFER_BACK}
    if any(t.returned_at is None for t in transfers):
        hidden = {workflow.Action.TRANSFER}
    if dossier.new_appointment_at is not None:
        hidden.add(workflow.Action.APOLOGISE)
    actions = [action for action in actions if action not in hidden]
    next_role = (
        _next_step_role(dossier, lists.get("procedure_steps"))
        if workflow.Action.FORWARD in actions
        else None
    )
    action_forms = [
        (
            action,
            workflow.Action(action).label,
            ActionForm(
                action=action,
                dossier=dossier,
                assignee_role=next_role,
                units=lists.get("transfer_units"),
                auto_id=f"id_{action}_%s",
            ),
        )
        for action in actions
    ]
    return {
        "dossier": dossier,
        "due_css": due_css,
        "due_label": due_label,
        "steps": _step_rows(steps, now, calendar),
        "events": events,
        "attachments": attachments,
        "documents": documents,
        "transfers": transfers,
        "action_forms": action_forms,
        "dangerous_actions": DANGEROUS_ACTIONS,
        "print_forms": printable_forms(dossier, lists.get("form_templates")),
        "can_receive": _can_receive(request.user),
        "can_upload": bool(held & UPLOAD_ROLES),
        "upload_kinds": [
            (kind.value, kind.label)
            for kind in (AttachmentKind.RESULT, AttachmentKind.INTERNAL, AttachmentKind.SUBMITTED)
        ],
    }


def _next_step_role(dossier: Dossier, procedure_steps=None) -> str | None:
    if procedure_steps is None:
        procedure_steps = list(
            dossier.procedure.steps.order_by("order").values_list("order", "role")
        )
    current = dossier.current_step
    order = current.order if current is not None else None
    if order is None:
        return procedure_steps[0][1] if procedure_steps else None
    later = [role for step_order, role in procedure_steps if step_order > order]
    return later[0] if later else None


@login_required
@require_GET
def detail(request, code: str):
    """The dossier page; each view of the applicant's data is logged."""
    _staff_units(request)
    # Issue 17: the page's small lists and the navigation's counts come with the dossier.
    dossier = get_dossier_for_user(
        request.user,
        code,
        staff_only=True,
        annotate=page_data.page_annotations(request.user, request.session),
    )
    lists = page_data.unpack(request.user, dossier)
    personal_data_access_record(
        actor=request.user, subject=dossier, purpose=VIEW_PURPOSE, ip=client_ip(request)
    )
    context = _dossier_context(request, dossier, lists)
    # Signatures of the PDF attachments and the leader's approve-and-sign form (issue 15).
    context.update(dossier_page_context(request.user, dossier, context))
    return render(request, "dossiers/detail.html", context)


@login_required
@require_POST
def act(request, code: str, action: str):
    """POST one workflow action; a refusal is a message and changes nothing."""
    _staff_units(request)
    if action not in workflow.Action.values:
        raise Http404
    dossier = get_dossier_for_user(request.user, code, staff_only=True)
    form = ActionForm(
        request.POST,
        action=action,
        dossier=dossier,
        assignee_role=_next_step_role(dossier) if action == workflow.Action.FORWARD else None,
    )
    target = reverse("dossiers:detail", args=[dossier.code])
    if action in DANGEROUS_ACTIONS and request.POST.get("confirm") != "1":
        # The page's checkbox is `required`; the server checks it too (issue 14: dangerous
        # actions are confirmed), so a forged or scripted POST cannot skip it.
        messages.error(request, _("Tick the box to confirm: this cannot be undone."))
        return redirect(target)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(target)
    try:
        dossier_transition(
            actor=request.user, dossier_id=dossier.pk, action=action, **form.service_kwargs()
        )
    except DossierError as exc:
        messages.error(request, str(exc))
        return redirect(target)
    messages.success(request, _("Done: %(action)s.") % {"action": workflow.Action(action).label})
    return redirect(target)


@login_required
@require_POST
def upload(request, code: str):
    """Staff add a file to a dossier: the electronic result, an internal or a submitted document."""
    _staff_units(request)
    dossier = get_dossier_for_user(request.user, code, staff_only=True)
    target = reverse("dossiers:detail", args=[dossier.code])
    kind = request.POST.get("kind", "")
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("Choose a file to upload."))
        return redirect(target)
    stored = []
    try:
        with transaction.atomic():
            stored.append(
                store_attachment(
                    actor=request.user,
                    dossier=dossier,
                    uploaded_file=uploaded,
                    kind=kind,
                    result_number=request.POST.get("result_number", "")[:100],
                )
            )
    except AttachmentError as exc:
        discard_files(stored)
        messages.error(request, str(exc))
        return redirect(target)
    messages.success(request, _("File added: %(name)s") % {"name": stored[0].original_name})
    return redirect(target)


# --- downloads ---------------------------------------------------------------------------------
@login_required
@require_GET
def download(request, code: str, attachment_id: int):
    """An attachment, only through the access check; never rendered inline."""
    _staff_units(request)
    attachment = get_attachment_for_user(request.user, code, attachment_id)
    try:
        handle = default_storage.open(attachment.storage_name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    personal_data_access_record(
        actor=request.user,
        subject=attachment.dossier,
        purpose=DOWNLOAD_PURPOSE,
        ip=client_ip(request),
    )
    audit_record(
        actor=request.user,
        action="dossier.attachment_download",
        obj=attachment.dossier,
        note=attachment.original_name,
        data={"attachment": attachment.pk},
        ip=client_ip(request),
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
