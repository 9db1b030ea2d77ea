"""The gateway's two ways back: the citizen's browser (return) and the server's notification (IPN)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ..models import GatewayMessage
from ..providers import get_provider
from .services import paygov_apply

#: Answer codes of the notification endpoint (the gateway re-sends until it reads "00").
IPN_CODES = {
    "bad_signature": "97",
    "bad_merchant": "02",
    "unknown_payment": "01",
    "wrong_amount": "04",
}


def _enabled() -> None:
    if get_provider("paygov") is None:
        raise Http404


@csrf_exempt  # a server-to-server call authenticated by its HMAC signature, not a browser form
@require_POST
def notify(request: HttpRequest) -> HttpResponse:
    """The gateway's notification: 200 {"code": "00"} once understood (duplicates too)."""
    _enabled()
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return JsonResponse({"code": "99", "message": "bad request"}, status=400)
        fields = {str(k): str(v) for k, v in body.items()}
    else:
        fields = {k: request.POST.get(k, "") for k in request.POST}
    result = paygov_apply(fields=fields, kind=GatewayMessage.Kind.NOTIFY)
    if result.accepted:
        return JsonResponse({"code": "00", "message": result.outcome})
    return JsonResponse(
        {"code": IPN_CODES.get(result.outcome, "99"), "message": result.outcome}, status=400
    )


@require_GET
def back(request: HttpRequest) -> HttpResponse:
    """The citizen's browser comes back with the signed result; then to the dossier's page."""
    _enabled()
    fields = {k: request.GET.get(k, "") for k in request.GET}
    result = paygov_apply(fields=fields, kind=GatewayMessage.Kind.RETURN)
    if result.payment is None:
        messages.error(request, _("The payment gateway's answer could not be verified."))
        return redirect("portal:my_dossiers")
    outcome = result.outcome
    if outcome in ("paid", "late_paid", "duplicate"):
        messages.success(request, _("Payment received. Processing continues."))
    elif outcome == "cancelled":
        messages.info(request, _("Payment cancelled."))
    elif outcome == "pending":
        messages.info(request, _("The payment is being confirmed by the gateway."))
    else:
        messages.error(
            request, _("The payment could not be confirmed; the department will check it.")
        )
    return redirect("portal:dossier", code=result.payment.dossier.code)
