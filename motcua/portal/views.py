"""Public pages of the citizen portal, and the citizen's own pages (login required).

Thin views: reads through `access` (own dossiers only, 404 otherwise), writes through
`portal.services` / `payments.services`, which go through the dossier state machine.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.accounts.forms import ProfileForm
from motcua.accounts.models import CitizenProfile
from motcua.accounts.services import profile_save
from motcua.audit.services import audit_record
from motcua.core.http import client_ip, safe_next
from motcua.core.identity import IdType
from motcua.core.text import fold
from motcua.dossiers.choices import AttachmentKind, Status
from motcua.dossiers.digitise import citizen_store
from motcua.dossiers.errors import DossierError
from motcua.dossiers.history import event_lines
from motcua.dossiers.workflow import APPLICANT, TRANSITIONS, Action
from motcua.payments.models import Payment
from motcua.payments.providers import enabled_providers, get_provider
from motcua.payments.services import payment_start
from motcua.procedures.models import Procedure

from . import services
from .access import (
    APPLICANT_KINDS,
    citizen_login_required,
    get_own_attachment,
    get_own_dossier,
    own_dossiers,
)
from .forms import DeliveryForm, PayForm, SearchForm, SubmitForm, SupplementForm, WithdrawForm

PAGE_SIZE = 20
GUIDES = {
    "tao-tai-khoan": "account",
    "nop-truc-tuyen": "submit",
    "bo-sung": "supplement",
    "tra-cuu": "tracking",
    "danh-gia": "rating",
}
#: Statuses from which the applicant may withdraw (the transition table decides).
WITHDRAWABLE = frozenset(
    s for (a, s), r in TRANSITIONS.items() if a == Action.WITHDRAW and APPLICANT in r.roles
)


@require_safe
def home(request):
    """The public home page: what the system is and where to start."""
    return render(request, "portal/home.html", {"search": SearchForm()})


# --- catalogue ---------------------------------------------------------------------------------
def _public_procedures():
    return Procedure.objects.filter(active=True, is_historical=False).select_related(
        "field", "unit"
    )


@require_safe
def procedures(request):
    """Search the catalogue by name, field or code, with or without Vietnamese diacritics."""
    form = SearchForm(request.GET or None)
    rows = list(_public_procedures().order_by("name"))
    status = 200
    if form.is_bound:
        if form.is_valid():
            wanted = form.cleaned_data["field"]
            terms = fold(form.cleaned_data["q"]).split()
            if wanted is not None:
                rows = [p for p in rows if p.field_id == wanted.pk]
            if terms:
                # The catalogue has hundreds of rows, not millions: folding in Python is exact
                # (đ, combining marks) and needs no derived column on the procedures table.
                rows = [
                    p
                    for p in rows
                    if all(
                        t in fold(f"{p.code} {p.name} {p.field.name if p.field else ''}")
                        for t in terms
                    )
                ]
        else:
            status = 400
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/procedures.html",
        {"form": form, "page": page, "query": query.urlencode(), "total": len(rows)},
        status=status,
    )


def _get_procedure(code: str) -> Procedure:
    procedure = _public_procedures().filter(code=code).first()
    if procedure is None:
        raise Http404
    return procedure


@require_safe
def procedure(request, code: str):
    """A procedure's page: documents, fee, time limit, legal basis, where and how to submit."""
    proc = _get_procedure(code)
    return render(
        request,
        "portal/procedure.html",
        {"procedure": proc, "documents": list(proc.documents.all())},
    )


# --- guides ------------------------------------------------------------------------------------
@require_safe
def guides(request):
    return render(request, "portal/guides.html", {"guides": GUIDES})


@require_safe
def guide(request, slug: str):
    if slug not in GUIDES:
        raise Http404
    lang = "en" if translation.get_language() == "en" else "vi"
    template = select_template(
        [f"portal/guides/{lang}/{GUIDES[slug]}.html", f"portal/guides/vi/{GUIDES[slug]}.html"]
    )
    return render(request, template.template.name, {"slug": slug, "guides": GUIDES})


@require_safe
def faq(request):
    lang = "en" if translation.get_language() == "en" else "vi"
    return render(request, f"portal/faq_{lang}.html")


# --- profile -----------------------------------------------------------------------------------
@citizen_login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The citizen's profile: full name, CCCD (validated), phone, address."""
    current = CitizenProfile.objects.filter(user=request.user).first()
    initial = (
        {
            "full_name": current.full_name,
            "id_number": current.id_number,
            "phone": current.phone,
            "address": current.address,
        }
        if current
        else {}
    )
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            profile_save(actor=request.user, user=request.user, **form.cleaned_data)
            messages.success(request, _("Your profile has been saved."))
            return redirect(safe_next(request, reverse("portal:profile")))
        return render(request, "portal/profile.html", {"form": form}, status=400)
    return render(request, "portal/profile.html", {"form": form})


