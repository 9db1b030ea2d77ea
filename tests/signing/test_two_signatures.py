"""Per-procedure "two signatures" (issue 15): the leader's personal signature, then the agency's,
in that order; approve-and-sign enforces it and leaves the dossier unchanged when it cannot."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from motcua.dossiers.choices import Status
from motcua.dossiers.models import Attachment, Dossier
from motcua.procedures.models import Procedure
from motcua.signing.models import SignedResult
from motcua.signing.verify import verify_pdf

from .test_results import _signing_settings, dossier, draft, media_fixture, profile, sign

__all__ = ["_signing_settings", "dossier", "draft", "media_fixture", "profile"]

pytestmark = pytest.mark.django_db


def signed_reports(test_pki):
    result = SignedResult.objects.get()
    with default_storage.open(result.attachment.storage_name, "rb") as handle:
        return result, verify_pdf(handle.read(), test_pki.roots).signatures


def test_one_signature_when_the_procedure_does_not_need_two(
    client, personas, dossier, draft, profile, test_pki
):
    assert not dossier.procedure.two_signatures
    client.force_login(personas["leader"])
    sign(client, dossier, draft, test_pki.password)
    result, reports = signed_reports(test_pki)
    assert [s["role"] for s in result.signers] == ["leader"]
    (leader,) = reports
    assert leader.signer == "Nguyễn Văn Lãnh Đạo" and leader.ok and leader.covers_whole_document


def test_two_signatures_in_order(client, personas, procedure, dossier, draft, profile, test_pki):
    procedure.two_signatures = True
    procedure.save()
    client.force_login(personas["leader"])
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "data-two-signatures" in page
    sign(client, dossier, draft, test_pki.password)
    result, reports = signed_reports(test_pki)
    assert [s["role"] for s in result.signers] == ["leader", "agency"]
    first, second = reports
    # The leader signed first: the agency's signature was added after it (incremental update),
    # so only the second covers the whole file; both are intact and trusted.
    assert first.signer == "Nguyễn Văn Lãnh Đạo" and second.signer == "Sở Tư pháp thử nghiệm"
    assert not first.covers_whole_document and second.covers_whole_document
    assert first.ok and second.ok
    assert first.signed_at <= second.signed_at


def test_two_signatures_without_an_agency_key_change_nothing(
    client, personas, procedure, dossier, draft, profile, test_pki, settings
):
    procedure.two_signatures = True
    procedure.save()
    settings.MOTCUA_SIGN_AGENCY_PKCS12 = ""
    before = set(Attachment.objects.values_list("pk", flat=True))
    client.force_login(personas["leader"])
    response = sign(client, dossier, draft, test_pki.password)
    assert response.status_code == 302
    page = client.get(f"/ho-so/{dossier.code}/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "cần chữ ký số của lãnh đạo và của cơ quan" in page
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.status == Status.IN_PROGRESS and not fresh.electronic_result
    assert set(Attachment.objects.values_list("pk", flat=True)) == before
    assert not SignedResult.objects.exists()


def test_the_setting_is_edited_in_the_admin(client, personas, procedure):
    client.force_login(personas["admin"])
    url = f"/admin/procedures/procedure/{procedure.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="two_signatures"' in page
    assert Procedure._meta.get_field("two_signatures").default is False
