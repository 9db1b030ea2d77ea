"""The test provider's simulated checkout page (enabled only when "test" is configured) and the
electronic fee receipt."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from motcua.audit.services import audit_record
from motcua.core.http import client_ip
from motcua.dossiers.selectors import dossiers_for_user

from .models import Payment, PaymentStatus
from .providers import get_provider
from .receipt import receipt_number, receipt_pdf
from .services import PaymentError, payment_cancel, payment_confirm


@login_required
@require_http_methods(["GET", "POST"])
def test_checkout(request, reference: str):
    """Pay or cancel; only the payer sees it, and only while the test provider is enabled."""
    if get_provider("test") is None:
        raise Http404
    payment = (
        Payment.objects.select_related("dossier__procedure")
        .filter(reference=reference, provider="test", created_by=request.user)
        .first()
    )
    if payment is None:
        raise Http404
    back = redirect("portal:dossier", code=payment.dossier.code)
    if request.method == "POST" and payment.status == PaymentStatus.PENDING:
        try:
            if request.POST.get("decision") == "pay":
                payment_confirm(reference=reference, provider_reference=f"TEST-{reference[:8]}")
                messages.success(request, _("Payment received. Processing continues."))
            else:
                payment_cancel(actor=request.user, reference=reference)
                messages.info(request, _("Payment cancelled."))
        except PaymentError as exc:
            messages.error(request, str(exc))
        return back
    return render(request, "portal/payment_test_checkout.html", {"payment": payment})


@login_required
@require_safe
def receipt(request, reference: str):
    """The electronic fee receipt (PDF) of a paid payment: for the applicant of the dossier and
    the staff of its unit; 404 for anyone else, and for unpaid payments."""
    payment = (
        Payment.objects.select_related("dossier__procedure", "dossier__unit")
        .filter(reference=reference, status=PaymentStatus.PAID)
        .first()
    )
    if (
        payment is None
        or not dossiers_for_user(request.user).filter(pk=payment.dossier_id).exists()
    ):
        raise Http404
    audit_record(
        actor=request.user,
        action="payment.receipt_download",
        obj=payment.dossier,
        data={"reference": reference},
        ip=client_ip(request),
    )
    response = HttpResponse(receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="bien-lai-{receipt_number(payment)}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
