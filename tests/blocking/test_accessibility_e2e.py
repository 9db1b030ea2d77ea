"""WCAG 2.1 A/AA checks with axe-core on the registry's staff and notary pages, including a
request with the withdrawal forms open."""

from __future__ import annotations

import pytest
from portal.e2e_support import axe_violations, log_in_browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _check(page, urls) -> dict:
    failures = {}
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        if violations := axe_violations(page):
            failures[url] = violations
    return failures


def test_axe_on_the_registry_pages(page, live_server, personas, officers, make_request):
    from motcua.blocking import services as s

    def land(serial, owner):
        return s.AssetInput(
            asset_type="land",
            owners=[s.OwnerInput(owner, "", 1980)],
            fields={"certificate_serial": serial, "address": "12 Lê Lợi, Huế"},
        )

    # Two assets: each may be withdrawn, so the page shows the withdrawal forms.
    draft = make_request(
        assets=[land("AB 123.456", "Nguyễn Văn Đức"), land("CD 654.321", "Trần Thị Bình")]
    )
    published = make_request(serial="EF 111.222", owner="Lê Văn Cường", publish=True)
    log_in_browser(page, live_server, officers["enter"])
    failures = _check(
        page,
        [
            "/ngan-chan/",
            "/ngan-chan/moi/",
            f"/ngan-chan/{draft.pk}/",
            f"/ngan-chan/{published.pk}/",
            "/ngan-chan/thong-ke/",
        ],
    )
    page.context.clear_cookies()
    log_in_browser(page, live_server, personas["notary"])
    failures |= _check(page, ["/ngan-chan/tra-cuu/", "/ngan-chan/tra-cuu/?q=ef+111222"])
    assert failures == {}
