"""Staff pages: access (anonymous, no permission, permitted, other unit), intake, actions, worklist."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.audit.models import AuditEvent, PersonalDataAccess
from motcua.dossiers.choices import Channel, Status
from motcua.dossiers.models import Attachment, Dossier, DossierEvent, Transfer

from .test_views_support import HTML, PDF, PNG, local, make_dossier, media_fixture, upload

__all__ = ["media_fixture"]  # the `media` fixture

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def login(client, personas, who):
    client.force_login(personas[who])
    return client


def intake_data(procedure, **overrides):
    doc = procedure.documents.first()
    data = {
        "procedure": procedure.pk,
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_type": "cccd",
        "applicant_id_number": "046095000123",
        "applicant_phone": "0905 123 456",
        "applicant_email": "an@example.org",
        "applicant_address": "1 Lê Lợi, Huế",
        "channel": "counter",
        "sets_count": 1,
        "result_delivery": "desk",
        f"doc_{doc.pk}": "on",
        f"doc_{doc.pk}_count": 2,
    }
    data.update(overrides)
    return data


@pytest.fixture
def dossier(personas, procedure):
    return make_dossier(procedure, status=Status.IN_PROGRESS, step_order=3)


@pytest.fixture
def attachment(dossier, personas, media):
    from motcua.dossiers.attachments import store_attachment

    return store_attachment(
        actor=personas["clerk"], dossier=dossier, uploaded_file=upload("giay to.pdf", PDF)
    )


# --- access ------------------------------------------------------------------------------------
def staff_urls(dossier, attachment=None):
    urls = [
        "/ho-so/",
        "/ho-so/tiep-nhan/",
        f"/ho-so/{dossier.code}/",
    ]
    if attachment is not None:
        urls.append(f"/ho-so/{dossier.code}/tep/{attachment.pk}/")
    return urls


def test_anonymous_is_sent_to_login(client, dossier, attachment):
    for url in staff_urls(dossier, attachment):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/dang-nhap/?next=")
    response = client.post(f"/ho-so/{dossier.code}/forward/", {"note": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_PROGRESS


@pytest.mark.parametrize("who", ["citizen1", "notary", "admin"])
def test_non_staff_get_404_everywhere(client, personas, dossier, attachment, who):
    login(client, personas, who)
    for url in staff_urls(dossier, attachment):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/ho-so/{dossier.code}/stop/", {"note": "x"}).status_code == 404
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_PROGRESS


def test_other_unit_gets_404_on_unit_a_dossier_and_its_files(client, personas, dossier, attachment):
    login(client, personas, "clerk_b")
    assert client.get("/ho-so/").status_code == 200
    assert dossier.code not in client.get("/ho-so/").content.decode()
    assert client.get(f"/ho-so/{dossier.code}/").status_code == 404
    assert client.get(f"/ho-so/{dossier.code}/tep/{attachment.pk}/").status_code == 404
    assert client.post(f"/ho-so/{dossier.code}/withdraw/", {"note": "x"}).status_code == 404
    # Missing and not-yours look the same.
    assert client.get("/ho-so/000.00.12.H57-990101-9999/").status_code == 404
    assert PersonalDataAccess.objects.count() == 0
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_PROGRESS


def test_clerk_b_cannot_receive_for_unit_a(client, personas, procedure):
    login(client, personas, "clerk_b")
    response = client.post("/ho-so/tiep-nhan/", intake_data(procedure))
    assert response.status_code == 400
    assert Dossier.objects.count() == 0


@pytest.mark.parametrize("who", ["specialist", "leader", "auditor"])
def test_intake_is_for_clerks_only(client, personas, procedure, who):
    login(client, personas, who)
    assert client.get("/ho-so/tiep-nhan/").status_code == 404
    assert client.post("/ho-so/tiep-nhan/", intake_data(procedure)).status_code == 404
    assert Dossier.objects.count() == 0


# --- login ---------------------------------------------------------------------------------------
def test_login_page_and_redirects(client, personas):
    page = client.get("/dang-nhap/")
    assert page.status_code == 200 and b'name="password"' in page.content
    bad = client.post("/dang-nhap/", {"username": "clerk_a", "password": "wrong"})
    assert bad.status_code == 200 and b'role="alert"' in bad.content
    ok = client.post("/dang-nhap/", {"username": "clerk_a", "password": "pw"}, follow=True)
    assert ok.redirect_chain[-1][0] == "/ho-so/"
    out = client.post("/dang-xuat/")
    assert out.status_code == 302
    assert client.get("/ho-so/").status_code == 302


def test_citizen_login_goes_home(client, personas):
    response = client.post("/dang-nhap/", {"username": "citizen1", "password": "pw"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"


def test_login_next_parameter(client, personas):
    response = client.post(
        "/dang-nhap/?next=/ho-so/tiep-nhan/",
        {
            "username": "clerk_a",
            "password": "pw",
            "next": "/ho-so/tiep-nhan/",
        },
    )
    assert response["Location"] == "/ho-so/tiep-nhan/"


# --- intake ------------------------------------------------------------------------------------
def test_clerk_receives_a_dossier_with_attachments(client, personas, procedure, media):
    login(client, personas, "clerk")
    form = client.get("/ho-so/tiep-nhan/")
    assert form.status_code == 200
    assert "Tờ khai" in form.content.decode()  # the procedure's checklist
    files = [upload("to khai.pdf", PDF), upload("anh.png", PNG, "image/png")]
    response = client.post("/ho-so/tiep-nhan/", {**intake_data(procedure), "attachments": files})
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/ho-so/{dossier.code}/"
    assert dossier.status == Status.RECEIVED and dossier.channel == Channel.COUNTER
    assert dossier.applicant_phone == "0905123456"  # normalised
    assert dossier.applicant_name_folded == "nguyen van an"
    assert [(d.name, d.count) for d in dossier.documents.all()] == [("Tờ khai", 2)]
    stored = list(dossier.attachments.order_by("id"))
    assert [a.content_type for a in stored] == ["application/pdf", "image/png"]
    for a in stored:
        assert re.fullmatch(r"dossiers/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png)", a.storage_name)
        assert default_storage.exists(a.storage_name)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "to khai.pdf" in page.content.decode()


def test_intake_with_several_procedures_asks_for_the_procedure_first(client, personas, procedure):
    from motcua.procedures.models import Procedure

    Procedure.objects.create(code="DEMO-2", name="Thủ tục khác", unit=procedure.unit)
    login(client, personas, "clerk")
    pick = client.get("/ho-so/tiep-nhan/")
    assert pick.status_code == 200 and b'name="procedure"' in pick.content
    assert b"applicant_name" not in pick.content
    chosen = client.get(f"/ho-so/tiep-nhan/?procedure={procedure.pk}")
    assert b"applicant_name" in chosen.content
    assert client.get("/ho-so/tiep-nhan/?procedure=999999").status_code == 400


def test_unknown_cccd_prefix_is_a_warning_not_a_refusal(client, personas, procedure):
    login(client, personas, "clerk")
    response = client.post(
        "/ho-so/tiep-nhan/", intake_data(procedure, applicant_id_number="099095000123"), follow=True
    )
    assert response.status_code == 200
    dossier = Dossier.objects.get()
    assert dossier.applicant_id_number == "099095000123"
    assert "099" in response.content.decode()  # the warning names the unknown prefix
    assert b"flash-warning" in response.content


@pytest.mark.parametrize(
    ("id_type", "raw", "stored", "shown"),
    [
        ("cccd", "046 095 000 123", "046095000123", "Thẻ căn cước công dân / căn cước (CCCD)"),
        ("cmnd", "191.234.567", "191234567", "Chứng minh nhân dân (CMND)"),
        ("passport", "c1234567", "C1234567", "Hộ chiếu"),
        ("org_code", "0100 109 106 001", "0100109106-001", "Mã số doanh nghiệp / tổ chức"),
        ("other", " Thẻ TT  số 123 ", "Thẻ TT số 123", "Giấy tờ khác"),
    ],
)
def test_intake_with_each_identity_type(client, personas, procedure, id_type, raw, stored, shown):
    login(client, personas, "clerk")
    response = client.post(
        "/ho-so/tiep-nhan/",
        intake_data(procedure, applicant_id_type=id_type, applicant_id_number=raw),
        follow=True,
    )
    assert response.status_code == 200
    dossier = Dossier.objects.get()
    assert (dossier.applicant_id_type, dossier.applicant_id_number) == (id_type, stored)
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert f"{shown}: {stored}" in page


def test_intake_without_a_number_records_no_type(client, personas, procedure):
    login(client, personas, "clerk")
    client.post("/ho-so/tiep-nhan/", intake_data(procedure, applicant_id_number=""))
    dossier = Dossier.objects.get()
    assert (dossier.applicant_id_type, dossier.applicant_id_number) == ("", "")


def test_bad_identity_number_is_refused_in_vietnamese(client, personas, procedure):
    login(client, personas, "clerk")
    response = client.post(
        "/ho-so/tiep-nhan/",
        intake_data(procedure, applicant_id_type="org_code", applicant_id_number="123"),
    )
    assert response.status_code == 400
    assert "Mã số doanh nghiệp / tổ chức gồm 10 chữ số" in response.content.decode()
    assert Dossier.objects.count() == 0 and AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"applicant_name": "   "}, "applicant_name"),
        ({"applicant_id_number": "12345"}, "applicant_id_number"),
        ({"applicant_id_number": "046095x00123"}, "applicant_id_number"),
        (
            {"applicant_id_type": "cmnd", "applicant_id_number": "046095000123"},
            "applicant_id_number",
        ),
        (
            {"applicant_id_type": "passport", "applicant_id_number": "ABCDEFG"},
            "applicant_id_number",
        ),
        (
            {"applicant_id_type": "org_code", "applicant_id_number": "0100109106-01"},
            "applicant_id_number",
        ),
        ({"applicant_id_type": "other", "applicant_id_number": "x" * 21}, "applicant_id_number"),
        ({"applicant_id_type": "", "applicant_id_number": "046095000123"}, "applicant_id_type"),
        ({"applicant_id_type": "licence"}, "applicant_id_type"),
        ({"applicant_phone": "12"}, "applicant_phone"),
        ({"applicant_email": "not-an-email"}, "applicant_email"),
        ({"sets_count": "0"}, "sets_count"),
        ({"channel": "online"}, "channel"),
        ({"result_delivery": "pigeon"}, "result_delivery"),
    ],
)
def test_bad_intake_input_shows_errors_and_creates_nothing(
    client, personas, procedure, overrides, field
):
    login(client, personas, "clerk")
    response = client.post("/ho-so/tiep-nhan/", intake_data(procedure, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert b'role="alert"' in response.content
    assert Dossier.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_intake_needs_a_ticked_document(client, personas, procedure):
    login(client, personas, "clerk")
    doc = procedure.documents.first()
    data = intake_data(procedure)
    del data[f"doc_{doc.pk}"]
    response = client.post("/ho-so/tiep-nhan/", data)
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    assert Dossier.objects.count() == 0


@pytest.mark.parametrize(
    "bad",
    [
        upload("trojan.pdf", HTML),  # extension lies
        upload("empty.pdf", b""),
        upload("script.png", b"GIF89a....", "image/png"),  # GIF is not on the allow-list
    ],
)
def test_bad_attachment_creates_nothing(client, personas, procedure, media, bad):
    login(client, personas, "clerk")
    files = [upload("ok.pdf", PDF), bad]
    response = client.post("/ho-so/tiep-nhan/", {**intake_data(procedure), "attachments": files})
    assert response.status_code == 400
    assert "attachments" in response.context["form"].errors
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    assert not any(media.rglob("*.*"))


def test_attachment_too_large(client, personas, procedure, media, settings):
    settings.MOTCUA_MAX_UPLOAD_MB = 1
    login(client, personas, "clerk")
    big = upload("big.pdf", PDF + b"0" * (1024 * 1024))
    response = client.post("/ho-so/tiep-nhan/", {**intake_data(procedure), "attachments": [big]})
    assert response.status_code == 400
    assert "1 MB" in str(response.context["form"].errors["attachments"])
    assert Dossier.objects.count() == 0


def test_failure_while_storing_rolls_everything_back(
    client, personas, procedure, media, monkeypatch
):
    """A file refused at storage time (after the dossier row exists): nothing remains."""
    from motcua.dossiers import attachments

    real = attachments._inspect  # the check made again when storing (core/uploads.py)
    calls = {"n": 0}

    def flaky(uploaded):
        calls["n"] += 1
        # The form checked both files already; here the second one fails at storage time.
        if calls["n"] == 2:
            raise attachments.AttachmentError("disk says no")
        return real(uploaded)

    monkeypatch.setattr(attachments, "_inspect", flaky)
    files = [upload("a.pdf", PDF), upload("b.pdf", PDF)]
    login(client, personas, "clerk")
    response = client.post("/ho-so/tiep-nhan/", {**intake_data(procedure), "attachments": files})
    assert response.status_code == 400
    assert "disk says no" in response.content.decode()
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0
    assert DossierEvent.objects.count() == 0
    assert not any(p.is_file() for p in media.rglob("*"))


# --- dossier page ------------------------------------------------------------------------------
def action_names(response) -> set[str]:
    return set(re.findall(r'data-action="([a-z_]+)"', response.content.decode()))


def test_dossier_page_logs_the_view_of_personal_data(client, personas, dossier):
    login(client, personas, "specialist")
    response = client.get(f"/ho-so/{dossier.code}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert dossier.applicant_name in body and dossier.applicant_id_number in body
    access = PersonalDataAccess.objects.get()
    assert access.who == personas["specialist"] and access.purpose == "xem hồ sơ"
    assert access.subject_id == str(dossier.pk)
    for number in ("01", "02", "03", "04", "05"):
        assert f"/ho-so/{dossier.code}/in/{number}/" in body


def test_behind_the_proxy_the_audit_keeps_the_clients_address(client, personas, dossier, settings):
    # Behind nginx REMOTE_ADDR is the proxy; the address it appended to X-Forwarded-For is the
    # client's, and the entries before it are whatever the client sent (never trusted).
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    login(client, personas, "specialist")
    response = client.get(
        f"/ho-so/{dossier.code}/",
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert response.status_code == 200
    assert PersonalDataAccess.objects.get().ip == "203.0.113.7"


def test_without_the_proxy_setting_forwarded_headers_are_ignored(client, personas, dossier):
    login(client, personas, "specialist")
    client.get(
        f"/ho-so/{dossier.code}/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="6.6.6.6"
    )
    assert PersonalDataAccess.objects.get().ip == "198.51.100.4"


def test_leader_sees_the_leader_buttons(client, personas, dossier):
    # The current step (order 3) is the leader's approval.
    login(client, personas, "leader")
    names = action_names(client.get(f"/ho-so/{dossier.code}/"))
    assert names == {
        "request_supplement",
        "forward",
        "return_step",
        "transfer",
        "request_payment",
        "stop",
        "apologise",
        "result_ready",
        "refuse",  # refusal after reception (form 03 signed by the leader)
    }


def test_specialist_does_not_get_the_leaders_step_buttons(client, personas, dossier):
    login(client, personas, "specialist")
    names = action_names(client.get(f"/ho-so/{dossier.code}/"))
    assert names == {"request_supplement", "transfer", "request_payment"}


def test_clerk_and_auditor_buttons(client, personas, dossier):
    login(client, personas, "clerk")
    assert action_names(client.get(f"/ho-so/{dossier.code}/")) == {"withdraw"}
    client.logout()
    login(client, personas, "auditor")
    response = client.get(f"/ho-so/{dossier.code}/")
    assert response.status_code == 200 and action_names(response) == set()


def test_open_transfer_swaps_transfer_for_transfer_back(client, personas, dossier, units):
    Transfer.objects.create(
        dossier=dossier,
        to_unit=units["B"],
        sent_at=local("2025-03-10T09:00"),
        due_at=local("2025-03-11T09:00"),
    )
    login(client, personas, "leader")
    names = action_names(client.get(f"/ho-so/{dossier.code}/"))
    assert "transfer_back" in names and "transfer" not in names


def test_forward_with_assignee(client, personas, procedure):
    d = make_dossier(procedure, status=Status.RECEIVED, step_order=1)
    login(client, personas, "clerk")
    page = client.get(f"/ho-so/{d.code}/")
    assert "Trần Văn Minh" in page.content.decode()  # assignee choices: the next step's role
    response = client.post(
        f"/ho-so/{d.code}/forward/", {"assignee": personas["specialist"].pk, "note": "Chuyển"}
    )
    assert response.status_code == 302 and response["Location"] == f"/ho-so/{d.code}/"
    d.refresh_from_db()
    assert d.status == Status.IN_PROGRESS
    assert d.current_step.order == 2 and d.current_step.assignee == personas["specialist"]


def test_refused_action_is_a_message_and_changes_nothing(client, personas, dossier, units):
    Transfer.objects.create(
        dossier=dossier,
        to_unit=units["B"],
        sent_at=local("2025-03-10T09:00"),
        due_at=local("2025-03-11T09:00"),
    )
    before = DossierEvent.objects.count()
    login(client, personas, "leader")
    response = client.post(
        f"/ho-so/{dossier.code}/result_ready/", {"note": "", "confirm": "1"}, follow=True, **EN
    )
    assert "has not answered" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS and dossier.finished_at is None
    assert DossierEvent.objects.count() == before


@pytest.mark.parametrize(
    ("who", "action", "data"),
    [
        ("leader", "stop", {"note": ""}),  # a reason is required
        ("leader", "apologise", {"note": "x", "new_appointment": "not a date"}),
        ("leader", "transfer", {"to_unit": "", "transfer_hours": "8"}),
        ("clerk", "result_ready", {}),  # not the clerk's action
        ("specialist", "accept", {}),  # not possible in this status
    ],
)
def test_bad_action_input_changes_nothing(client, personas, dossier, who, action, data):
    before = (DossierEvent.objects.count(), AuditEvent.objects.count())
    login(client, personas, who)
    response = client.post(f"/ho-so/{dossier.code}/{action}/", data, follow=True)
    assert response.status_code == 200
    assert b"flash-error" in response.content
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS and dossier.closed_at is None
    assert (DossierEvent.objects.count(), AuditEvent.objects.count()) == before


def test_unknown_action_is_404(client, personas, dossier):
    login(client, personas, "leader")
    assert client.post(f"/ho-so/{dossier.code}/explode/").status_code == 404
    assert client.get(f"/ho-so/{dossier.code}/stop/").status_code == 405


def test_apology_with_new_appointment(client, personas, procedure):
    with time_machine.travel(local("2025-03-12T09:00"), tick=False):
        d = make_dossier(
            procedure, status=Status.IN_PROGRESS, step_order=3, due_at=local("2025-03-17T10:00")
        )
        login(client, personas, "leader")
        response = client.post(
            f"/ho-so/{d.code}/apologise/",
            {"note": "Chờ xác minh", "new_appointment": "2025-03-20T10:00"},
        )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.new_appointment_at == local("2025-03-20T10:00")
    assert d.apology_reason == "Chờ xác minh"


def test_transfer_to_coordinating_unit(client, personas, dossier, units):
    login(client, personas, "leader")
    page = client.get(f"/ho-so/{dossier.code}/")
    assert units["B"].short_name in page.content.decode()
    client.post(
        f"/ho-so/{dossier.code}/transfer/",
        {"to_unit": units["B"].pk, "transfer_hours": "16", "note": "Xin ý kiến"},
    )
    transfer = Transfer.objects.get()
    assert transfer.to_unit == units["B"] and transfer.returned_at is None


# --- downloads ---------------------------------------------------------------------------------
def test_download_headers_and_audit(client, personas, dossier, attachment):
    login(client, personas, "specialist")
    response = client.get(f"/ho-so/{dossier.code}/tep/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="dossier.attachment_download").count() == 1
    assert PersonalDataAccess.objects.filter(purpose="tải tệp đính kèm").count() == 1


def test_download_of_another_dossiers_attachment_is_404(client, personas, procedure, attachment):
    other = make_dossier(procedure)
    login(client, personas, "clerk")
    assert client.get(f"/ho-so/{other.code}/tep/{attachment.pk}/").status_code == 404
    assert client.get(f"/ho-so/{other.code}/tep/999999/").status_code == 404


# --- worklist ----------------------------------------------------------------------------------
NOW = "2025-03-12T10:00"


def codes_in(response) -> list[str]:
    return re.findall(r'data-code="([^"]+)"', response.content.decode())


def row_of(response, code) -> str:
    body = response.content.decode()
    start = body.index(f'data-code="{code}"')
    return body[body.rindex("<tr", 0, start) : body.index("</tr>", start)]


@pytest.fixture
def frozen():
    with time_machine.travel(local(NOW), tick=False):
        yield


def test_worklist_order_and_highlighting(client, personas, procedure, frozen):
    later = make_dossier(procedure, due_at=local("2025-03-14T10:00"))
    overdue = make_dossier(procedure, due_at=local("2025-03-12T09:00"))
    today = make_dossier(procedure, due_at=local("2025-03-12T16:00"))
    online = make_dossier(
        procedure,
        status=Status.SUBMITTED_ONLINE,
        received_at=local("2025-03-11T10:00"),
        due_at=local("2025-03-12T11:00"),
    )
    closed = make_dossier(procedure, status=Status.RETURNED)
    other_unit = make_dossier(
        procedure, unit=procedure.unit.__class__.objects.get(code="000.00.13.H57")
    )
    login(client, personas, "clerk")
    response = client.get("/ho-so/", **EN)
    assert response.status_code == 200
    assert codes_in(response) == [overdue.code, online.code, today.code, later.code]
    assert closed.code not in codes_in(response) and other_unit.code not in codes_in(response)
    assert "due-overdue" in row_of(response, overdue.code)
    assert "Overdue" in row_of(response, overdue.code)  # a text label, not colour alone
    assert "due-today" in row_of(response, today.code) and "Due today" in row_of(
        response, today.code
    )
    assert "due-today" in row_of(response, online.code)
    assert "due-" not in row_of(response, later.code).split("class=")[1].split('"')[1]


def test_worklist_result_ready_shows_timeliness(client, personas, procedure, frozen):
    d = make_dossier(
        procedure,
        status=Status.RESULT_READY,
        due_at=local("2025-03-14T10:00"),
        finished_at=local("2025-03-11T10:00"),
    )
    login(client, personas, "leader")
    row = row_of(client.get("/ho-so/", **EN), d.code)
    assert "due-early" in row and "Early" in row


def test_worklist_filters(client, personas, procedure, frozen):
    from motcua.procedures.models import Procedure

    other_proc = Procedure.objects.create(code="DEMO-2", name="Khác", unit=procedure.unit)
    an = make_dossier(procedure, name="Nguyễn Văn An", assignee=personas["specialist"])
    binh = make_dossier(
        procedure, name="Trần Thị Bình", status=Status.RECEIVED, step_order=1, channel=Channel.POST
    )
    late = make_dossier(procedure, name="Lê Đức", due_at=local("2025-03-11T10:00"))
    other = make_dossier(
        other_proc, name="Phạm Chí", step_order=None, status=Status.WAITING_SUPPLEMENT
    )
    login(client, personas, "specialist")

    def codes(**params):
        response = client.get("/ho-so/", params)
        assert response.status_code == 200
        return set(codes_in(response))

    assert codes() == {an.code, binh.code, late.code, other.code}
    assert codes(q="nguyen van an") == {an.code}  # diacritics-insensitive
    assert codes(q="TRẦN") == {binh.code}
    assert codes(q="le duc") == {late.code}
    assert codes(q=late.code[-6:]) == {late.code}
    assert codes(status=Status.RECEIVED) == {binh.code}
    assert codes(channel="post") == {binh.code}
    assert codes(procedure=other_proc.pk) == {other.code}
    assert codes(mine="on") == {an.code}
    assert codes(overdue="on") == {late.code}


def test_worklist_bad_filter_is_400_with_message(client, personas, procedure):
    login(client, personas, "clerk")
    response = client.get("/ho-so/", {"status": "99", "channel": "fax"})
    assert response.status_code == 400
    assert {"status", "channel"} <= set(response.context["form"].errors)
    assert b'role="alert"' in response.content


def test_worklist_paginates(client, personas, procedure):
    for _ in range(30):
        make_dossier(procedure)
    login(client, personas, "clerk")
    first = client.get("/ho-so/")
    assert len(codes_in(first)) == 25
    second = client.get("/ho-so/", {"page": 2})
    assert len(codes_in(second)) == 5
    assert not set(codes_in(first)) & set(codes_in(second))
    assert client.get("/ho-so/", {"page": "abc"}).status_code == 200


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_worklist_query_count_is_constant(client, personas, procedure, django_assert_num_queries):
    for i in range(3):
        make_dossier(procedure, assignee=personas["specialist"] if i % 2 else None)
    login(client, personas, "specialist")
    client.get("/ho-so/")  # warm the session
    baseline = _count_queries(client, "/ho-so/")
    for i in range(27):
        make_dossier(procedure, assignee=personas["specialist"] if i % 2 else None)
    with django_assert_num_queries(baseline):
        client.get("/ho-so/")
    with django_assert_num_queries(baseline):
        client.get("/ho-so/?q=nguyen&mine=on")


def test_dossier_page_query_count_is_constant(
    client, personas, procedure, media, django_assert_num_queries
):
    from motcua.dossiers.attachments import store_attachment
    from motcua.dossiers.models import DossierEvent as Event

    d = make_dossier(procedure, status=Status.IN_PROGRESS, step_order=3)
    login(client, personas, "leader")
    client.get(f"/ho-so/{d.code}/")
    baseline = _count_queries(client, f"/ho-so/{d.code}/")
    for i in range(20):
        Event.objects.create(
            dossier=d,
            at=local("2025-03-10T09:00"),
            action="forward",
            actor=personas["clerk"],
            note=f"n{i}",
        )
        store_attachment(actor=personas["clerk"], dossier=d, uploaded_file=upload(f"{i}.pdf", PDF))
    with django_assert_num_queries(baseline):
        client.get(f"/ho-so/{d.code}/")


# --- staff upload of the electronic result -------------------------------------------------------
def test_leader_uploads_the_electronic_result(client, personas, dossier, media):
    client.force_login(personas["leader"])
    url = f"/ho-so/{dossier.code}/tai-tep/"
    r = client.post(url, {"kind": "result", "file": upload("ket-qua.pdf", PDF)})
    assert r.status_code == 302
    stored = dossier.attachments.get()
    assert stored.kind == "result" and stored.original_name == "ket-qua.pdf"
    assert "ket-qua.pdf" in client.get(f"/ho-so/{dossier.code}/").content.decode()


@pytest.mark.parametrize(
    ("data", "who"),
    [
        ({"kind": "result", "file": "HTML"}, "leader"),  # not a PDF/JPEG/PNG by content
        ({"kind": "nonsense", "file": "PDF"}, "leader"),
        ({"kind": "result"}, "leader"),  # no file
        ({"kind": "result", "file": "PDF"}, "auditor"),  # read-only role
    ],
)
def test_bad_uploads_change_nothing(client, personas, dossier, media, data, who):
    client.force_login(personas[who])
    payload = dict(data)
    if "file" in payload:
        payload["file"] = upload("x.pdf", {"HTML": HTML, "PDF": PDF}[payload["file"]])
    r = client.post(f"/ho-so/{dossier.code}/tai-tep/", payload)
    assert r.status_code == 302
    assert not dossier.attachments.exists()
    assert not any(media.rglob("*.pdf"))


@pytest.mark.parametrize("who", ["clerk_b", "citizen1"])
def test_upload_to_another_units_dossier_is_404(client, personas, dossier, media, who):
    client.force_login(personas[who])
    r = client.post(
        f"/ho-so/{dossier.code}/tai-tep/", {"kind": "result", "file": upload("a.pdf", PDF)}
    )
    assert r.status_code == 404
    assert not dossier.attachments.exists()


def test_upload_needs_login(client, dossier):
    r = client.post(f"/ho-so/{dossier.code}/tai-tep/", {"kind": "result"})
    assert r.status_code == 302 and "/dang-nhap/" in r["Location"]


def test_a_dangerous_action_without_the_confirmation_changes_nothing(client, personas, procedure):
    """Issue 14: stop, refuse, withdraw and result ready are confirmed; the server checks the box
    (the page's `required` alone would not stop a scripted POST)."""
    dossier = make_dossier(procedure, status=Status.IN_PROGRESS)
    before = DossierEvent.objects.count()
    login(client, personas, "leader")
    response = client.post(
        f"/ho-so/{dossier.code}/stop/", {"note": "Không đủ điều kiện"}, follow=True, **EN
    )
    assert "Tick the box to confirm" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS and DossierEvent.objects.count() == before
    client.post(f"/ho-so/{dossier.code}/stop/", {"note": "Không đủ điều kiện", "confirm": "1"})
    dossier.refresh_from_db()
    assert dossier.status == Status.STOPPED
