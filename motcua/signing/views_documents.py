""" "Sign and download" of the documents motcua draws (issue 15): a dossier's forms 01–06, the
register (form 06/07), the blocking look-up certificate, the published reform results.

Each is a POST (it writes a record and an audit event), decided by `access.py`, signed with the
agency's configured key. A failure (no key configured, token absent, wrong PIN in the settings,
expired certificate) redirects back with the reason in Vietnamese; nothing is recorded.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.audit.services import personal_data_access_record
from motcua.core.http import client_ip

from .access import get_dossier_to_sign_form, may_sign_reform_results, register_signing_units
from .documents import document_sign
from .errors import SigningError
from .models import DocumentKind


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _failed(request, exc: Exception, target: str):
    messages.error(request, _("The document was not signed: %(reason)s") % {"reason": exc})
    return redirect(target)


@login_required
@require_POST
def sign_form(request, code: str, number: str):
    """A dossier's form (01–06 of its rule version) as a PDF signed by the agency."""
    from motcua.dossiers.printing.context import FormUnavailable, form_context
    from motcua.dossiers.printing.pdf import render_pdf

    dossier, spec = get_dossier_to_sign_form(request.user, code, number)
    target = reverse("dossiers:detail", args=[dossier.code])
    try:
        ctx = form_context(dossier, number, request=request)
    except FormUnavailable:
        return _failed(request, _("this form does not exist yet for this dossier."), target)
    title = f"Mẫu số {number} – {spec.title} – {dossier.code}"
    try:
        signed, _record = document_sign(
            actor=request.user,
            data=render_pdf(ctx),
            kind=DocumentKind.FORM,
            reference=f"{dossier.code} mẫu {number}",
            title=title,
            dossier=dossier,
        )
    except SigningError as exc:
        return _failed(request, exc, target)
    personal_data_access_record(
        actor=request.user,
        subject=dossier,
        purpose=f"sign form {number} (pdf)",
        ip=client_ip(request),
    )
    return _pdf(signed, f"{dossier.code}-mau{number}-da-ky.pdf")


@login_required
@require_POST
def sign_register(request):
    """The register (form 06/07) of the units the user leads, for a period, signed."""
    from motcua.dossiers.printing.pdf import render_register_pdf
    from motcua.dossiers.printing.register import (
        RegisterError,
        parse_period,
        register_page_context,
    )

    units = register_signing_units(request.user)
    target = reverse("dossiers:worklist")
    try:
        start, end = parse_period(request.POST.get("from"), request.POST.get("to"))
    except RegisterError as exc:
        return _failed(request, exc, target)
    target = reverse("dossiers:register_html") + f"?from={start:%Y-%m-%d}&to={end:%Y-%m-%d}"
    ctx = register_page_context(request.user, start, end, units)
    if ctx is None:  # pragma: no cover - `units` is never empty here
        raise Http404
    period = f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"
    try:
        signed, _record = document_sign(
            actor=request.user,
            data=render_register_pdf(ctx),
            kind=DocumentKind.REGISTER,
            reference=f"sổ theo dõi {period}",
            title=f"{ctx['title']} {period}",
        )
    except SigningError as exc:
        return _failed(request, exc, target)
    personal_data_access_record(
        actor=request.user,
        subject_type="dossiers.register",
        subject_id=f"{start.isoformat()}..{end.isoformat()}",
        purpose="sign dossier register (pdf)",
        ip=client_ip(request),
    )
    return _pdf(signed, f"so-theo-doi-{start:%Y%m%d}-{end:%Y%m%d}-da-ky.pdf")


@login_required
@require_POST
def sign_blocking_certificate(request, pk: int):
    """The look-up certificate (DOMAIN §11) as a PDF sealed by the agency, QR-verifiable twice:
    the look-up's own verification page (printed) and the signature's (in the block)."""
    from motcua.blocking.access import get_lookup_for_user
    from motcua.blocking.certificate import certificate_pdf, pdf_available
    from motcua.blocking.views import certificate_labels, verify_url

    log = get_lookup_for_user(request.user, pk)
    target = reverse("blocking:certificate", args=[log.pk])
    if not pdf_available():
        raise Http404
    labels = certificate_labels()
    from . import conf

    data = certificate_pdf(
        log,
        verify_url(request, log),
        labels,
        signer_title=conf.agency_name() or _("The agency"),
    )
    try:
        signed, _record = document_sign(
            actor=request.user,
            data=data,
            kind=DocumentKind.BLOCKING_CERTIFICATE,
            reference=f"tra cứu {log.pk}",
            title=f"{labels['title']} – {log.pk}",
        )
    except SigningError as exc:
        return _failed(request, exc, target)
    return _pdf(signed, f"tra-cuu-{log.pk}-da-ky.pdf")


@login_required
@require_POST
def sign_reform_results(request, year: int, block: str):
    """The published ranking of a block (DOMAIN §10) as a PDF signed by the agency."""
    from motcua.reform import render as rendering
    from motcua.reform.views import published_or_404, results_title

    if not may_sign_reform_results(request.user):
        raise Http404
    scheme, rows = published_or_404(year, block)
    target = reverse("reform:results", args=[year, block])
    title = results_title(scheme)
    from . import conf

    data = rendering.table_pdf(
        title,
        rendering.TABLE_HEADER,
        rendering.table_rows(rows),
        signer_title=conf.agency_name() or _("The agency"),
    )
    if data is None:
        raise Http404
    try:
        signed, _record = document_sign(
            actor=request.user,
            data=data,
            kind=DocumentKind.REFORM_RESULTS,
            reference=f"{year} {block}",
            title=title,
        )
    except SigningError as exc:
        return _failed(request, exc, target)
    return _pdf(signed, f"cchc-{year}-{block}-da-ky.pdf")
