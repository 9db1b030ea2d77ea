"""WCAG 2.1 A/AA checks with axe-core on the reform officer's pages: the reform home, the list
of plans and the simplification-plan editor (empty and with errors shown)."""

from __future__ import annotations

import pytest
from portal.e2e_support import axe_violations, log_in_browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_axe_on_the_reform_officers_pages(page, live_server, reform_people, scheme, procedure):
    log_in_browser(page, live_server, reform_people["officer_a"])
    failures = {}
    for url in [
        "/cai-cach/",
        "/cai-cach/chi-phi/",
        "/cai-cach/chi-phi/moi/",
    ]:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        if violations := axe_violations(page):
            failures[url] = violations
    # The editor again with the errors of an empty save: summary, per-field messages.
    page.goto("/cai-cach/chi-phi/moi/")
    # Submitted without the browser's own checks, so the server's messages are what is shown.
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("#error-summary").count() == 1
    if violations := axe_violations(page):
        failures["/cai-cach/chi-phi/moi/ (errors)"] = violations
    assert failures == {}
