"""Print views: each dossier's forms as HTML (print CSS) and PDF, the register as Excel and HTML.

The form number in the URL is read in the dossier's rule version (DOMAIN §5): `/in/05/` is the
control sheet under Circular 01/2018 and the stop notice under Circular 03/2025.
Access: staff of the dossier's unit; the applicant may also print the forms addressed to them
(receipt, supplement request, refusal, apology, stop notice) for their own dossier. Everyone else
gets 404, whether the dossier exists or not. Every print is audited.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import select_template
from django.views.decorators.http import require_GET

from motcua.audit.services import audit_record, personal_data_access_record
from motcua.core.http import client_ip
from motcua.dossiers.access import get_dossier_for_user
from motcua.dossiers.models import Dossier
from motcua.orgs.choices import Role
from motcua.orgs.selectors import unit_ids_for

from .context import (
    CITIZEN_KINDS,
    FORM_NUMBERS,
    FormUnavailable,
    form_context,
    form_spec,
    template_names,
)
from .pdf import render_pdf
from .register import RegisterError, build_register, parse_period, register_page_context


def _dossier_for_print(request, code: str, number: str) -> tuple[Dossier, bool]:
    """The dossier and whether the user is staff of its unit; 404 for anything else."""
    if number not in FORM_NUMBERS:
        raise Http404
    try:
        return get_dossier_for_user(request.user, code, staff_only=True), True
    except Http404:
        pass
    dossier = get_dossier_for_user(request.user, code)
    spec = form_spec(dossier, number)
    if dossier.applicant_user_id != request.user.pk or spec is None:
        raise Http404
    if spec.kind not in CITIZEN_KINDS:
        raise Http404
    return dossier, False


def _prepare(request, code: str, number: str, fmt: str):
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    dossier, is_staff = _dossier_for_print(request, code, number)
    try:
        ctx = form_context(dossier, number, request=request)
    except FormUnavailable:
        response = render(
            request,
            "dossiers/print/unavailable.html",
            {"dossier": dossier, "number": number},
            status=404,
        )
        return None, response
    ip = client_ip(request)
    audit_record(
        actor=request.user,
        action="dossier.print",
        obj=dossier,
        data={"form": number, "format": fmt},
        ip=ip,
    )
    if is_staff:
        personal_data_access_record(
            actor=request.user, subject=dossier, purpose=f"print form {number} ({fmt})", ip=ip
        )
    return ctx, None


@require_GET
def print_form(request, code: str, number: str):
    """The form as an A4 HTML page to print from the browser."""
    ctx, response = _prepare(request, code, number, "html")
    if response is not None:
        return response
    return HttpResponse(
        select_template(template_names(ctx["dossier"], ctx["kind"])).render(ctx, request)
    )


@require_GET
def print_form_pdf(request, code: str, number: str):
    """The same form as a PDF with embedded Vietnamese font (and QR code on form 01)."""
    ctx, response = _prepare(request, code, number, "pdf")
    if response is not None:
        return response
    response = HttpResponse(render_pdf(ctx), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{ctx["dossier"].code}-mau{number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _register_period(request):
    """(start, end) or a 400 response; a redirect to the login page for anonymous users."""
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    try:
        return parse_period(request.GET.get("from"), request.GET.get("to")), None
    except RegisterError as exc:
        return None, HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")


def _audit_register(request, start, end, unit_ids, count: int, fmt: str) -> None:
    ip = client_ip(request)
    period = f"{start.isoformat()}..{end.isoformat()}"
    audit_record(
        actor=request.user,
        action="dossier.register_export",
        object_type="dossiers.register",
        object_id=period,
        data={"units": sorted(unit_ids), "rows": count, "format": fmt},
        ip=ip,
    )
    personal_data_access_record(
        actor=request.user,
        subject_type="dossiers.register",
        subject_id=period,
        purpose="dossier register export",
        ip=ip,
    )


@require_GET
def register_html(request):
    """The register (form 06/07) of the user's units for a period, as a printable page."""
    period, response = _register_period(request)
    if response is not None:
        return response
    start, end = period
    ctx = register_page_context(request.user, start, end)
    if ctx is None:
        raise Http404
    _audit_register(request, start, end, ctx["unit_ids"], len(ctx["rows"]), "html")
    # The leader of a unit signs its register with the agency's key (issue 15, signing/access.py).
    ctx["can_sign"] = bool(unit_ids_for(request.user, Role.LEADER))
    return render(request, "dossiers/print/register.html", ctx)


@require_GET
def register_xlsx(request):
    """The dossier register (form 06/07) for the user's units and a period, as Excel."""
    period, response = _register_period(request)
    if response is not None:
        return response
    start, end = period
    content, count, unit_ids = build_register(request.user, start, end)
    if content is None:
        raise Http404
    _audit_register(request, start, end, unit_ids, count, "xlsx")
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="so-theo-doi-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
