"""WCAG 2.1 A/AA checks with axe-core on the staff's dossier pages: worklist (with an overdue
dossier), intake, a dossier and its printable forms."""

from __future__ import annotations

import pytest
from portal.e2e_support import axe_violations, log_in_browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_axe_on_the_staff_dossier_pages(page, live_server, personas, procedure):
    from datetime import timedelta

    from django.utils import timezone

    from motcua.dossiers.choices import Status

    from .test_views_support import make_dossier

    dossier = make_dossier(procedure, status=Status.IN_PROGRESS, step_order=3)
    # Overdue: its row on the worklist is tinted.
    type(dossier).objects.filter(pk=dossier.pk).update(due_at=timezone.now() - timedelta(days=2))
    failures = {}
    for who, urls in [
        (
            "clerk",
            [
                "/ho-so/",
                "/ho-so/tiep-nhan/",
                f"/ho-so/{dossier.code}/",
                f"/ho-so/{dossier.code}/in/01/",
            ],
        ),
        ("specialist", ["/ho-so/", f"/ho-so/{dossier.code}/"]),
    ]:
        page.context.clear_cookies()
        log_in_browser(page, live_server, personas[who])
        for url in urls:
            response = page.goto(url)
            assert response is not None and response.status == 200, (who, url)
            if violations := axe_violations(page):
                failures[f"{who} {url}"] = violations
    assert failures == {}
