"""Feedback pages.

Public (no login): rate a settled dossier at /danh-gia/<code>/ (the second factor of tracking,
or being the applicant's own account), send feedback at /gop-y/, read the answer and give a
verdict at /gop-y/tra-loi/. Staff: the unit's feedback list and page at /phan-anh/ (leaders
assign, the assigned officer or a leader answers), satisfaction figures at /bao-cao/hai-long/.
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.audit.services import personal_data_access_record
from motcua.core.http import client_ip as request_ip
from motcua.dossiers.models import Dossier
from motcua.dossiers.tracking import (
    NOT_FOUND,
    RATE_LIMITED,
    client_ip,
    factor_matches,
    lookup,
    normalise_code,
    rate_limited,
    record_failure,
)
from motcua.orgs.active import narrow_for_request
from motcua.orgs.models import Membership, Unit
from motcua.reports.access import pick_unit, scope_unit_ids, units_or_404

from .access import FEEDBACK_HANDLE_ROLES, feedback_unit_ids
from .choices import INDICES, FeedbackStatus
from .forms import (
    AnswerForm,
    AnswerLookupForm,
    AssignForm,
    ClassifyForm,
    FeedbackForm,
    InfoRequestForm,
    RatingForm,
    RejectForm,
    VerdictForm,
)
from .models import Feedback
from .services import (
    FeedbackError,
    feedback_answer,
    feedback_assign,
    feedback_classify,
    feedback_publish,
    feedback_receive,
    feedback_reject,
    feedback_request_info,
    feedback_verdict,
    rating_create,
)
from .stats import feedback_figures, rating_figures

PAGE_SIZE = 50


# --- rating ------------------------------------------------------------------------------------
#: Session key: the dossier codes this browser has proved it may see the rating of (rated here,
#: or shown as already rated after the second factor), so that coming back shows the rating
#: given instead of a blank form (issue 14).
RATED_SESSION_KEY = "motcua_rated"


def _given(rating, form) -> list[tuple[str, str]]:
    """(question, answer) of a recorded rating, in the form's order, for showing it back."""
    rows = []
    for name, field in form.fields.items():
        if name in ("factor", "comment"):
            continue
        rows.append((str(field.label), str(getattr(rating, f"get_{name}_display")())))
    if rating.comment:
        rows.append((str(form.fields["comment"].label), rating.comment))
    return rows


def _remember(request, code: str) -> None:
    codes = [c for c in request.session.get(RATED_SESSION_KEY, []) if c != code][-19:]
    request.session[RATED_SESSION_KEY] = [*codes, code]


@require_http_methods(["GET", "POST"])
def rate(request, code: str):
    """Rate a dossier once its result is issued; the applicant proves it as on the tracking page.

    Once rated, the page shows the rating given (to the applicant's account, or to the browser
    that rated or proved it), never a blank form again."""
    from .models import Rating

    code = normalise_code(code)
    own = (
        request.user.is_authenticated
        and Dossier.objects.filter(code=code, applicant_user=request.user).exists()
    )
    form = RatingForm(request.POST or None, need_factor=not own)
    message, status, done, rating = None, 200, False, None
    if request.method == "GET" and (own or code in request.session.get(RATED_SESSION_KEY, [])):
        rating = Rating.objects.filter(dossier__code=code).first()
    elif request.method == "POST":
        if not form.is_valid():
            status = 400
        elif not own and rate_limited(client_ip(request), code):
            message, status = RATE_LIMITED, 429
        else:
            # The same check as tracking: code + full phone or ID number.
            found = own or lookup(code, form.cleaned_data["factor"]) is not None
            dossier = Dossier.objects.filter(code=code).first() if found else None
            if dossier is None:
                record_failure(client_ip(request), code)
                message, status = NOT_FOUND, 404
            else:
                try:
                    rating = rating_create(
                        actor=request.user,
                        dossier=dossier,
                        answers=form.cleaned_data,
                        ip=request_ip(request),
                    )
                    done = True
                except FeedbackError as exc:
                    message, status = exc.args[0], 409
                    rating = Rating.objects.filter(dossier=dossier).first()
                if rating is not None:
                    _remember(request, code)
    return render(
        request,
        "feedback/rate.html",
        {
            "form": form,
            "code": code,
            "message": message,
            "done": done,
            "rating": rating,
            "given": _given(rating, form) if rating is not None else [],
            "indices": INDICES,
        },
        status=status,
    )


# --- PAKN, public ------------------------------------------------------------------------------
def _public_units():
    return list(Unit.objects.filter(valid_to__isnull=True, is_historical=False).order_by("code"))


def _default_unit(units: list[Unit]) -> Unit | None:
    """The agency the portal belongs to: the one with the most public procedures (one query)."""
    from django.db.models import Count

    from motcua.procedures.models import Procedure

    top = (
        Procedure.objects.filter(active=True, is_historical=False, unit__in=units)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit_id")
        .first()
    )
    by_id = {u.pk: u for u in units}
    return by_id.get(top["unit_id"]) if top else (units[0] if units else None)


