"""Forms sent to the applicant (DOMAIN §4): the apology and new appointment (email with form 04
as PDF, and SMS), and forms 02, 03 and the stop notice to online applicants, through Django's
locmem mail backend; each in the dossier's rule version."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from django.core import mail
from pypdf import PdfReader

from motcua.dossiers.services import Applicant, dossier_receive, dossier_transition
from motcua.notifications.models import Delivery, MessageTemplate
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db


class RecordingTransport:
    sent: list[tuple[str, str]] = []

    def send(self, phone, text):
        RecordingTransport.sent.append((phone, text))


@pytest.fixture
def sms(settings):
    settings.MOTCUA_SMS_TRANSPORT = "notifications.test_form_notifications.RecordingTransport"
    RecordingTransport.sent = []
    return RecordingTransport.sent


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def pdf_text(content: bytes) -> str:
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def received(personas, procedure, at="2025-07-07T08:00"):
    return dossier_receive(
        actor=personas["clerk"],
        procedure=procedure,
        applicant=Applicant(name="Phạm Văn Đức", phone="0905123456", email="duc@example.org"),
        received_at=local(at),
    )


def act(personas, who, dossier, action, **kw):
    return dossier_transition(actor=personas[who], dossier_id=dossier.pk, action=action, **kw)


def test_apology_notifies_by_email_with_form_04_and_by_sms(
    personas, procedure, sms, django_capture_on_commit_callbacks
):
    d = received(personas, procedure)
    act(personas, "clerk", d, "forward", at=local("2025-07-07T09:00"))
    mail.outbox.clear()
    new = d.due_at + timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        act(
            personas,
            "leader",
            d,
            "apologise",
            at=local("2025-07-09T16:00"),  # less than a working day before the due time
            note="Chờ kết quả xác minh của Công an tỉnh",
            new_appointment=new,
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["duc@example.org"]
    assert "xin lỗi" in message.subject.lower() and d.code in message.subject
    appointment = new.astimezone(TZ).strftime("%H:%M %d/%m/%Y")
    assert appointment in message.body and "Chờ kết quả xác minh" in message.body
    assert "mẫu số 04" in message.body
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and name == f"mau-04-{d.code}.pdf"
    text = pdf_text(content)
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
    assert "Chờ kết quả xác minh" in text
    assert sms and sms[-1][0] == "0905123456" and appointment in sms[-1][1]
    assert Delivery.objects.filter(dossier=d, key="apology", channel="email").count() == 1
    assert Delivery.objects.filter(dossier=d, key="sms_apology", channel="sms").count() == 1


def test_old_dossier_apology_attaches_the_circular_01_2018_form(
    personas, procedure, sms, django_capture_on_commit_callbacks
):
    d = received(personas, procedure, at="2025-03-10T08:00")
    act(personas, "clerk", d, "forward", at=local("2025-03-10T09:00"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(
            personas,
            "leader",
            d,
            "apologise",
            at=local("2025-03-11T09:00"),
            note="x",
            new_appointment=d.due_at + timedelta(days=3),
        )
    text = pdf_text(mail.outbox[0].attachments[0][1])
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text


@pytest.mark.parametrize(
    ("action", "who", "key", "title", "number"),
    [
        ("request_supplement", "clerk", "supplement_requested", "PHIẾU YÊU CẦU BỔ SUNG", "02"),
        ("refuse", "clerk", "refused", "PHIẾU TỪ CHỐI TIẾP NHẬN", "03"),
    ],
)
def test_online_applicant_gets_forms_02_and_03_by_email(
    personas,
    submit_online,
    sms,
    django_capture_on_commit_callbacks,
    action,
    who,
    key,
    title,
    number,
):
    with django_capture_on_commit_callbacks(execute=True):
        d = submit_online(personas["citizen1"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(personas, who, d, action, note="Thiếu bản sao giấy khai sinh")
    message = mail.outbox[0]
    assert message.to == ["citizen1@example.org"]
    assert Delivery.objects.filter(dossier=d, key=key, channel="email").count() == 1
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and name == f"mau-{number}-{d.code}.pdf"
    text = pdf_text(content)
    assert title in text and "Thiếu bản sao giấy khai sinh" in text


def test_stop_notice_is_sent_with_form_05_under_circular_03_2025(
    personas, procedure, sms, django_capture_on_commit_callbacks
):
    d = received(personas, procedure)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(personas, "leader", d, "stop", note="Có tranh chấp tài sản")
    message = mail.outbox[0]
    assert "dừng" in message.subject.lower()
    assert "mẫu số 05" in message.body
    text = pdf_text(message.attachments[0][1])
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text and "Có tranh chấp tài sản" in text


def test_stop_of_an_old_dossier_is_notified_without_a_form(
    personas, procedure, sms, django_capture_on_commit_callbacks
):
    d = received(personas, procedure, at="2025-03-10T08:00")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(personas, "leader", d, "stop", note="Có tranh chấp")
    message = mail.outbox[0]
    assert message.attachments == [] and "mẫu số" not in message.body


def test_new_templates_are_seeded_rows_and_administrators_edit_them(
    personas, procedure, sms, django_capture_on_commit_callbacks
):
    keys = set(MessageTemplate.objects.values_list("key", flat=True))
    assert {"refused", "stopped", "apology", "sms_apology"} <= keys
    MessageTemplate.objects.filter(key="apology", language="vi").update(
        subject="Thư xin lỗi – {{ code }}", body_text="Hẹn mới: {{ new_appointment }}"
    )
    d = received(personas, procedure)
    act(personas, "clerk", d, "forward", at=local("2025-07-07T09:00"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(
            personas,
            "leader",
            d,
            "apologise",
            at=local("2025-07-08T09:00"),
            note="x",
            new_appointment=local("2025-07-15T10:00"),
        )
    assert mail.outbox[0].subject == f"Thư xin lỗi – {d.code}"
    assert mail.outbox[0].body == "Hẹn mới: 10:00 15/07/2025"
    assert mail.outbox[0].attachments  # the form is attached whatever the wording


def test_portal_shows_the_forms_addressed_to_the_applicant(
    personas, submit_online, sms, django_capture_on_commit_callbacks
):
    from django.test import Client
    from django.urls import reverse

    d = submit_online(personas["citizen1"])
    act(personas, "clerk", d, "refuse", note="Không thuộc thẩm quyền")
    client = Client()
    client.force_login(personas["citizen1"])
    page = client.get(reverse("portal:dossier", args=[d.code])).content.decode()
    assert f"/ho-so/{d.code}/in/03.pdf" in page
    assert "03 · Phiếu từ chối tiếp nhận giải quyết hồ sơ" in page
    pdf = client.get(f"/ho-so/{d.code}/in/03.pdf")
    assert pdf.status_code == 200 and "Không thuộc thẩm quyền" in pdf_text(pdf.content)
    assert client.get(f"/ho-so/{d.code}/in/06/").status_code == 404  # the control sheet
    other = Client()
    other.force_login(personas["citizen2"])
    assert other.get(f"/ho-so/{d.code}/in/03.pdf").status_code == 404