# --- online submission -------------------------------------------------------------------------
@citizen_login_required
@require_http_methods(["GET", "POST"])
def submit(request, code: str):
    """The e-form of a procedure → status 1 (submitted online), then the dossier's page."""
    proc = _get_procedure(code)
    if proc.online_level == "none":
        raise Http404
    # Issue 15: the citizen's own document store (their earlier dossiers' files).
    store = citizen_store(request.user)
    if request.method == "POST":
        form = SubmitForm(request.POST, request.FILES, procedure=proc, store=store)
        if form.is_valid():
            try:
                dossier = services.portal_submit(
                    actor=request.user,
                    procedure=proc,
                    applicant=form.applicant(),
                    documents=form.documents(),
                    files=form.uploaded_files(),
                    components=form.component_inputs(),
                    result_delivery=form.cleaned_data["result_delivery"],
                    declaration=form.cleaned_data["declaration"],
                )
            except DossierError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _(
                        "Dossier %(code)s was submitted. The department will accept it or tell "
                        "you what is missing within 8 working hours."
                    )
                    % {"code": dossier.code},
                )
                return redirect("portal:dossier", code=dossier.code)
        status = 400
    else:
        profile_row = CitizenProfile.objects.filter(user=request.user).first()
        initial = {"applicant_email": request.user.email}
        if profile_row is not None:
            initial.update(
                applicant_name=profile_row.full_name,
                # The profile keeps the citizen's CCCD (VNeID); another document is chosen here.
                applicant_id_type=IdType.CCCD if profile_row.id_number else "",
                applicant_id_number=profile_row.id_number,
                applicant_phone=profile_row.phone,
                applicant_address=profile_row.address,
            )
        form = SubmitForm(initial=initial, procedure=proc, store=store)
        status = 200
    return render(
        request,
        "portal/submit.html",
        {"form": form, "procedure": proc, "max_upload_mb": settings.MOTCUA_MAX_UPLOAD_MB},
        status=status,
    )


# --- my dossiers -------------------------------------------------------------------------------
@citizen_login_required
@require_safe
def my_dossiers(request):
    """The citizen's dossiers, newest first; a constant number of queries."""
    queryset = (
        own_dossiers(request.user).select_related("procedure").order_by("-submitted_at", "-id")
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/my_dossiers.html", {"page": page})


def _applicant_forms(dossier, events) -> list:
    """Forms 02–05 addressed to the applicant that exist for the dossier now (DOMAIN §4: they
    go to online applicants electronically), in the dossier's rule version."""
    from motcua.dossiers.printing.context import printable_forms

    actions = {e.action for e, *_l in events}
    available = {
        "supplement": Action.REQUEST_SUPPLEMENT in actions,
        "refusal": dossier.status == Status.REFUSED,
        "apology": dossier.new_appointment_at is not None,
        "stop": dossier.status == Status.STOPPED,
    }
    return [form for form in printable_forms(dossier) if available.get(form.kind)]


def _rating_url(code: str) -> str | None:
    """The rating page of the feedback app when it exists (another issue); else no link."""
    try:
        return reverse("feedback:rate", args=[code])
    except NoReverseMatch:
        return None


def _mark_signed(results: list) -> None:
    """Set `signed_public_id` and `signed_number` on the results signed in motcua (issue 15): the
    citizen sees the result number and the public verification page; one query, none without
    results."""
    from motcua.signing.models import SignedResult

    signed = (
        {
            a: (p, n)
            for a, p, n in SignedResult.objects.filter(attachment__in=results).values_list(
                "attachment_id", "public_id", "result_number"
            )
        }
        if results
        else {}
    )
    for attachment in results:
        attachment.signed_public_id, attachment.signed_number = signed.get(attachment.pk, ("", ""))


def _dossier_page(request, dossier, *, status: int = 200, **forms):
    events = event_lines(dossier.events.filter(public=True).order_by("at", "id"))
    attachments = list(dossier.attachments.filter(kind__in=APPLICANT_KINDS).order_by("id"))
    providers = enabled_providers()
    payments = list(Payment.objects.filter(dossier=dossier).order_by("-created_at"))
    due = dossier.intake_due_at if dossier.status == Status.SUBMITTED_ONLINE else dossier.due_at
    results = [a for a in attachments if a.kind == AttachmentKind.RESULT]
    _mark_signed(results)
    context = {
        "dossier": dossier,
        "due": due,
        "events": events,
        "documents": list(dossier.documents.all()),
        "submitted": [a for a in attachments if a.kind == AttachmentKind.SUBMITTED],
        "results": results,
        "can_supplement": dossier.status == Status.WAITING_SUPPLEMENT,
        "can_withdraw": dossier.status in WITHDRAWABLE,
        "can_pay": dossier.status == Status.WAITING_PAYMENT and bool(providers),
        "can_change_delivery": dossier.status
        not in (Status.RETURNED, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED),
        "payments": payments,
        "providers": providers,
        "supplement_request": next(
            (e for e, *_l in reversed(events) if e.action == Action.REQUEST_SUPPLEMENT), None
        ),
        "has_receipt": dossier.received_at is not None,
        "applicant_forms": _applicant_forms(dossier, events),
        "rating_url": _rating_url(dossier.code)
        if dossier.status in (Status.RESULT_READY, Status.RETURNED)
        else None,
        "supplement_form": forms.get("supplement_form") or SupplementForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "delivery_form": forms.get("delivery_form")
        or DeliveryForm(
            initial={"delivery": dossier.result_delivery, "address": dossier.applicant_address},
            procedure=dossier.procedure,
        ),
        "pay_form": forms.get("pay_form") or PayForm(providers=providers),
        "max_upload_mb": settings.MOTCUA_MAX_UPLOAD_MB,
        "now": timezone.now(),
    }
    return render(request, "portal/dossier.html", context, status=status)


@citizen_login_required
@require_safe
def dossier(request, code: str):
    """One of the citizen's dossiers: status, due time, timeline, documents, next steps."""
    return _dossier_page(request, get_own_dossier(request.user, code))


def _submit(request, own, form, *, form_name: str, perform, success: str):
    """Run a citizen's action from a valid form: redirect with a message on success; otherwise
    the dossier page again (400) with the form's errors, the service's refusal included."""
    if form.is_valid():
        try:
            perform(form.cleaned_data)
        except DossierError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, success)
            return redirect("portal:dossier", code=own.code)
    return _dossier_page(request, own, status=400, **{form_name: form})