def _initial(request, units: list[Unit]) -> dict:
    """Issue 14: linked from a dossier (?don-vi=<agency code>&ma=<dossier code>), the form
    starts with that dossier's agency and code; otherwise with the portal's own agency."""
    wanted = request.GET.get("don-vi", "")
    unit = next((u for u in units if u.code == wanted), None) or _default_unit(units)
    initial = {"unit": unit.code} if unit else {}
    code = normalise_code(request.GET.get("ma", ""))
    if code:
        initial["dossier_code"] = code
    return initial


@require_http_methods(["GET", "POST"])
def submit(request):
    """Send feedback, a petition or a complaint to an agency; the reference is shown once."""
    units = _public_units()
    form = FeedbackForm(
        request.POST or None,
        unit_choices=[(u.code, str(u)) for u in units],
        initial=None if request.method == "POST" else _initial(request, units),
    )
    status, message, created = 200, None, None
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif rate_limited(client_ip(request), "feedback-submit"):
            message, status = RATE_LIMITED, 429
        else:
            data = form.cleaned_data
            unit = next(u for u in units if u.code == data["unit"])
            dossier = None
            if data["dossier_code"]:
                dossier = Dossier.objects.filter(
                    code=normalise_code(data["dossier_code"]), unit=unit
                ).first()
                if dossier is None:
                    form.add_error("dossier_code", _("No dossier of this agency has this code."))
                    status = 400
            if status == 200:
                try:
                    created = feedback_receive(
                        actor=request.user,
                        unit=unit,
                        kind=data["kind"],
                        sender_name=data["sender_name"],
                        sender_phone=data["sender_phone"],
                        sender_email=data["sender_email"] or "",
                        content=data["content"],
                        dossier=dossier,
                        ip=request_ip(request),
                    )
                except FeedbackError as exc:
                    message, status = exc.args[0], 400
    return render(
        request,
        "feedback/submit.html",
        {"form": form, "created": created, "message": message},
        status=status,
    )


def _match_sender(item: Feedback | None, factor: str) -> bool:
    # The sender's full phone number (issue 13, gap 10), compared in constant time.
    return factor_matches(factor, phone=item.sender_phone if item else "")


@require_http_methods(["GET", "POST"])
def answer_lookup(request):
    """The sender reads the answer (reference + full phone number) and says if it satisfied."""
    form_class = VerdictForm if "verdict" in request.POST else AnswerLookupForm
    form = form_class(request.POST or None, initial={"code": request.GET.get("ma", "")})
    item, message, status = None, None, 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif rate_limited(client_ip(request), form.cleaned_data["code"].strip().upper()):
            message, status = RATE_LIMITED, 429
        else:
            item = Feedback.objects.filter(code=form.cleaned_data["code"].strip().upper()).first()
            if not _match_sender(item, form.cleaned_data["factor"]):
                record_failure(client_ip(request), form.cleaned_data["code"].strip().upper())
                item, message, status = None, NOT_FOUND, 404
            elif form_class is VerdictForm:
                try:
                    item = feedback_verdict(
                        actor=None,
                        feedback_id=item.pk,
                        verdict=form.cleaned_data["verdict"],
                        ip=request_ip(request),
                    )
                    message = _("Thank you for your opinion.")
                except FeedbackError as exc:
                    message, status = exc.args[0], 409
    return render(
        request,
        "feedback/answer.html",
        {"form": form, "item": item, "message": message, "verdict_form": VerdictForm()},
        status=status,
    )


# --- PAKN, staff -------------------------------------------------------------------------------
def _staff_unit_ids(user) -> set[int]:
    # Issue 13 gap 8: only the roles that handle feedback (feedback/access.py).
    return feedback_unit_ids(user)


def worklist_filtered(request):
    """(queryset, unit ids) of the PAKN list and its Excel export: the user's units (the active
    one when chosen, orgs.active), ?open=1 for those not answered yet; 404 for others."""
    ids = narrow_for_request(request, _staff_unit_ids(request.user))
    qs = Feedback.objects.filter(unit_id__in=ids).select_related("unit", "assignee")
    if request.GET.get("open"):
        qs = qs.exclude(status__in=[FeedbackStatus.ANSWERED, FeedbackStatus.REJECTED])
    return qs.order_by("due_at", "id"), ids


@login_required
@require_GET
def worklist(request):
    """The feedback of the user's units, soonest due first; 2 queries per page."""
    qs, _ids = worklist_filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/worklist.html",
        {"page": page, "now": timezone.now(), "open": bool(request.GET.get("open"))},
    )


