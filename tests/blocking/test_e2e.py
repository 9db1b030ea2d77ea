"""The whole story in a real browser: a court order entered, approved by a second officer, published,
found by a notary with the serial typed differently, released, and seen released."""

import pytest
from django.test import Client
from guide_images import save_screenshot

from motcua.blocking.models import BlockingRequest, SearchLog

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _tab(browser, live_server, user):
    """A browser tab logged in as `user` (session cookie from Django's test client)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context, context.new_page()


def _shot(tab, name):
    save_screenshot(tab, f"ngan-chan-{name}.png", full_page=True)


def test_court_order_from_entry_to_release(browser, live_server, personas, officers, court):
    # `court` re-seeds the authority types the entry form offers (an earlier transactional test
    # flushed the rows the migration seeded).
    url = live_server.url
    # 1. An officer enters the court order.
    context, tab = _tab(browser, live_server, officers["enter"])
    tab.goto(f"{url}/ngan-chan/moi/")
    tab.fill("#id_request_no", "NC-2025-0042")
    tab.fill("#id_authority_name", "Tòa án nhân dân thành phố Huế")
    tab.fill("#id_document_number", "15/2025/QĐ-BPKCTT")
    tab.fill("#id_document_date", "2025-03-10")
    tab.fill("#id_received_at", "2025-03-10T08:30")
    tab.fill("#id_summary", "Cấm chuyển dịch quyền về tài sản đối với quyền sử dụng đất")
    tab.fill("#id_assets-0-certificate_serial", "AB 123.456")
    tab.fill("#id_assets-0-parcel_number", "12")
    tab.fill("#id_assets-0-map_sheet", "5")
    tab.fill("#id_assets-0-address", "12 Lê Lợi, phường Phú Hội, Huế")
    tab.fill("#id_assets-0-owners", "Nguyễn Văn Đức | 046090001234 | 1990")
    _shot(tab, "1-nhap")
    tab.click("#enter-form button[type=submit]")
    tab.wait_for_selector("#record-status")
    record = BlockingRequest.objects.get(request_no="NC-2025-0042")
    assert tab.locator("#record-status [data-status]").get_attribute("data-status") == "entered"
    assert tab.locator("#approve").count() == 0  # four-eyes: not offered to the enterer
    context.close()

    # 2. A second officer approves and publishes.
    context, tab = _tab(browser, live_server, officers["second"])
    tab.goto(f"{url}/ngan-chan/")
    _shot(tab, "2-danh-sach")
    tab.goto(f"{url}/ngan-chan/{record.pk}/")
    tab.check("form:has(#approve) input[name=confirm]")  # confirmed (issue 14)
    tab.click("#approve")
    tab.click("#publish")
    assert tab.locator("#record-status [data-status]").get_attribute("data-status") == "published"
    _shot(tab, "3-ho-so")
    context.close()

    # 3. A notary finds it by the serial typed differently.
    notary_context, notary = _tab(browser, live_server, personas["notary"])
    notary.goto(f"{url}/ngan-chan/tra-cuu/")
    notary.fill("#id_q", "ab123456")
    notary.click("#search-form fieldset[role=group] button")
    status = notary.locator("#results .result [data-status]")
    assert status.count() == 1 and status.get_attribute("data-status") == "active"
    _shot(notary, "4-tra-cuu")

    # 4. The release is recorded.
    context, tab = _tab(browser, live_server, officers["enter"])
    tab.goto(f"{url}/ngan-chan/{record.pk}/giai-toa/")
    tab.fill("#id_document_number", "20/2025/QĐ-HBBPKCTT")
    tab.fill("#id_document_date", "2025-04-02")
    tab.check("input[name=assets]")
    tab.click("#release-form button[type=submit]")
    tab.wait_for_selector("#record-status")
    assert tab.locator("#record-status [data-status]").get_attribute("data-status") == "released"
    context.close()

    # 5. The notary sees it released, and prints the certificate.
    notary.goto(f"{url}/ngan-chan/tra-cuu/")
    notary.fill("#id_q", "AB-123 456")
    notary.click("#search-form fieldset[role=group] button")
    status = notary.locator("#results .result [data-status]")
    assert status.get_attribute("data-status") == "released"
    _shot(notary, "5-da-giai-toa")
    notary.click("#certificate-link")
    notary.wait_for_selector("#certificate svg")
    _shot(notary, "6-chung-nhan")
    assert SearchLog.objects.filter(who=personas["notary"]).count() == 2
    notary_context.close()
