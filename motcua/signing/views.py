"""The leader's approve-and-sign action on the dossier page, and the public verification page
reached from the QR code of a signed result (no personal data: code, procedure, number, hash)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from motcua.dossiers.access import get_dossier_for_user
from motcua.dossiers.errors import DossierError
from motcua.dossiers.formsets import FormKind
from motcua.dossiers.workflow import Action

from .access import may_sign_form
from .errors import SigningError
from .forms import SignResultForm
from .selectors import annotate_attachments, signed_document_public, signed_result_public
from .services import active_profile, approve_and_sign


def dossier_page_context(user, dossier, context: dict) -> dict:
    """What the dossier page adds for signatures: each attachment's reports, and the sign form
    when the user may approve the result now and has a signing key."""
    annotate_attachments(context.get("attachments", ()))
    extra: dict = {
        # "Sign and download" beside each printable form the user may sign (access.py).
        "signable_forms": {
            form.number
            for form in context.get("print_forms", ())
            if form.kind != FormKind.REGISTER and may_sign_form(user, dossier, form.kind)
        }
    }
    actions = {action for action, _label, _form in context.get("action_forms", ())}
    if Action.RESULT_READY in actions and active_profile(user) is not None:
        extra["sign_form"] = SignResultForm(dossier=dossier, auto_id="id_sign_%s")
    return extra


@sensitive_post_parameters("secret")  # the PIN never reaches an error report
@login_required
@require_POST
def sign_result(request, code: str):
    dossier = get_dossier_for_user(request.user, code, staff_only=True)
    target = reverse("dossiers:detail", args=[dossier.code])
    form = SignResultForm(request.POST, dossier=dossier)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(target)
    try:
        result = approve_and_sign(
            actor=request.user,
            dossier_id=dossier.pk,
            attachment_id=form.cleaned_data["attachment"],
            secret=form.cleaned_data["secret"],
            result_number=form.cleaned_data["result_number"],
            note=form.cleaned_data["note"],
        )
    except (SigningError, DossierError) as exc:
        messages.error(request, _("The result was not signed: %(reason)s") % {"reason": exc})
        return redirect(target)
    messages.success(
        request,
        _("Result %(number)s signed and approved.") % {"number": result.result_number},
    )
    return redirect(target)


@require_GET
def public(request, public_id: str):
    result = signed_result_public(public_id)
    if result is not None:
        return render(request, "signing/public.html", {"result": result})
    document = signed_document_public(public_id)
    if document is None:
        raise Http404
    return render(request, "signing/public_document.html", {"document": document})