def _form_actions(officers: QuerySet) -> dict[str, tuple]:
    """The detail page's actions that post a form: action → (the form's name on the page, how
    to make it, the message when it is not valid, the service it calls with the cleaned data).
    Every service checks the acting user's right itself (feedback/services.py)."""
    return {
        "assign": (
            "assign_form",
            partial(AssignForm, officers=officers),
            _("Choose an officer of the unit."),
            lambda actor, item, data: feedback_assign(
                actor=actor, feedback_id=item.pk, assignee=officers.get(pk=data["assignee"])
            ),
        ),
        "classify": (
            "classify_form",
            ClassifyForm,
            _("Choose what the feedback is about."),
            lambda actor, item, data: feedback_classify(
                actor=actor, feedback_id=item.pk, topic=data["topic"]
            ),
        ),
        "answer": (
            "answer_form",
            AnswerForm,
            _("Write the answer."),
            lambda actor, item, data: feedback_answer(
                actor=actor, feedback_id=item.pk, answer=data["answer"]
            ),
        ),
        "reject": (
            "reject_form",
            RejectForm,
            _("Write the reason for rejecting the feedback."),
            lambda actor, item, data: feedback_reject(
                actor=actor, feedback_id=item.pk, reason=data["reason"]
            ),
        ),
        "request_info": (
            "info_form",
            InfoRequestForm,
            _("Write what information is needed."),
            lambda actor, item, data: feedback_request_info(
                actor=actor, feedback_id=item.pk, note=data["note"]
            ),
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, code: str):
    """One feedback: the sender's details (logged as personal-data access), assign, ask for
    more information, reject or answer, publish the answer (DOMAIN §7, 5.2)."""
    ids = _staff_unit_ids(request.user)
    item = (
        Feedback.objects.select_related("unit", "dossier", "assignee")
        .filter(code=code, unit_id__in=ids)
        .first()
    )
    if item is None:
        raise Http404
    officers = (
        get_user_model()
        .objects.filter(
            pk__in=Membership.objects.filter(
                unit_id=item.unit_id, role__in=FEEDBACK_HANDLE_ROLES
            ).values("user_id")
        )
        .order_by("username")
    )
    actions = _form_actions(officers)
    forms = {name: make() for name, make, _message, _perform in actions.values()}
    forms["classify_form"] = ClassifyForm(initial={"topic": item.topic or None})
    error, status = None, 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                feedback_publish(actor=request.user, feedback_id=item.pk)
            elif action in actions:
                name, make, message, perform = actions[action]
                form = forms[name] = make(request.POST)
                if not form.is_valid():
                    raise FeedbackError(message)
                perform(request.user, item, form.cleaned_data)
            else:
                raise FeedbackError(_("Unknown action."))
            return redirect(reverse("feedback:detail", args=[item.code]))
        except FeedbackError as exc:
            error, status = exc.args[0], 400
    personal_data_access_record(
        actor=request.user,
        subject=item,
        purpose="feedback handling",
        ip=request_ip(request),
    )
    return render(
        request,
        "feedback/detail.html",
        {
            "item": item,
            **forms,
            "error": error,
            "now": timezone.now(),
        },
        status=status,
    )


# --- satisfaction figures ----------------------------------------------------------------------
@login_required
@require_GET
def stats(request):
    """Ratings and PAKN per unit, procedure and quarter; the SIPAS-style share (4 queries+)."""
    return render(request, "feedback/stats.html", stats_context(request))


def stats_context(request) -> dict:
    """The satisfaction figures of ?year= and ?unit= (the page and its Excel export)."""
    from datetime import date

    from motcua.procedures.models import Procedure

    units = units_or_404(request.user)
    unit = pick_unit(units, request.GET.get("unit", ""))
    unit_ids = scope_unit_ids(request.user, units, unit)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
        date_from, date_to = date(year, 1, 1), date(year, 12, 31)
    except ValueError as exc:
        raise Http404 from exc
    (total,) = rating_figures(date_from, date_to, unit_ids=unit_ids)
    by_unit = rating_figures(date_from, date_to, unit_ids=unit_ids, group_by="unit")
    by_procedure = rating_figures(date_from, date_to, unit_ids=unit_ids, group_by="procedure")
    by_quarter = rating_figures(date_from, date_to, unit_ids=unit_ids, group_by="quarter")
    (pakn,) = feedback_figures(date_from, date_to, unit_ids=unit_ids)
    pakn_by_unit = feedback_figures(date_from, date_to, unit_ids=unit_ids, group_by="unit")
    unit_names = {u.pk: u for u in units}
    procedures = Procedure.objects.in_bulk([r.key for r in by_procedure])
    return {
        "year": year,
        "unit": unit,
        "units": units,
        "total": total,
        "by_unit": [(unit_names.get(r.key), r) for r in by_unit],
        "by_procedure": [(procedures.get(r.key), r) for r in by_procedure],
        "by_quarter": by_quarter,
        "pakn": pakn,
        "pakn_by_unit": [(unit_names.get(r.key), r) for r in pakn_by_unit],
        "unit_ids": unit_ids,
    }
