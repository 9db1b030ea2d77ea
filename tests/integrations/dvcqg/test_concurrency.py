"""Several workers on PostgreSQL: a message locked by one worker is skipped by the others."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from motcua.integrations.dvcqg import worker
from motcua.integrations.dvcqg.models import OutboxMessage

from .conftest import receive

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_never_claim_the_same_message(sync_on, personas, procedure):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has a single writer: one sync worker per database")
    for i in range(6):
        receive(personas, procedure, name=f"Người {i}")
    locked, release = threading.Event(), threading.Event()
    held: list[int] = []

    def other_worker() -> None:
        try:
            with transaction.atomic():
                rows = worker.due_messages(timezone.now()).select_for_update(
                    skip_locked=True, of=("self",)
                )
                held.extend(m.pk for m in rows[:3])
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        mine = {m.pk for m in worker.claim(batch=10)}
    finally:
        release.set()
        thread.join(timeout=30)
    assert len(held) == 3 and len(mine) == 3
    assert not mine & set(held)
    assert mine | set(held) == set(OutboxMessage.objects.values_list("pk", flat=True))
