"""Sending notifications: render a template (administrators' version first), send, log.

A failure to send never undoes or blocks the dossier's transition: it is logged in `Delivery`
with the error, and the transition has already been committed (called via on_commit).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import linebreaks, urlize

from motcua.dossiers.choices import Status
from motcua.dossiers.models import Dossier, DossierEvent

from .defaults import DEFAULTS
from .models import Channel, Delivery, DeliveryStatus, MessageTemplate, TemplateKey
from .sms import SmsError, get_transport

logger = logging.getLogger("motcua.notifications")

# Administrators' templates are rendered by a bare engine: the built-in tags and filters only,
# no {% load %} of other libraries, no template loaders ({% include %} finds nothing).
_TEXT_ENGINE = Engine(autoescape=False, libraries={}, loaders=[])
_HTML_ENGINE = Engine(autoescape=True, libraries={}, loaders=[])

#: Which message a new status sends (others: the generic status change).
KEY_FOR_STATUS = {
    Status.RECEIVED: TemplateKey.RECEIVED,
    Status.REFUSED: TemplateKey.REFUSED,
    Status.WAITING_SUPPLEMENT: TemplateKey.SUPPLEMENT_REQUESTED,
    Status.WAITING_PAYMENT: TemplateKey.PAYMENT_REQUESTED,
    Status.STOPPED: TemplateKey.STOPPED,
    Status.RESULT_READY: TemplateKey.RESULT_READY,
}
#: Messages sent for an action that leaves the status as it is (DOMAIN §4: the apology).
KEY_FOR_ACTION = {"apologise": TemplateKey.APOLOGY}
#: The form attached (as a PDF, in the dossier's rule version) to each message: DOMAIN §4, the
#: receipt, and forms 02, 03, 04 and the stop notice go to the applicant electronically.
FORM_FOR_KEY = {
    TemplateKey.RECEIVED: "receipt",
    TemplateKey.SUPPLEMENT_REQUESTED: "supplement",
    TemplateKey.REFUSED: "refusal",
    TemplateKey.APOLOGY: "apology",
    TemplateKey.STOPPED: "stop",
}
#: SMS template per message (others: the generic one with the status).
SMS_KEY = {TemplateKey.APOLOGY: TemplateKey.SMS_APOLOGY}


def public_url(path: str) -> str:
    return settings.MOTCUA_PUBLIC_URL + path


def _template(key: str, language: str) -> tuple[str, str, str]:
    row = MessageTemplate.objects.filter(key=key, language=language, active=True).first()
    if row is not None:
        return row.subject, row.body_text, row.body_html
    defaults = DEFAULTS[key]
    subject, body = defaults.get(language) or defaults["vi"]
    return subject, body, ""


def render_message(key: str, context: dict, *, language: str | None = None) -> tuple[str, str, str]:
    """(subject, text, html) of a message; a broken administrator template falls back to ours."""
    language = language or settings.LANGUAGE_CODE
    subject, body, html = _template(key, language)
    try:
        return _render(subject, body, html, context)
    except Exception:  # a template an administrator broke must not stop notifications
        logger.exception("message template %s/%s does not render; using the default", key, language)
        subject, body = DEFAULTS[key].get(language) or DEFAULTS[key]["vi"]
        return _render(subject, body, "", context)


def _render(subject: str, body: str, html: str, context: dict) -> tuple[str, str, str]:
    ctx = Context(context)
    subject_out = " ".join(_TEXT_ENGINE.from_string(subject).render(ctx).split())
    text_out = _TEXT_ENGINE.from_string(body).render(Context(context))
    html_out: str  # the HTML engine returns SafeString, the fallback a plain str
    if html:
        html_out = _HTML_ENGINE.from_string(html).render(Context(context))
    else:
        html_out = urlize(linebreaks(text_out, autoescape=True))
    return subject_out, text_out, html_out


def _local(at: datetime | None) -> str:
    return timezone.localtime(at).strftime("%H:%M %d/%m/%Y") if at else ""


def dossier_context(dossier: Dossier, note: str = "") -> dict:
    """The placeholders of a message about `dossier` (defaults.py lists them).

    Every link opens for its recipient (issue 14): an applicant with a citizen account gets
    their dossier in "My dossiers" and the printable receipt; anyone else (a counter or post
    applicant) the public tracking page with the code filled in, and no receipt link (the
    receipt is attached). The address is MOTCUA_PUBLIC_URL, never the request's.
    """
    due = dossier.due_at
    tracking = public_url(reverse("tracking:page") + "?" + urlencode({"ma": dossier.code}))
    has_account = dossier.applicant_user_id is not None
    return {
        "code": dossier.code,
        "applicant_name": dossier.applicant_name,
        "procedure": dossier.procedure.name,
        "status": str(Status(dossier.status).label),
        "note": note,
        "due_at": timezone.localtime(due).strftime("%H:%M %d/%m/%Y") if due else "",
        "link": public_url(reverse("portal:dossier", args=[dossier.code]))
        if has_account
        else tracking,
        "receipt_link": public_url(
            reverse("dossiers:print_form", kwargs={"code": dossier.code, "number": "01"})
        )
        if has_account
        else "",
        "tracking_link": tracking,
        "rating_link": public_url(reverse("feedback:rate", args=[dossier.code])),
        "has_account": has_account,
        "new_appointment": _local(dossier.new_appointment_at),
        "form_number": "",
        "form_title": "",
        "result_number": "",
        "verification_link": "",
    }


def _log(
    channel: str,
    recipient: str,
    key: str,
    subject: str,
    body: str,
    dossier: Dossier | None,
    error: str = "",
) -> Delivery:
    return Delivery.objects.create(
        channel=channel,
        recipient=recipient,
        key=key,
        subject=subject[:255],
        body=body,
        dossier=dossier,
        dossier_code=dossier.code if dossier else "",
        status=DeliveryStatus.FAILED if error else DeliveryStatus.SENT,
        error=error,
    )


def send_email(
    *,
    to: str,
    key: str,
    context: dict,
    dossier: Dossier | None = None,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
) -> Delivery:
    """Send one templated email through Django's email backend; one Delivery row either way."""
    subject, text, html = render_message(key, context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    try:
        message.send()
    except Exception as exc:  # SMTP down, refused recipient…: logged, never raised
        logger.warning("email to %s failed: %s", to, exc)
        return _log(Channel.EMAIL, to, key, subject, text, dossier, error=str(exc) or repr(exc))
    return _log(Channel.EMAIL, to, key, subject, text, dossier)


def send_sms(
    *, phone: str, context: dict, dossier: Dossier | None = None, key: str = TemplateKey.SMS
) -> Delivery:
    """Send one SMS through the configured transport; one Delivery row either way."""
    _subject, text, _html = render_message(key, context)
    text = " ".join(text.split())
    try:
        get_transport().send(phone, text)
    except (SmsError, OSError) as exc:
        return _log(Channel.SMS, phone, key, "", text, dossier, error=str(exc))
    return _log(Channel.SMS, phone, key, "", text, dossier)


def _form_pdf(dossier: Dossier, kind: str, context: dict) -> list[tuple[str, bytes, str]]:
    """The form of `kind` as a PDF attachment, in the dossier's rule version; none when that
    version has no such form (no stop notice before Circular 03/2025) or it cannot be drawn —
    the message still carries the link to the dossier."""
    from motcua.dossiers.printing.context import FormUnavailable, kind_context
    from motcua.dossiers.printing.pdf import render_pdf

    try:
        form = kind_context(dossier, kind)
    except FormUnavailable:
        return []
    context["form_number"], context["form_title"] = form["number"], form["title"].capitalize()
    try:
        pdf = render_pdf(form)
    except Exception:  # the link in the message is enough
        logger.exception("form %s PDF for %s could not be rendered", form["number"], dossier.code)
        return []
    slug = {"receipt": "giay-tiep-nhan"}.get(kind, f"mau-{form['number']}")
    return [(f"{slug}-{dossier.code}.pdf", pdf, "application/pdf")]


def _result_links(dossier: Dossier) -> dict:
    """The electronic result's number and, when it was signed in motcua, its public verification
    page (issue 15). The message carries links only, never the file: the result holds personal
    data, and the account page checks who downloads it."""
    from motcua.signing.models import SignedResult
    from motcua.signing.services import public_url as verification_url

    signed = (
        SignedResult.objects.filter(dossier=dossier).order_by("-signed_at", "-id").first()
        if dossier.electronic_result
        else None
    )
    return {
        "result_number": dossier.result_number if dossier.electronic_result else "",
        "verification_link": verification_url(signed.public_id) if signed else "",
    }


def notify_status_change(dossier_id: int, event_id: int) -> None:
    """Tell the applicant about a new status by email (and SMS when a phone is known)."""
    dossier = (
        Dossier.objects.select_related("procedure", "applicant_user").filter(pk=dossier_id).first()
    )
    event = DossierEvent.objects.filter(pk=event_id).first()
    if dossier is None or event is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = dossier_context(dossier, note=event.note)
        key = KEY_FOR_ACTION.get(event.action) or KEY_FOR_STATUS.get(
            event.to_status, TemplateKey.STATUS_CHANGE
        )
        email = dossier.applicant_email or (
            dossier.applicant_user.email if dossier.applicant_user else ""
        )
        if key == TemplateKey.RESULT_READY:
            context.update(_result_links(dossier))
        if email:
            kind = FORM_FOR_KEY.get(key)
            attachments = _form_pdf(dossier, kind, context) if kind else []
            send_email(to=email, key=key, context=context, dossier=dossier, attachments=attachments)
        if dossier.applicant_phone:
            send_sms(
                phone=dossier.applicant_phone,
                context=context,
                dossier=dossier,
                key=SMS_KEY.get(key, TemplateKey.SMS),
            )
