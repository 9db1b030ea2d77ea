"""In a real browser: organisation X records a sale; a notary of organisation Y looks up the same
certificate serial typed differently and sees the prior-transfer warning above the results."""

import pytest
from django.test import Client

from motcua.notary.models import Transaction

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _tab(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context, context.new_page()


def test_sale_recorded_then_second_sale_caught(browser, live_server, notaries, offices):
    url = live_server.url
    context, tab = _tab(browser, live_server, notaries["clerk_x"])
    tab.goto(f"{url}/cong-chung/moi/")
    tab.fill("#id_contract_no", "1024/2025/CC-SCC/HĐGD")
    tab.fill("#id_contract_date", "2025-06-02")
    tab.select_option("#id_kind", "sale")
    tab.fill("#id_notary_name", "Trần Thị Công Chứng")
    tab.fill("#id_certificate_serial", "AB 123.456")
    tab.fill("#id_parcel_number", "12")
    tab.fill("#id_map_sheet", "5")
    tab.fill(
        "#id_parties",
        "bên bán | Nguyễn Văn Bán | 046090001234\nbên mua | Lê Thị Mua | 046190005678",
    )
    tab.click("#tx-submit")
    tab.wait_for_selector("#tx-summary")
    assert tab.locator("#tx-status").get_attribute("data-status") == "valid"
    assert Transaction.objects.get().office == offices["X"]
    context.close()

    context, notary = _tab(browser, live_server, notaries["notary_y"])
    notary.goto(f"{url}/ngan-chan/tra-cuu/")
    notary.fill("#id_q", "ab-123 456")
    notary.click("#search-form fieldset[role=group] button")
    warning = notary.locator("#warnings li[data-code=prior_transfer]")
    assert warning.count() == 1
    assert "1024/2025/CC-SCC/HĐGD" in warning.inner_text()
    # The warning stands above the results.
    assert notary.locator("#warnings + h2, #warnings ~ article").count() >= 1
    box_warn = notary.locator("#warnings").bounding_box()
    box_result = notary.locator("#results article.result-transaction").bounding_box()
    assert box_warn["y"] < box_result["y"]
    # The other organisation's record page stays closed to Y.
    pk = Transaction.objects.get().pk
    assert notary.goto(f"{url}/cong-chung/{pk}/").status == 404
    context.close()
