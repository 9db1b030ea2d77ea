"""The dashboard and the Excel export in a real browser (Debian's Chromium): the leader opens
/bao-cao/, follows a figure to the dossiers behind it, downloads form II.06a and we open the file
with openpyxl."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _tab(browser, live_server, user, downloads=False):
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", accept_downloads=downloads
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context, context.new_page()


def test_dashboard_drill_and_excel(browser, live_server, personas, make_dossier, tmp_path):
    from openpyxl import load_workbook

    make_dossier(
        received="2023-01-03T09:00", due="2023-01-06T09:00", finished="2023-01-05T09:00", status=10
    )
    late = make_dossier(
        received="2023-01-03T09:00",
        due="2023-01-06T09:00",
        finished="2023-01-09T10:00",
        status=10,
        channel="online",
    )
    make_dossier(
        received="2023-01-04T09:00",
        due="2023-01-09T09:00",
        finished="2023-01-12T09:00",
        status=10,
        unit="B",
    )
    context, tab = _tab(browser, live_server, personas["leader"], downloads=True)

    tab.goto("/bao-cao/")
    assert tab.locator("svg.chart").count() == 2
    assert tab.locator('[data-kpi="overdue"]').inner_text().strip() == "0"
    tab.goto("/bao-cao/dung-han/?date_from=2023-01-01&date_to=2023-01-31&group_by=unit")
    assert tab.locator('[data-col="7"]').inner_text() == "2"
    # Follow the "late" figure to the dossier behind it.
    tab.locator("tr.total a[href*='figure=settled_late']").click()
    tab.wait_for_selector("table.drill")
    assert tab.locator("tr[data-code]").count() == 1
    assert tab.locator(f'tr[data-code="{late.code}"]').count() == 1

    tab.go_back()
    with tab.expect_download() as info:
        tab.click('[data-export="xlsx"]')
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.suffix == ".xlsx"
    ws = load_workbook(path).active
    assert "II.06a" in str(ws["A1"].value)
    assert [ws.cell(10, c).value for c in range(1, 14)] == [f"({n})" for n in range(1, 14)]
    # Total row: 2 received (1 online, 1 counter), 2 settled: 1 early, 0 on time, 1 late.
    assert [ws.cell(11, c).value for c in range(3, 11)] == [2, 1, 1, 0, 2, 1, 0, 1]
    context.close()
