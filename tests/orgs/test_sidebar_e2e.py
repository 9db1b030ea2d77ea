"""The workspace shell in Chromium (issue 14): at 1366 px the navigation is a left sidebar beside
the page, with the person's name and unit; at 390 px it stays behind the "Menu" button. A person
with two units switches unit from the header and the worklist follows."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from motcua.orgs.models import Membership

from .test_workspace_e2e import DESKTOP, PHONE, no_sideways_scroll, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_units(units, procedure):
    """A specialist of A and B, with one dossier in each unit."""
    from decimal import Decimal

    from dossiers.test_views_support import make_dossier

    from motcua.procedures.models import Procedure, ProcedureStep

    user = get_user_model().objects.create_user(
        "hai_don_vi", "hai@example.org", "pw", first_name="Sơn", last_name="Ngô Văn"
    )
    Membership.objects.create(user=user, unit=units["A"], role="specialist")
    Membership.objects.create(user=user, unit=units["B"], role="specialist")
    proc_b = Procedure.objects.create(
        code="DEMO-B-01",
        name="Thủ tục của Sở Nội vụ",
        unit=units["B"],
        time_value=Decimal(3),
        time_unit="working_days",
    )
    for step in procedure.steps.all():
        ProcedureStep.objects.create(
            procedure=proc_b,
            order=step.order,
            name=step.name,
            role=step.role,
            budget_hours=step.budget_hours,
        )
    make_dossier(procedure, name="Người của Sở Tư pháp")
    make_dossier(proc_b, name="Người của Sở Nội vụ")
    return user


def test_sidebar_on_desktop_menu_on_phone(browser, live_server, personas):
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=viewport)
        page = context.new_page()
        try:
            sign_in(page, "specialist_a")
            header = page.locator("header.site-header").bounding_box()
            main = page.locator("main").bounding_box()
            nav = page.locator("nav.workspace-nav")
            assert "Trần Văn Minh" in page.locator(".whoami").inner_text()
            assert "STP" in page.locator(".whoami").inner_text()
            if viewport is DESKTOP:
                assert nav.is_visible()
                assert not page.locator(".site-menu > summary").is_visible()
                # A column on the left, as tall as the window, the page to its right.
                assert header["x"] == 0 and header["width"] < 400
                assert header["height"] >= viewport["height"] - 1
                assert main["x"] >= header["x"] + header["width"] - 1
                links = nav.locator("a")
                boxes = [links.nth(i).bounding_box() for i in range(links.count())]
                assert len({round(b["x"]) for b in boxes}) == 1  # stacked, not a bar
            else:
                assert not nav.is_visible()
                page.locator(".site-menu > summary").click()
                assert nav.is_visible()
                assert main["x"] < 50  # no sidebar on a phone
            assert no_sideways_scroll(page)
        finally:
            context.close()


def test_switching_unit_from_the_header(browser, live_server, two_units, units):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=DESKTOP)
    page = context.new_page()
    try:
        sign_in(page, "hai_don_vi")
        rows = page.locator("tr.dossier-row")
        assert rows.count() == 2
        with page.expect_navigation():
            page.select_option("#unit-switch-select", str(units["B"].pk))  # submits by itself
        assert rows.count() == 1 and "Người của Sở Nội vụ" in rows.first.inner_text()
        assert page.locator(".whoami-units").inner_text() == "SNV"
        assert no_sideways_scroll(page)
        with page.expect_navigation():
            page.select_option("#unit-switch-select", "")
        assert page.locator("tr.dossier-row").count() == 2
    finally:
        context.close()
