"""The leader approves and signs the result in one step; the dossier page and the API show the
signatures of PDF attachments; the public verification page of a signed result."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from dossiers.test_views_support import make_dossier, media_fixture

from motcua.audit.models import AuditEvent
from motcua.dossiers.attachments import store_attachment
from motcua.dossiers.choices import AttachmentKind, Status
from motcua.dossiers.models import Attachment, Dossier
from motcua.signing import conf
from motcua.signing.models import KeyKind, SignedResult, SignerProfile
from motcua.signing.verify import verify_pdf

from . import pki

__all__ = ["media_fixture"]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signing_settings(settings, test_pki, monkeypatch):
    settings.MOTCUA_TRUST_ROOTS = [str(test_pki.trust_pem)]
    settings.MOTCUA_SIGN_AGENCY_PKCS12 = str(test_pki.agency_p12)
    settings.MOTCUA_SIGN_AGENCY_SECRET = test_pki.password
    settings.MOTCUA_SIGN_AGENCY_NAME = "Sở Tư pháp thử nghiệm"
    settings.MOTCUA_PUBLIC_URL = "https://motcua.example.gov.vn"
    stamper = pki.dummy_timestamper(test_pki.ca)
    monkeypatch.setattr(conf, "timestamper", lambda: stamper)


@pytest.fixture
def dossier(personas, procedure):
    # At the leader's approval step (step 3 of the procedure).
    return make_dossier(procedure, status=Status.IN_PROGRESS, step_order=3)


@pytest.fixture
def draft(dossier, personas, media, result_pdf):
    # The draft result prepared by the specialist, kept internal until it is signed.
    return store_attachment(
        actor=personas["specialist"],
        dossier=dossier,
        uploaded_file=SimpleUploadedFile("ket-qua.pdf", result_pdf, "application/pdf"),
        kind=AttachmentKind.INTERNAL,
    )


@pytest.fixture
def profile(personas, test_pki):
    return SignerProfile.objects.create(
        user=personas["leader"],
        display_name="Nguyễn Văn Lãnh Đạo",
        position="Giám đốc",
        agency="Sở Tư pháp thử nghiệm",
        kind=KeyKind.PKCS12,
        pkcs12_path=str(test_pki.leader_p12),
    )


def qr_squares(data: bytes, field: str) -> int:
    """Rectangles drawn in a signature field's appearance (a QR code is made of them)."""
    import io

    from pypdf import PdfReader

    def count(xobject) -> int:
        found = xobject.get_data().count(b" re")
        resources = xobject.get("/Resources") or {}
        for child in (resources.get("/XObject") or {}).values():
            found += count(child.get_object())
        return found

    page = PdfReader(io.BytesIO(data)).pages[-1]
    for annot in page["/Annots"]:
        widget = annot.get_object()
        if widget.get("/T") == field:
            return count(widget["/AP"]["/N"].get_object())
    raise AssertionError(field)


def sign(client, dossier, draft, secret, number="123/QĐ-STP", **extra):
    data = {"attachment": draft.pk, "result_number": number, "secret": secret, **extra}
    return client.post(f"/ho-so/{dossier.code}/ky-so/", data, HTTP_ACCEPT_LANGUAGE="vi")


