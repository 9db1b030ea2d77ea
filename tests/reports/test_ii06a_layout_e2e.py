"""Form II.06a readable at 1366 px (issue 14): the date boxes show the whole date, the name column
is wide enough that a procedure's name is not one word per line, the table fits or scrolls in its
own box, and the page itself never scrolls sideways."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from django.test import Client

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_NAMES = [
    "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
    "Đăng ký hoạt động của Văn phòng công chứng được thành lập mới trên cơ sở chuyển đổi",
    "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp",
]
#: Where a developer may ask for the screenshots (never part of the docs: the guide's images are
#: taken by the guide-image tests).
SHOTS = os.environ.get("MOTCUA_LAYOUT_SHOTS", "")


@pytest.fixture
def by_procedure(make_dossier, units):
    from motcua.procedures.models import Procedure

    for n, name in enumerate(LONG_NAMES):
        proc = Procedure.objects.create(
            code=f"LONG-{n}",
            name=name,
            unit=units["A"],
            time_value=Decimal(3),
            time_unit="working_days",
        )
        make_dossier(
            received="2023-01-03T09:00",
            due="2023-01-06T09:00",
            finished="2023-01-05T09:00",
            status=10,
            proc=proc,
        )


def _tab(browser, live_server, user, width, height):
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": width, "height": height}
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context, context.new_page()


def test_ii06a_by_procedure_is_readable_at_1366(browser, live_server, personas, by_procedure):
    context, tab = _tab(browser, live_server, personas["leader"], 1366, 800)
    try:
        tab.goto("/bao-cao/dung-han/?date_from=2023-01-01&date_to=2023-12-31&group_by=procedure")
        if SHOTS:
            tab.screenshot(path=os.path.join(SHOTS, "ii06a-1366.png"), full_page=True)
        assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # Each date box is wide enough for dd/mm/yyyy and its calendar button.
        for name in ("date_from", "date_to"):
            width = tab.locator(f'input[name="{name}"]').bounding_box()["width"]
            assert width >= 150, (name, width)
        # The name column: no name is cut into one word per line.
        boxes = [
            tab.locator("table.ii06a tbody th[scope=row]").nth(i).bounding_box()
            for i in range(1 + len(LONG_NAMES))
        ]
        assert min(b["width"] for b in boxes) >= 220, boxes
        assert max(b["height"] for b in boxes) <= 140, boxes  # at most about four lines
        # At 1366 px the whole table fits beside the sidebar: nothing to scroll, even in its box.
        wrap = "document.querySelector('table.ii06a').parentElement"
        assert tab.evaluate(f"{wrap}.scrollWidth <= {wrap}.clientWidth"), tab.evaluate(
            f"[{wrap}.scrollWidth, {wrap}.clientWidth, Array.from(document.querySelectorAll("
            "'table.ii06a tr.column-numbers td')).map(td => Math.round(td.getBoundingClientRect()"
            ".width))]"
        )
        # The numbered headings (3)–(13) are each on one line.
        numbers = tab.locator("table.ii06a tr.column-numbers td")
        heights = {round(numbers.nth(i).bounding_box()["height"]) for i in range(13)}
        assert max(heights) <= 40, heights
    finally:
        context.close()
