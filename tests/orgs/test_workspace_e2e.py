"""End to end in Chromium at 1366×800 and 390×844 (issue 14): each role signs in, lands on its own
work, finds its navigation (collapsed behind "Menu" on a phone) and no page it uses scrolls sideways."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from motcua.orgs.models import Membership

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP, PHONE = {"width": 1366, "height": 800}, {"width": 390, "height": 844}

#: username → (landing path, main pages the role uses)
ROLES = {
    "clerk_a": ("/ho-so/", ["/ho-so/", "/phan-anh/", "/"]),
    "specialist_a": ("/ho-so/", ["/ngan-chan/", "/ngan-chan/tra-cuu/"]),
    "leader_a": ("/bao-cao/", ["/ho-so/", "/bao-cao/dung-han/", "/bao-cao/chi-so-766/"]),
    "notary": ("/ngan-chan/tra-cuu/", ["/ngan-chan/tra-cuu/nhat-ky/"]),
    "caicach_a": ("/cai-cach/", ["/cai-cach/chi-phi/"]),
}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def sign_in(page, username: str) -> None:
    page.goto("/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
def test_each_role_lands_on_its_work_without_sideways_scrolling(
    browser, live_server, personas, procedure, units, viewport
):
    officer = get_user_model().objects.create_user(
        "caicach_a", "cc@example.org", "pw", first_name="Thảo", last_name="Võ Thị"
    )
    Membership.objects.create(user=officer, unit=units["A"], role="reform_officer")
    for username, (landing, pages) in ROLES.items():
        context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=viewport)
        page = context.new_page()
        try:
            sign_in(page, username)
            assert page.url == live_server.url + landing, (username, page.url)
            assert no_sideways_scroll(page), (username, landing)
            nav = page.locator("nav.workspace-nav")
            if viewport is PHONE:
                assert not nav.is_visible()  # collapsed behind the menu button
                page.locator(".site-menu > summary").click()
            assert nav.is_visible(), username
            assert nav.locator("a").count() >= 1
            assert username not in page.locator("header").inner_text()  # the name, not the login
            for path in pages:
                page.goto(path)
                assert page.locator("main").count() == 1, (username, path)
                assert no_sideways_scroll(page), (username, path, viewport)
        finally:
            context.close()