@citizen_login_required
@require_POST
def supplement(request, code: str):
    own = get_own_dossier(request.user, code)
    return _submit(
        request,
        own,
        SupplementForm(request.POST, request.FILES),
        form_name="supplement_form",
        perform=lambda data: services.portal_supplement(
            actor=request.user, dossier_id=own.pk, note=data["note"], files=data["files"]
        ),
        success=_("Your supplement was sent to the department."),
    )


@citizen_login_required
@require_POST
def withdraw(request, code: str):
    own = get_own_dossier(request.user, code)
    return _submit(
        request,
        own,
        WithdrawForm(request.POST),
        form_name="withdraw_form",
        perform=lambda data: services.portal_withdraw(
            actor=request.user, dossier_id=own.pk, reason=data["reason"]
        ),
        success=_("The dossier was withdrawn."),
    )


@citizen_login_required
@require_POST
def delivery(request, code: str):
    own = get_own_dossier(request.user, code)
    return _submit(
        request,
        own,
        DeliveryForm(request.POST, procedure=own.procedure),
        form_name="delivery_form",
        perform=lambda data: services.portal_set_result_delivery(
            actor=request.user,
            dossier_id=own.pk,
            delivery=data["delivery"],
            address=data["address"],
        ),
        success=_("The result delivery was saved."),
    )


@citizen_login_required
@require_POST
def pay(request, code: str):
    own = get_own_dossier(request.user, code)
    providers = enabled_providers()
    form = PayForm(request.POST, providers=providers)
    if form.is_valid():
        try:
            payment = payment_start(
                actor=request.user, dossier_id=own.pk, provider=form.cleaned_data["provider"]
            )
        except DossierError as exc:
            form.add_error(None, str(exc))
        else:
            target = get_provider(payment.provider).start(payment)
            if target:
                return redirect(target)
            messages.info(request, str(get_provider(payment.provider).description))
            return redirect("portal:dossier", code=own.code)
    return _dossier_page(request, own, status=400, pay_form=form)


@citizen_login_required
@require_safe
def download(request, code: str, attachment_id: int):
    """A submitted document or the electronic result of the citizen's own dossier."""
    attachment = get_own_attachment(request.user, code, attachment_id)
    try:
        handle = default_storage.open(attachment.storage_name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    if request.method == "GET":
        audit_record(
            actor=request.user,
            action="dossier.attachment_download",
            obj=attachment.dossier,
            note=attachment.original_name,
            data={"attachment": attachment.pk},
            ip=client_ip(request),
        )
        try:
            services.portal_collect_result(actor=request.user, attachment=attachment)
        except DossierError:  # already returned by someone else in the meantime: just serve it
            pass
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
