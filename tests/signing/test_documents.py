""" "Sign and download" inside the app (issue 15): a dossier's forms, the register, the blocking
look-up certificate and the published reform results, signed with the agency's configured key
(PKCS#12 or a SoftHSM2 token), checked with motcua's own verifier."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from dossiers.test_views_support import make_dossier

from motcua.audit.models import AuditEvent
from motcua.dossiers.choices import Status
from motcua.orgs.models import Membership
from motcua.signing import conf
from motcua.signing.models import DocumentKind, SignedDocument
from motcua.signing.pades import SIGNATURE_NOTE, signature_box
from motcua.signing.verify import verify_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _agency_key(settings, test_pki, monkeypatch):
    settings.MOTCUA_TRUST_ROOTS = [str(test_pki.trust_pem)]
    settings.MOTCUA_SIGN_AGENCY_PKCS12 = str(test_pki.agency_p12)
    settings.MOTCUA_SIGN_AGENCY_SECRET = test_pki.password
    settings.MOTCUA_SIGN_AGENCY_NAME = "Sở Tư pháp thử nghiệm"
    settings.MOTCUA_PUBLIC_URL = "https://motcua.example.gov.vn"
    monkeypatch.setattr(conf, "timestamper", lambda: None)


@pytest.fixture
def received(personas, procedure):
    return make_dossier(procedure, status=Status.IN_PROGRESS, step_order=2)


def check_signed(data: bytes, test_pki) -> None:
    """One signature by the agency, intact, covering the whole file, trusted; its visible block
    sits under the document's "(Ký…)" note on the last page."""
    (report,) = verify_pdf(data, test_pki.roots).signatures
    assert report.signer == "Sở Tư pháp thử nghiệm"
    assert report.intact and report.covers_whole_document and report.trusted and report.ok


def widget_rect(data: bytes) -> tuple[float, float, float, float]:
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(data)).pages[-1]
    (annot,) = [a.get_object() for a in page["/Annots"] if a.get_object().get("/FT") == "/Sig"]
    return tuple(float(v) for v in annot["/Rect"])


def note_position(data: bytes) -> tuple[float, float]:
    from pypdf import PdfReader

    found = []

    def visit(text, cm, tm, _font, _size):
        if text and SIGNATURE_NOTE.search(text):
            found.append((cm[0] * tm[4] + cm[4], cm[3] * tm[5] + cm[5]))

    PdfReader(io.BytesIO(data)).pages[-1].extract_text(visitor_text=visit)
    return max(found, key=lambda p: (p[0], -p[1]))


