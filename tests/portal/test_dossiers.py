"""The citizen's own pages: submission, "My dossiers", supplement, withdrawal, delivery, downloads.

Every page and download: anonymous (login), another citizen and staff of the unit (404: the portal
shows only the applicant's own dossiers), the applicant (allowed).
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers.attachments import store_attachment
from motcua.dossiers.choices import Status
from motcua.dossiers.models import Attachment, Dossier, DossierEvent
from motcua.dossiers.services import dossier_transition

from .conftest import HTML, PDF, pdf

pytestmark = pytest.mark.django_db


def form_data(procedure, **overrides):
    data = {
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_type": "cccd",
        "applicant_id_number": "046095000123",
        "applicant_phone": "0905 123 456",
        "applicant_email": "an@example.org",
        "applicant_address": "12 Lê Lợi, Huế",
        "result_delivery": "online",
        "declaration": "on",
    }
    for doc in procedure.documents.all():
        data[f"doc_{doc.pk}"] = pdf()
    data.update(overrides)
    return data


# --- submission --------------------------------------------------------------------------------
def test_submit_requires_login(client, online_procedure):
    url = reverse("portal:submit", args=[online_procedure.code])
    response = client.get(url)
    # The citizens' sign-in (issue 14), never the staff login, and back to the form.
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_submit_online(client, personas, online_procedure, media):
    client.force_login(personas["citizen1"])
    url = reverse("portal:submit", args=[online_procedure.code])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(online_procedure))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dossier", args=[dossier.code])
    assert dossier.status == Status.SUBMITTED_ONLINE
    assert dossier.applicant_user == personas["citizen1"]
    assert dossier.applicant_phone == "0905123456"
    assert dossier.intake_due_at is not None and dossier.received_at is None
    assert dossier.attachments.count() == 1
    assert [d.name for d in dossier.documents.all()] == ["Tờ khai"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"declaration": ""},
        {"applicant_id_number": "12345"},
        {"applicant_id_number": ""},
        {"applicant_id_type": "", "applicant_id_number": "046095000123"},
        {"applicant_id_type": "passport", "applicant_id_number": "PASSPORT"},
        {"applicant_id_type": "org_code", "applicant_id_number": "0100109106-1"},
        {"applicant_phone": "12345"},
        {"doc": SimpleUploadedFile("to-khai.pdf", HTML, content_type="application/pdf")},
        {"doc": None},  # a mandatory document missing
    ],
)
def test_submit_refused_changes_nothing(client, personas, online_procedure, media, overrides):
    client.force_login(personas["citizen1"])
    data = form_data(online_procedure)
    doc_key = next(k for k in data if k.startswith("doc_"))
    if "doc" in overrides:
        value = overrides.pop("doc")
        if value is None:
            data.pop(doc_key)
        else:
            data[doc_key] = value
    data.update(overrides)
    response = client.post(reverse("portal:submit", args=[online_procedure.code]), data)
    assert response.status_code == 400
    assert not Dossier.objects.exists() and not Attachment.objects.exists()
    assert not any(media.rglob("*.pdf"))


@pytest.mark.parametrize(
    ("id_type", "raw", "stored"),
    [
        ("cccd", "046 095 000 123", "046095000123"),
        ("cmnd", "191234567", "191234567"),
        ("passport", "c1234567", "C1234567"),
        ("org_code", "0100109106 001", "0100109106-001"),
        ("other", "Thẻ TT 12", "Thẻ TT 12"),
    ],
)
def test_submit_online_with_each_identity_type(
    client, personas, online_procedure, media, id_type, raw, stored
):
    client.force_login(personas["citizen1"])
    url = reverse("portal:submit", args=[online_procedure.code])
    response = client.post(
        url, form_data(online_procedure, applicant_id_type=id_type, applicant_id_number=raw)
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.applicant_id_type, dossier.applicant_id_number) == (id_type, stored)


def test_submit_online_bad_passport_is_explained_in_vietnamese(
    client, personas, online_procedure, media
):
    client.force_login(personas["citizen1"])
    response = client.post(
        reverse("portal:submit", args=[online_procedure.code]),
        form_data(online_procedure, applicant_id_type="passport", applicant_id_number="ABC"),
    )
    assert response.status_code == 400
    assert "Số hộ chiếu gồm 6 đến 9 chữ cái và chữ số" in response.content.decode()
    assert not Dossier.objects.exists()


def test_not_online_procedure_has_no_form(client, personas, procedure):
    procedure.online_level = "none"
    procedure.save()
    client.force_login(personas["citizen1"])
    assert client.get(reverse("portal:submit", args=[procedure.code])).status_code == 404


def test_profile_prefills_the_form(client, personas, online_procedure):
    client.force_login(personas["citizen1"])
    response = client.post(
        reverse("portal:profile"),
        {"full_name": "Trần Thị Bình", "id_number": "046195000321", "phone": "0912345678"},
    )
    assert response.status_code == 302
    html = client.get(reverse("portal:submit", args=[online_procedure.code])).content.decode()
    assert "Trần Thị Bình" in html and "046195000321" in html
    assert '<option value="cccd" selected>' in html


def test_profile_rejects_a_bad_cccd(client, personas):
    client.force_login(personas["citizen1"])
    response = client.post(reverse("portal:profile"), {"full_name": "A", "id_number": "123"})
    assert response.status_code == 400
    assert not hasattr(personas["citizen1"], "citizen_profile") or True
    from motcua.accounts.models import CitizenProfile

    assert not CitizenProfile.objects.exists()


# --- access: every page and download ------------------------------------------------------------
def _pages(dossier, attachment):
    code = dossier.code
    return {
        "get": [
            reverse("portal:dossier", args=[code]),
            reverse("portal:download", args=[code, attachment.pk]),
        ],
        "post": [
            reverse("portal:supplement", args=[code]),
            reverse("portal:withdraw", args=[code]),
            reverse("portal:delivery", args=[code]),
            reverse("portal:pay", args=[code]),
        ],
    }


def test_pages_anonymous_redirect_to_login(client, personas, submit_online):
    dossier = submit_online(personas["citizen1"])
    pages = _pages(dossier, dossier.attachments.get())
    for url in pages["get"] + pages["post"]:
        response = client.get(url) if url in pages["get"] else client.post(url)
        assert response.status_code == 302 and response["Location"].startswith(
            "/tai-khoan/login/?next="
        ), url


@pytest.mark.parametrize("who", ["citizen2", "clerk", "clerk_b", "admin"])
def test_pages_are_404_for_anyone_but_the_applicant(client, personas, submit_online, who):
    dossier = submit_online(personas["citizen1"])
    attachment = dossier.attachments.get()
    client.force_login(personas[who])
    pages = _pages(dossier, attachment)
    for url in pages["get"]:
        assert client.get(url).status_code == 404, url
    for url in pages["post"]:
        assert client.post(url, {"reason": "x", "note": "x", "delivery": "post"}).status_code == 404
    # a missing dossier looks the same
    assert (
        client.get(reverse("portal:dossier", args=["000.00.12.H57-000000-0000"])).status_code == 404
    )
    assert Dossier.objects.get().status == Status.SUBMITTED_ONLINE


def test_applicant_sees_their_dossier_and_downloads(client, personas, submit_online):
    dossier = submit_online(personas["citizen1"])
    attachment = dossier.attachments.get()
    client.force_login(personas["citizen1"])
    html = client.get(reverse("portal:dossier", args=[dossier.code])).content.decode()
    assert dossier.code in html and "to-khai.pdf" in html
    response = client.get(reverse("portal:download", args=[dossier.code, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF


def test_internal_attachments_are_never_shown(client, personas, submit_online):
    dossier = submit_online(personas["citizen1"])
    internal = store_attachment(
        actor=personas["clerk"], dossier=dossier, uploaded_file=pdf("ghi-chu.pdf"), kind="internal"
    )
    client.force_login(personas["citizen1"])
    assert (
        "ghi-chu.pdf"
        not in client.get(reverse("portal:dossier", args=[dossier.code])).content.decode()
    )
    url = reverse("portal:download", args=[dossier.code, internal.pk])
    assert client.get(url).status_code == 404


def test_my_dossiers_only_own_and_constant_queries(
    client, personas, submit_online, django_assert_num_queries
):
    mine = submit_online(personas["citizen1"])
    other = submit_online(personas["citizen2"])
    client.force_login(personas["citizen1"])
    url = reverse("portal:my_dossiers")
    html = client.get(url).content.decode()
    assert mine.code in html and other.code not in html
    for _ in range(5):
        submit_online(personas["citizen1"])
    client.get(url)  # warm the session
    # session, user, count, page (the header's "is this an official?" is kept in the session)
    with django_assert_num_queries(4):
        client.get(url)
    assert client.get(url).context["page"].paginator.count == 6


def test_my_dossiers_requires_login(client):
    response = client.get(reverse("portal:my_dossiers"))
    assert response.status_code == 302


# --- supplement ----------------------------------------------------------------------------------
def test_supplement_before_reception_returns_to_intake(client, personas, submit_online):
    dossier = submit_online(personas["citizen1"])
    first_due = dossier.intake_due_at
    dossier_transition(
        actor=personas["clerk"],
        dossier_id=dossier.pk,
        action="request_supplement",
        note="Thiếu ảnh",
    )
    client.force_login(personas["citizen1"])
    page = client.get(reverse("portal:dossier", args=[dossier.code])).content.decode()
    assert "Thiếu ảnh" in page
    response = client.post(
        reverse("portal:supplement", args=[dossier.code]), {"files": pdf("anh.pdf"), "note": ""}
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED_ONLINE
    assert dossier.intake_due_at >= first_due
    assert dossier.attachments.count() == 2
    actions = list(dossier.events.values_list("action", flat=True))
    assert actions == ["submit_online", "request_supplement", "supplement_online"]
    # the same code; the clerk can now accept it
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="accept")
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


def test_supplement_after_reception_waits_for_the_clerk(client, personas, submit_online):
    dossier = submit_online(personas["citizen1"])
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="accept")
    dossier_transition(
        actor=personas["clerk"], dossier_id=dossier.pk, action="request_supplement", note="Thiếu"
    )
    client.force_login(personas["citizen1"])
    client.post(
        reverse("portal:supplement", args=[dossier.code]), {"note": "Đã gửi bản gốc qua bưu điện"}
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.WAITING_SUPPLEMENT
    assert dossier.events.filter(action="supplement_online").exists()
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="supplement_received")
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS


def test_supplement_refused_when_not_asked_or_empty(client, personas, submit_online, media):
    dossier = submit_online(personas["citizen1"])
    client.force_login(personas["citizen1"])
    url = reverse("portal:supplement", args=[dossier.code])
    assert client.post(url, {"files": pdf("x.pdf")}).status_code == 400
    dossier_transition(
        actor=personas["clerk"], dossier_id=dossier.pk, action="request_supplement", note="Thiếu"
    )
    assert client.post(url, {"note": ""}).status_code == 400
    bad = SimpleUploadedFile("x.pdf", HTML, content_type="application/pdf")
    assert client.post(url, {"files": bad}).status_code == 400
    dossier.refresh_from_db()
    assert dossier.status == Status.WAITING_SUPPLEMENT and dossier.attachments.count() == 1


# --- withdrawal, delivery -----------------------------------------------------------------------
def test_withdraw_needs_a_reason(client, personas, submit_online):
    dossier = submit_online(personas["citizen1"])
    client.force_login(personas["citizen1"])
    url = reverse("portal:withdraw", args=[dossier.code])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Không còn nhu cầu"}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN and dossier.closing_reason == "Không còn nhu cầu"
    event = DossierEvent.objects.get(dossier=dossier, action="withdraw")
    assert event.actor == personas["citizen1"]
    # not possible twice
    assert client.post(url, {"reason": "again"}).status_code == 400


def test_change_delivery_to_post(client, personas, submit_online):
    dossier = submit_online(personas["citizen1"])
    client.force_login(personas["citizen1"])
    url = reverse("portal:delivery", args=[dossier.code])
    assert client.post(url, {"delivery": "post", "address": ""}).status_code == 400
    assert client.post(url, {"delivery": "post", "address": "5 Hùng Vương, Huế"}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.result_delivery == "post" and dossier.applicant_address == "5 Hùng Vương, Huế"


# --- result --------------------------------------------------------------------------------------
def _to_result_ready(dossier, personas):
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="accept")
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="forward")
    dossier_transition(actor=personas["specialist"], dossier_id=dossier.pk, action="forward")
    result = store_attachment(
        actor=personas["leader"], dossier=dossier, uploaded_file=pdf("ket-qua.pdf"), kind="result"
    )
    dossier_transition(actor=personas["leader"], dossier_id=dossier.pk, action="result_ready")
    return result


def test_download_electronic_result_returns_the_dossier(client, personas, submit_online):
    dossier = submit_online(personas["citizen1"])
    result = _to_result_ready(dossier, personas)
    client.force_login(personas["citizen2"])
    assert client.get(reverse("portal:download", args=[dossier.code, result.pk])).status_code == 404
    client.force_login(personas["citizen1"])
    html = client.get(reverse("portal:dossier", args=[dossier.code])).content.decode()
    assert "ket-qua.pdf" in html
    response = client.get(reverse("portal:download", args=[dossier.code, result.pk]))
    assert response.status_code == 200
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.returned_at is not None
    # a second download serves the file and changes nothing
    assert client.get(reverse("portal:download", args=[dossier.code, result.pk])).status_code == 200


def test_receipt_link_after_acceptance(client, personas, submit_online):
    dossier = submit_online(personas["citizen1"])
    client.force_login(personas["citizen1"])
    receipt = reverse("dossiers:print_form", kwargs={"code": dossier.code, "number": "01"})
    assert (
        receipt not in client.get(reverse("portal:dossier", args=[dossier.code])).content.decode()
    )
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="accept")
    assert receipt in client.get(reverse("portal:dossier", args=[dossier.code])).content.decode()
    assert client.get(receipt).status_code == 200
    client.force_login(personas["citizen2"])
    assert client.get(receipt).status_code == 404


def test_rating_link_shown_once_the_result_is_ready(client, personas, submit_online):
    dossier = submit_online(personas["citizen1"])
    _to_result_ready(dossier, personas)
    client.force_login(personas["citizen1"])
    response = client.get(reverse("portal:dossier", args=[dossier.code]))
    assert response.context["rating_url"] == reverse("feedback:rate", args=[dossier.code])
    assert "rating-link" in response.content.decode()


def test_csrf_is_enforced(personas, submit_online):
    from django.test import Client

    dossier = submit_online(personas["citizen1"])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(personas["citizen1"])
    response = strict.post(reverse("portal:withdraw", args=[dossier.code]), {"reason": "x"})
    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED_ONLINE
