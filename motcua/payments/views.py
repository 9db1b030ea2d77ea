"""The test provider's simulated checkout page (enabled only when "test" is configured)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .models import Payment, PaymentStatus
from .providers import get_provider
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
