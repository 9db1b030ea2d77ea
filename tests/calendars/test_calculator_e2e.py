"""The public deadline calculator in a real browser (Debian Chromium driven by Playwright)."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_citizen_computes_a_deadline(live_server, page):
    page.goto(f"{live_server.url}/tinh-han/")
    page.fill("#id_start", "2025-03-10T10:00")
    page.fill("#id_amount", "2")
    page.select_option("#id_unit", "days")
    page.click("button[type=submit]:not(.secondary)")
    result = page.locator("#deadline-result time")
    assert result.get_attribute("datetime") == "2025-03-12T10:00:00+07:00"
    assert "12/03/2025" in result.inner_text()
