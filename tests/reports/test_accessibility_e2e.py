"""WCAG 2.1 A/AA checks with axe-core on the leaders' pages: dashboard, II.06a, the dossiers behind
a figure, the 766 index and its entry screen, satisfaction and PAKN figures."""

from __future__ import annotations

import pytest
from portal.e2e_support import axe_violations, log_in_browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_axe_on_the_leaders_pages(page, live_server, personas, units, make_dossier):
    make_dossier(
        received="2023-01-03T09:00", due="2023-01-06T09:00", finished="2023-01-09T10:00", status=10
    )
    code = units["A"].code
    log_in_browser(page, live_server, personas["leader"])
    failures = {}
    for url in [
        "/bao-cao/",
        "/bao-cao/dung-han/?date_from=2023-01-01&date_to=2023-12-31",
        "/bao-cao/dung-han/in/?date_from=2023-01-01&date_to=2023-12-31",
        "/bao-cao/ho-so/?figure=settled_late&date_from=2023-01-01&date_to=2023-01-31",
        f"/bao-cao/chi-so-766/?month=2023-01&unit={code}",
        f"/bao-cao/chi-so-766/nhap/?month=2023-01&unit={code}",
        "/bao-cao/hai-long/",
    ]:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        if violations := axe_violations(page):
            failures[url] = violations
    assert failures == {}
