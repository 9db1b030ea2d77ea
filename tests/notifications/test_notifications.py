"""Email on each status change (administrators' templates, delivery log), SMS through a transport."""

from __future__ import annotations

import pytest
from django.core import mail

from motcua.dossiers.services import dossier_transition
from motcua.notifications.models import Delivery, DeliveryStatus, MessageTemplate
from motcua.notifications.services import render_message

pytestmark = pytest.mark.django_db


class RecordingTransport:
    sent: list[tuple[str, str]] = []

    def send(self, phone, text):
        RecordingTransport.sent.append((phone, text))


class BrokenTransport:
    def send(self, phone, text):
        from motcua.notifications.sms import SmsError

        raise SmsError("gateway down")


class BrokenBackend:
    def __init__(self, *a, **kw):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP unreachable")


def test_seeded_templates_are_editable_rows():
    keys = set(MessageTemplate.objects.values_list("key", flat=True))
    assert {"status_change", "received", "supplement_requested", "result_ready", "sms"} <= keys


def test_submission_and_acceptance_send_emails_with_the_receipt(
    personas, submit_online, django_capture_on_commit_callbacks, settings
):
    settings.MOTCUA_SMS_TRANSPORT = "notifications.test_notifications.RecordingTransport"
    RecordingTransport.sent = []
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit_online(personas["citizen1"])
    assert len(mail.outbox) == 1 and dossier.code in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="accept")
    receipt = mail.outbox[1]
    assert receipt.to == ["citizen1@example.org"]
    assert "(mẫu 01)" in receipt.subject
    assert f"/ho-so/{dossier.code}/in/01/" in receipt.body
    html, mimetype = receipt.alternatives[0]
    assert mimetype == "text/html" and "<a href=" in html
    name, content, kind = receipt.attachments[0]
    assert kind == "application/pdf" and content.startswith(b"%PDF")
    logged = Delivery.objects.filter(dossier=dossier, channel="email")
    assert logged.count() == 2 and set(logged.values_list("status", flat=True)) == {"sent"}
    assert Delivery.objects.filter(dossier=dossier, channel="sms").count() == 2
    assert RecordingTransport.sent[-1][0] == "0905123456"


def test_no_email_for_events_that_keep_the_status(
    personas, submit_online, django_capture_on_commit_callbacks
):
    dossier = submit_online(personas["citizen1"])
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="accept")
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="forward")
    assert mail.outbox[-1:] and "đang giải quyết" in mail.outbox[-1].subject.lower()
    count = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(actor=personas["specialist"], dossier_id=dossier.pk, action="forward")
    assert len(mail.outbox) == count  # a step hand-over is not a status change


def test_administrator_template_is_used(
    personas, submit_online, django_capture_on_commit_callbacks
):
    MessageTemplate.objects.filter(key="supplement_requested", language="vi").update(
        subject="BỔ SUNG {{ code }}", body_text="Cần: {{ note }} <b>", body_html=""
    )
    dossier = submit_online(personas["citizen1"])
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(
            actor=personas["clerk"],
            dossier_id=dossier.pk,
            action="request_supplement",
            note="Ảnh 4x6",
        )
    message = mail.outbox[-1]
    assert message.subject == f"BỔ SUNG {dossier.code}"
    assert message.body == "Cần: Ảnh 4x6 <b>"
    assert "&lt;b&gt;" in message.alternatives[0][0]  # the HTML part is escaped


def test_broken_administrator_template_falls_back():
    MessageTemplate.objects.filter(key="status_change", language="vi").update(
        subject="{% if %}", body_text="x"
    )
    subject, text, _html = render_message(
        "status_change", {"code": "C-1", "status": "đã tiếp nhận"}, language="vi"
    )
    assert subject == "Hồ sơ C-1: đã tiếp nhận"


def test_template_cannot_load_libraries():
    MessageTemplate.objects.filter(key="status_change", language="vi").update(
        subject="{% load static %}{% static 'x' %}", body_text="x"
    )
    subject, _t, _h = render_message("status_change", {"code": "C-2", "status": "s"}, language="vi")
    assert subject == "Hồ sơ C-2: s"


def test_failures_are_logged_and_the_transition_stays(
    personas, submit_online, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "notifications.test_notifications.BrokenBackend"
    settings.MOTCUA_SMS_TRANSPORT = "notifications.test_notifications.BrokenTransport"
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit_online(personas["citizen1"])
    dossier.refresh_from_db()
    assert dossier.status == 1
    email = Delivery.objects.get(channel="email")
    sms = Delivery.objects.get(channel="sms")
    assert email.status == sms.status == DeliveryStatus.FAILED
    assert "SMTP unreachable" in email.error and "gateway down" in sms.error


def test_logging_transport_masks_the_number(caplog):
    from motcua.notifications.sms import LoggingTransport

    with caplog.at_level("INFO", logger="motcua.sms"):
        LoggingTransport().send("0905123456", "Ho so X")
    assert "0905123456" not in caplog.text and "***456" in caplog.text


def test_delivery_log_admin_is_read_only(client, personas):
    client.force_login(personas["admin"])
    assert client.get("/admin/notifications/delivery/").status_code == 200
    assert client.get("/admin/notifications/delivery/add/").status_code == 403
    assert client.get("/admin/notifications/messagetemplate/").status_code == 200
