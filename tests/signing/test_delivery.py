"""Delivery of the signed result to the citizen (issue 15): the account page (owner only, others
404), an e-mail with links (never the file), the notification log, the national portal sync and
766 indicators 3.3 and 4.1."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from dossiers.test_views_support import make_dossier

from motcua.dossiers.choices import Channel, ResultDelivery, Status
from motcua.integrations.dvcqg.models import OutboxMessage
from motcua.notifications.models import Delivery
from motcua.reports.index766.counts import dossier_conditions
from motcua.signing.models import SignedResult
from motcua.signing.verify import verify_pdf

from .test_results import _signing_settings, draft, media_fixture, profile, sign

__all__ = ["_signing_settings", "draft", "media_fixture", "profile"]

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def dossier(personas, procedure):
    # An online dossier of citizen1, at the leader's approval step, result delivered online.
    return make_dossier(
        procedure,
        status=Status.IN_PROGRESS,
        step_order=3,
        channel=Channel.ONLINE,
        applicant_user=personas["citizen1"],
        applicant_email="an@example.org",
        result_delivery=ResultDelivery.ONLINE,
    )


@pytest.fixture
def signed(client, personas, dossier, draft, profile, test_pki, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    client.force_login(personas["leader"])
    with django_capture_on_commit_callbacks(execute=True):
        assert sign(client, dossier, draft, test_pki.password).status_code == 302
    client.logout()
    return SignedResult.objects.get(dossier=dossier)


def test_email_carries_links_only_and_is_logged(dossier, signed):
    (message,) = mail.outbox
    assert message.to == ["an@example.org"] and dossier.code in message.subject
    body = message.body
    assert f"/ho-so-cua-toi/{dossier.code}/" in body  # the account page (login, owner only)
    assert f"https://motcua.example.gov.vn/xac-thuc/{signed.public_id}/" in body
    assert "123/QĐ-STP" in body
    assert message.attachments == []  # the result (personal data) never travels by e-mail
    log = Delivery.objects.get(dossier=dossier, key="result_ready", channel="email")
    assert log.status == "sent" and signed.public_id in log.body


def test_only_the_owner_downloads_the_signed_result(client, personas, dossier, signed, test_pki):
    page_url = f"/ho-so-cua-toi/{dossier.code}/"
    file_url = f"{page_url}tep/{signed.attachment_id}/"
    client.force_login(personas["citizen1"])
    listing = client.get("/ho-so-cua-toi/").content.decode()
    assert "data-e-result" in listing
    page = client.get(page_url).content.decode()
    assert "data-signed-result" in page and f"/xac-thuc/{signed.public_id}/" in page
    response = client.get(file_url)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    reports = verify_pdf(data, test_pki.roots).signatures
    assert reports and all(r.ok for r in reports)
    # Downloading the result online returns it (status 10).
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    for who in ("citizen2", "clerk_b", "leader"):
        client.force_login(personas[who])
        assert client.get(page_url).status_code == 404, who
        assert client.get(file_url).status_code == 404, who


@pytest.fixture
def dvcqg_on(settings):
    settings.MOTCUA_DVCQG_URL = "https://dichvucong.example.gov.vn/api"


def test_the_result_link_goes_to_the_national_portal(dvcqg_on, dossier, signed):
    message = OutboxMessage.objects.filter(dossier=dossier).order_by("-sequence").first()
    payload = message.payload
    assert payload["CoKetQuaDienTu"] is True and payload["MaKetQua"] == "123/QĐ-STP"
    assert payload["DuongDanTepTinKetQua"].endswith(f"/ho-so-cua-toi/{dossier.code}/")
    with default_storage.open(signed.attachment.storage_name, "rb") as handle:
        assert handle.read()[:5] == b"%PDF-"


def test_the_signed_result_counts_for_766_indicators_3_3_and_4_1(dossier, signed):
    from motcua.dossiers.models import Dossier

    start = datetime(2025, 1, 1, tzinfo=TZ)
    end = datetime(2030, 1, 1, tzinfo=TZ)
    conditions = dossier_conditions(start, end)
    mine = Dossier.objects.filter(pk=dossier.pk)
    assert mine.filter(conditions["online_counted"]).exists()  # 3.3
    assert mine.filter(conditions["e_result"]).exists()  # 4.1
