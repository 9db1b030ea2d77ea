"""The same hand-over arriving many times at once creates one dossier (PostgreSQL, real threads).

SQLite serialises every writer on one file lock, so the race cannot happen there: skipped.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from dossiers.test_codes_concurrency import in_parallel

from motcua.dossiers.models import Attachment, Dossier
from motcua.integrations.handover.models import Handover

from .conftest import URL, bearer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises all writers, so there is no race to test",
    ),
]
THREADS = 10


def test_concurrent_handovers_of_one_code_make_one_dossier(payload, media, token_a):
    body = json.dumps(payload())

    def hand_over(i: int):
        response = Client().post(URL, body, content_type="application/json", **bearer(token_a))
        return response.status_code, response.json()["id"]

    results, errors = in_parallel(THREADS, hand_over)
    assert errors == []
    statuses = sorted(status for status, _id in results)
    assert statuses == [200] * (THREADS - 1) + [201]
    assert len({dossier_id for _status, dossier_id in results}) == 1
    assert Dossier.objects.count() == 1 and Handover.objects.count() == 1
    assert Attachment.objects.count() == 1
    assert len([p for p in media.rglob("*") if p.is_file()]) == 1


def test_concurrent_conflicting_handovers_make_one_dossier(payload, media, token_a):
    bodies = []
    for i in range(THREADS):
        body = payload()
        body["applicant"]["name"] = f"Người nộp {i % 2}"
        bodies.append(json.dumps(body))

    def hand_over(i: int) -> int:
        response = Client().post(URL, bodies[i], content_type="application/json", **bearer(token_a))
        return response.status_code

    results, errors = in_parallel(THREADS, hand_over)
    assert errors == []
    assert results.count(201) == 1
    assert results.count(409) == THREADS // 2
    assert Dossier.objects.count() == 1 and Attachment.objects.count() == 1
    assert len([p for p in media.rglob("*") if p.is_file()]) == 1
