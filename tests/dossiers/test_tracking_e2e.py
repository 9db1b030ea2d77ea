"""In Chromium: a clerk prints the receipt (form 01) with its QR code; the citizen then tracks the
dossier with the code and the full phone number. Screenshots go to docs/images/."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation
from guide_images import save_screenshot

from motcua.dossiers.choices import Status
from motcua.dossiers.services import Applicant, DocumentLine, dossier_receive

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login_cookie(user, live_server) -> dict:
    """The session cookie of a logged-in user, for the browser context."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def test_clerk_prints_receipt_and_citizen_tracks(page, live_server, personas, procedure):
    cache.clear()
    # A fixed Monday morning under Decree 118/2025, so the screenshots are stable.
    received = datetime(2025, 7, 14, 8, 30, tzinfo=timezone.get_default_timezone())
    dossier = dossier_receive(
        actor=personas["clerk"],
        procedure=procedure,
        applicant=Applicant(
            name="Trần Thị Bích Ngọc",
            id_number="046195000123",
            phone="0914567890",
            address="5 Nguyễn Huệ, phường Thuận Hóa, Huế",
        ),
        documents=[
            DocumentLine("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "original"),
            DocumentLine("Bản sao Căn cước công dân", "copy"),
        ],
        received_at=received,
    )

    # The clerk opens the printable receipt.
    page.context.add_cookies([login_cookie(personas["clerk"], live_server)])
    page.goto(f"/ho-so/{dossier.code}/in/01/")
    assert page.locator("h1").inner_text() == "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
    assert page.locator(".dossier-code").inner_text() == dossier.code
    qr = page.locator("#qr svg")
    assert qr.count() == 1 and qr.is_visible()
    box = qr.bounding_box()
    assert box["width"] > 80 and box["height"] > 80
    qr_link = page.locator("#qr a").first.get_attribute("href")
    assert qr_link.endswith(f"/tra-cuu/?ma={dossier.code}")
    save_screenshot(page, "phieu-tiep-nhan.png", full_page=True)

    # The citizen, not logged in, follows the QR link: the code is already filled in.
    page.context.clear_cookies()
    page.goto(qr_link.replace("http://testserver", live_server.url))
    assert page.locator("input[name=ma]").input_value() == dossier.code
    page.fill("input[name=factor]", "0914567890")
    page.locator("form.tracking-form button[type=submit]").click()
    page.wait_for_load_state()
    status = page.locator(".tracking-status")
    assert status.get_attribute("data-status") == "2"
    with translation.override("vi"):
        assert status.inner_text() == str(Status.RECEIVED.label)
    assert "Trần T. B. N." in page.locator(".tracking-result").inner_text()
    assert "0914567890" not in page.content()
    save_screenshot(page, "tra-cuu.png", full_page=True)

    # A wrong factor answers with the same message as an unknown code.
    page.fill("input[name=ma]", dossier.code)
    page.fill("input[name=factor]", "0000000000")
    page.locator("form.tracking-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".tracking-result").count() == 0
    assert page.locator(".tracking-message").is_visible()
