"""Issue 13 gap 9 in a real browser: the Content-Security-Policy blocks nothing motcua itself does."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _tab(browser, live_server, user=None):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
    tab = context.new_page()
    violations: list[str] = []
    tab.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return context, tab, violations


def test_pages_render_without_csp_violations_and_site_js_works(browser, live_server, personas):
    context, tab, violations = _tab(browser, live_server, personas["leader"])
    for path in ("/", "/thu-tuc/", "/bao-cao/", "/bao-cao/dung-han/", "/admin/login/"):
        tab.goto(path)
    # The dashboard's unit selector submits its form through static/motcua/site.js.
    tab.goto("/bao-cao/")
    select = tab.locator("select[data-autosubmit]")
    if select.count() and select.locator("option").count() > 1:
        with tab.expect_navigation():
            select.select_option(index=1)
        assert "unit=" in tab.url
    # Styles in <style nonce> blocks apply: the dashboard's charts are laid out.
    assert tab.locator("svg.chart").count() == 2
    assert violations == []
    context.close()


def test_an_injected_inline_script_is_blocked(browser, live_server):
    context, tab, violations = _tab(browser, live_server)
    tab.goto("/")
    tab.evaluate(
        """() => { const s = document.createElement('script');
        s.textContent = 'window.__pwned = true'; document.head.appendChild(s); }"""
    )
    assert tab.evaluate("() => window.__pwned === true") is False
    assert violations, "the browser reported the blocked script"
    context.close()


def test_the_api_docs_render_for_staff_under_the_policy(browser, live_server, personas):
    context, tab, violations = _tab(browser, live_server, personas["clerk"])
    tab.goto("/api/docs")
    tab.wait_for_selector(".opblock", timeout=15000)  # Swagger UI listed the operations
    assert tab.locator(".opblock").count() > 5
    assert violations == []
    context.close()