def messages_of(client, dossier) -> str:
    return client.get(f"/ho-so/{dossier.code}/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()


def test_leader_approves_and_signs_in_one_step(
    client, personas, procedure, dossier, draft, profile, test_pki
):
    procedure.two_signatures = True  # the leader's, then the agency's (issue 15)
    procedure.save()
    client.force_login(personas["leader"])
    page = messages_of(client, dossier)
    assert 'data-action="sign_result"' in page
    response = sign(client, dossier, draft, test_pki.password)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY and dossier.finished_at is not None
    # DOMAIN §7, 3.3 and 4.1: an electronic result with its number.
    assert dossier.electronic_result and dossier.result_number == "123/QĐ-STP"
    result = SignedResult.objects.get(dossier=dossier)
    assert result.source == draft and result.signed_by == personas["leader"]
    assert [s["role"] for s in result.signers] == ["leader", "agency"]
    signed = result.attachment
    assert signed.kind == AttachmentKind.RESULT and signed.sha256 == result.sha256
    with default_storage.open(signed.storage_name, "rb") as handle:
        data = handle.read()
    leader, agency = verify_pdf(data, test_pki.roots).signatures
    assert leader.signer == "Nguyễn Văn Lãnh Đạo" and leader.timestamped
    assert agency.signer == "Sở Tư pháp thử nghiệm" and agency.covers_whole_document
    assert leader.ok and agency.ok
    assert AuditEvent.objects.filter(action="signing.result_signed").count() == 1
    # The leader's block carries the QR code (drawn as hundreds of small squares), the agency's not.
    assert qr_squares(data, "Signature1") > 100 > qr_squares(data, "Signature2")
    page = messages_of(client, dossier)
    assert "123/QĐ-STP" in page
    assert 'data-signatures="2"' in page  # the signed file, next to its attachment line
    assert f'href="/xac-thuc/{result.public_id}/" data-verification' in page
    assert 'data-action="sign_result"' not in page  # nothing left to approve


@pytest.mark.parametrize(
    ("secret", "p12", "message"),
    [
        ("sai-mat-khau", "leader_p12", "wrong password"),
        (None, "expired_p12", "expired"),
    ],
)
def test_failures_change_nothing(
    client, personas, dossier, draft, profile, test_pki, secret, p12, message
):
    profile.pkcs12_path = str(getattr(test_pki, p12))
    profile.save()
    client.force_login(personas["leader"])
    before = set(Attachment.objects.values_list("pk", flat=True))
    response = client.post(
        f"/ho-so/{dossier.code}/ky-so/",
        {"attachment": draft.pk, "result_number": "9/QĐ", "secret": secret or test_pki.password},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert message in response.content.decode()
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.status == Status.IN_PROGRESS and not fresh.electronic_result
    assert fresh.result_number == ""
    assert set(Attachment.objects.values_list("pk", flat=True)) == before
    assert not SignedResult.objects.exists()


def test_vietnamese_message_when_the_token_is_absent(
    client, personas, dossier, draft, profile, tmp_path
):
    profile.kind = KeyKind.PKCS11
    profile.pkcs11_module = str(tmp_path / "khong-co.so")
    profile.token_label, profile.key_label = "token", "key"
    profile.save()
    client.force_login(personas["leader"])
    response = sign(client, dossier, draft, "123456")
    assert response.status_code == 302
    page = messages_of(client, dossier)
    assert "Chưa ký được kết quả" in page
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_PROGRESS


def test_signing_with_the_leaders_softhsm_token(
    client, personas, procedure, dossier, draft, profile, softhsm_token, test_pki
):
    procedure.two_signatures = True
    procedure.save()
    profile.kind = KeyKind.PKCS11
    profile.pkcs11_module = softhsm_token.module
    profile.token_label, profile.key_label = softhsm_token.label, softhsm_token.key_label
    profile.save()
    client.force_login(personas["leader"])
    sign(client, dossier, draft, "000000")  # wrong PIN first: nothing changes
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_PROGRESS
    sign(client, dossier, draft, softhsm_token.pin)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RESULT_READY
    result = SignedResult.objects.get()
    with default_storage.open(result.attachment.storage_name, "rb") as handle:
        leader, agency = verify_pdf(handle.read(), test_pki.roots).signatures
    assert leader.ok and agency.ok


def test_only_the_leader_at_the_approval_step_may_sign(
    client, personas, dossier, draft, profile, test_pki
):
    SignerProfile.objects.create(
        user=personas["specialist"],
        display_name="Chuyên viên",
        kind=KeyKind.PKCS12,
        pkcs12_path=str(test_pki.leader_p12),
    )
    client.force_login(personas["specialist"])
    assert 'data-action="sign_result"' not in messages_of(client, dossier)
    sign(client, dossier, draft, test_pki.password)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_PROGRESS
    assert not SignedResult.objects.exists()
    client.force_login(personas["clerk_b"])  # another unit: 404
    assert sign(client, dossier, draft, test_pki.password).status_code == 404


def test_leader_without_a_signing_key_gets_no_form(client, personas, dossier, draft):
    client.force_login(personas["leader"])
    assert 'data-action="sign_result"' not in messages_of(client, dossier)


def test_result_number_is_required(client, personas, dossier, draft, profile, test_pki):
    client.force_login(personas["leader"])
    sign(client, dossier, draft, test_pki.password, number="  ")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_PROGRESS


def test_public_verification_page(client, personas, dossier, draft, profile, test_pki):
    client.force_login(personas["leader"])
    sign(client, dossier, draft, test_pki.password)
    result = SignedResult.objects.get()
    client.logout()
    response = client.get(f"/xac-thuc/{result.public_id}/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    page = response.content.decode()
    assert dossier.code in page and dossier.procedure.name in page
    assert "123/QĐ-STP" in page and result.sha256 in page
    # No personal data of the applicant.
    assert dossier.applicant_name not in page and dossier.applicant_id_number not in page
    assert client.get("/xac-thuc/khong-ton-tai/").status_code == 404
    assert client.get(f"/xac-thuc/{result.public_id[:-1]}x/").status_code == 404


def test_dossier_page_and_api_show_signatures_of_uploaded_pdfs(
    client, personas, dossier, media, test_pki, result_pdf, tmp_path
):
    from motcua.signing.keys import Pkcs12Source, open_signer
    from motcua.signing.pades import SignOptions, sign_pdf

    with open_signer(Pkcs12Source(str(test_pki.untrusted_p12)), test_pki.password) as signer:
        foreign = sign_pdf(result_pdf, signer, SignOptions(reason="Công dân ký"))
    for name, content in [("unsigned.pdf", result_pdf), ("signed.pdf", foreign)]:
        store_attachment(
            actor=personas["clerk"],
            dossier=dossier,
            uploaded_file=SimpleUploadedFile(name, content, "application/pdf"),
        )
    client.force_login(personas["specialist"])
    page = client.get(f"/ho-so/{dossier.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-signatures="0"' in page and 'data-signatures="1"' in page
    assert "Người Lạ" in page and 'data-trusted="0"' in page
    response = client.get(f"/api/v1/dossiers/{dossier.code}/attachments")
    assert response.status_code == 200
    unsigned, signed = response.json()
    assert unsigned["signatures"] == []
    [sig] = signed["signatures"]
    assert sig["signer"] == "Người Lạ" and sig["intact"] is True and sig["trusted"] is False
    assert sig["reason"] == "Công dân ký"
    client.force_login(personas["clerk_b"])
    assert client.get(f"/api/v1/dossiers/{dossier.code}/attachments").status_code == 404