def test_leader_signs_and_downloads_form_01(client, personas, received, test_pki):
    from motcua.dossiers.printing.context import form_context
    from motcua.dossiers.printing.pdf import render_pdf

    client.force_login(personas["leader"])
    page = client.get(f"/ho-so/{received.code}/").content.decode()
    assert 'data-sign-form="01"' in page
    response = client.post(f"/ho-so/{received.code}/in/01/ky-so/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "da-ky.pdf" in response["Content-Disposition"]
    data = response.content
    check_signed(data, test_pki)
    # The visible block is placed at the form's signature line (right-hand "(Ký…)" note).
    unsigned = render_pdf(form_context(received, "01"))
    _page, box = signature_box(unsigned, 0)
    assert widget_rect(data) == tuple(float(v) for v in box)
    x, y = note_position(unsigned)
    left, bottom, right, top = box
    assert left <= x + 60 <= right and top <= y
    record = SignedDocument.objects.get()
    assert record.kind == DocumentKind.FORM and record.dossier == received
    import hashlib

    assert record.sha256 == hashlib.sha256(data).hexdigest()
    event = AuditEvent.objects.get(action="signing.document_signed")
    assert event.actor == personas["leader"] and event.object_id == str(received.pk)
    # The QR code of the block opens the public page with the hash; no personal data there.
    public = client.get(f"/xac-thuc/{record.public_id}/").content.decode()
    assert record.sha256 in public and received.applicant_name not in public


def test_the_clerk_signs_desk_forms_only_and_others_get_404(client, personas, received):
    client.force_login(personas["clerk"])
    page = client.get(f"/ho-so/{received.code}/").content.decode()
    assert 'data-sign-form="01"' in page and 'data-sign-form="06"' not in page
    assert client.post(f"/ho-so/{received.code}/in/06/ky-so/").status_code == 404
    assert client.post(f"/ho-so/{received.code}/in/01/ky-so/").status_code == 200
    for who in ("specialist", "clerk_b", "citizen1", "auditor"):
        client.force_login(personas[who])
        assert client.post(f"/ho-so/{received.code}/in/01/ky-so/").status_code == 404, who
    assert SignedDocument.objects.count() == 1


def test_a_form_not_yet_available_is_refused_with_a_message(client, personas, received):
    client.force_login(personas["leader"])
    response = client.post(f"/ho-so/{received.code}/in/03/ky-so/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 302
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Chưa ký được văn bản" in page
    assert not SignedDocument.objects.exists()


def test_no_agency_key_gives_a_vietnamese_message_and_changes_nothing(
    client, personas, received, settings
):
    settings.MOTCUA_SIGN_AGENCY_PKCS12 = ""
    client.force_login(personas["leader"])
    response = client.post(f"/ho-so/{received.code}/in/01/ky-so/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 302
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "chưa cấu hình khóa ký số" in page
    assert not SignedDocument.objects.exists()
    assert not AuditEvent.objects.filter(action="signing.document_signed").exists()


def test_wrong_agency_password_changes_nothing(client, personas, received, settings):
    settings.MOTCUA_SIGN_AGENCY_SECRET = "sai"
    client.force_login(personas["leader"])
    response = client.post(f"/ho-so/{received.code}/in/01/ky-so/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 302
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "sai mật khẩu" in page
    assert not SignedDocument.objects.exists()


def test_agency_key_on_a_softhsm_token(
    client, personas, received, settings, softhsm_token, test_pki
):
    settings.MOTCUA_SIGN_AGENCY_PKCS12 = ""
    settings.MOTCUA_SIGN_PKCS11_MODULE = softhsm_token.module
    settings.MOTCUA_SIGN_AGENCY_TOKEN_LABEL = softhsm_token.label
    settings.MOTCUA_SIGN_AGENCY_KEY_LABEL = softhsm_token.key_label
    settings.MOTCUA_SIGN_AGENCY_SECRET = softhsm_token.pin
    client.force_login(personas["leader"])
    response = client.post(f"/ho-so/{received.code}/in/06/ky-so/")
    assert response.status_code == 200
    (report,) = verify_pdf(response.content, test_pki.roots).signatures
    assert report.intact and report.trusted and report.covers_whole_document


def test_leader_signs_the_register(client, personas, received, test_pki):
    client.force_login(personas["leader"])
    page = client.get("/ho-so/so-theo-doi/", {"from": "2025-03-01", "to": "2025-03-31"})
    assert b"data-sign-register" in page.content
    response = client.post("/ho-so/so-theo-doi/ky-so/", {"from": "2025-03-01", "to": "2025-03-31"})
    assert response.status_code == 200
    check_signed(response.content, test_pki)
    assert SignedDocument.objects.get().kind == DocumentKind.REGISTER
    client.force_login(personas["clerk"])
    assert (
        b"data-sign-register"
        not in client.get("/ho-so/so-theo-doi/", {"from": "2025-03-01", "to": "2025-03-31"}).content
    )
    assert client.post("/ho-so/so-theo-doi/ky-so/", {"from": "2025-03-01"}).status_code == 404
    client.force_login(personas["leader"])
    bad = client.post("/ho-so/so-theo-doi/ky-so/", {"from": "2025-03-01", "to": "x"})
    assert bad.status_code == 302 and SignedDocument.objects.count() == 1


def test_notary_signs_the_lookup_certificate(client, personas, test_pki):
    from motcua.blocking.models import SearchLog

    client.force_login(personas["notary"])
    assert client.get("/ngan-chan/tra-cuu/", {"q": "AB 123456"}).status_code == 200
    log = SearchLog.objects.get()
    page = client.get(f"/ngan-chan/tra-cuu/{log.pk}/chung-nhan/")
    assert b"data-sign-certificate" in page.content
    response = client.post(f"/ngan-chan/tra-cuu/{log.pk}/chung-nhan/ky-so/")
    assert response.status_code == 200
    check_signed(response.content, test_pki)
    # The certificate's own verification link (its digest) is printed in the signed file too.
    assert SignedDocument.objects.get().kind == DocumentKind.BLOCKING_CERTIFICATE
    # Another notary office: 404, nothing signed.
    other = get_user_model().objects.create_user("notary2", "n2@example.org", "pw")
    Membership.objects.create(
        user=other, unit=personas["clerk_b"].memberships.get().unit, role="notary"
    )
    client.force_login(other)
    assert client.post(f"/ngan-chan/tra-cuu/{log.pk}/chung-nhan/ky-so/").status_code == 404
    assert SignedDocument.objects.count() == 1


def test_evaluator_signs_the_published_reform_results(client, personas, units, test_pki):
    from motcua.reform import demo

    demo.load(io.StringIO())
    evaluator = get_user_model().objects.create_user("evaluator", "e@example.org", "pw")
    Membership.objects.create(user=evaluator, unit=units["B"], role="evaluator")
    url = "/cai-cach/ket-qua/2023/department/"
    client.force_login(evaluator)
    assert b"data-sign-results" in client.get(url).content
    response = client.post(url + "ky-so/")
    assert response.status_code == 200
    check_signed(response.content, test_pki)
    assert SignedDocument.objects.get().kind == DocumentKind.REFORM_RESULTS
    # The public and the units see the published table, but only the council signs it.
    client.force_login(personas["leader"])
    assert b"data-sign-results" not in client.get(url).content
    assert client.post(url + "ky-so/").status_code == 404
    client.force_login(evaluator)
    assert client.post("/cai-cach/ket-qua/2031/department/ky-so/").status_code == 404
    assert SignedDocument.objects.count() == 1
