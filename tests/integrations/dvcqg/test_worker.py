"""Delivery against the stub as a real HTTP server: at least once, in order, idempotent."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from motcua.audit.models import AuditEvent
from motcua.dossiers.models import Dossier
from motcua.integrations.dvcqg import selectors, worker
from motcua.integrations.dvcqg.models import OutboxMessage, OutboxState, PortalRating
from motcua.integrations.dvcqg.services import SyncError, outbox_resend

from .conftest import advance, arrival_order, receive

pytestmark = pytest.mark.django_db


def _burst(personas, procedure, count=3):
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"]
    return [advance(personas, receive(personas, procedure, name=names[i])) for i in range(count)]


def _assert_all_arrived_in_order(stub, dossiers):
    messages = list(OutboxMessage.objects.all())
    held = {m["id"]: m for m in stub.get("/_stub/messages")}
    assert set(held) == {str(m.message_id) for m in messages}
    latest = {d["code"]: d for d in stub.get("/_stub/dossiers")}
    for dossier in dossiers:
        count = OutboxMessage.objects.filter(dossier=dossier).count()
        assert arrival_order(stub, dossier.code) == list(range(1, count + 1))
        assert latest[dossier.code]["status"] == dossier.status
    assert all(m.state == OutboxState.SENT for m in OutboxMessage.objects.all())


def test_portal_down_during_a_burst_then_back(sync_on, personas, procedure):
    sync_on.stop()
    dossiers = _burst(personas, procedure)
    result = worker.run_once()
    assert result.sent == 0 and result.failed == 3  # one per dossier: later ones wait
    assert result.pending == 15 and result.parked == 0
    assert OutboxMessage.objects.filter(attempts=1).count() == 3
    assert "Connection refused" in OutboxMessage.objects.filter(attempts=1)[0].last_error

    sync_on.start()
    result = worker.run_once()
    assert (result.sent, result.pending, result.parked) == (15, 0, 0)
    _assert_all_arrived_in_order(sync_on, dossiers)
    assert all(m["deliveries"] == 1 for m in sync_on.get("/_stub/messages"))
    listing = {d["code"]: d for d in sync_on.get("/_stub/dossiers")}
    dossier = Dossier.objects.get(pk=dossiers[0].pk)
    assert listing[dossier.code]["messages"] == 5
    assert (
        listing[dossier.code]["received_at"]
        == timezone.localtime(dossier.received_at).replace(microsecond=0).isoformat()
    )
    assert dossier.synced_at is not None  # DOMAIN §7, 1.4


def test_random_failures_lose_nothing_and_duplicates_are_counted_once(
    settings, sync_on, personas, procedure
):
    settings.MOTCUA_DVCQG_MAX_ATTEMPTS = 100
    sync_on.set_fail_rate(0.5)
    dossiers = _burst(personas, procedure, count=4)
    for _ in range(200):
        if worker.run_once(pull=False).pending == 0:
            break
    assert not OutboxMessage.objects.exclude(state=OutboxState.SENT).exists()
    assert OutboxMessage.objects.filter(attempts__gt=1).exists()  # failures did happen
    _assert_all_arrived_in_order(sync_on, dossiers)


def test_a_message_dropped_after_it_was_stored_is_resent_and_counted_once(
    sync_on, personas, procedure
):
    dossier = receive(personas, procedure)
    message = OutboxMessage.objects.get(dossier=dossier)
    # The stub stores the message, then the connection drops: motcua cannot know it arrived.
    sync_on.server.random.random = lambda: 0.0
    sync_on.server.random.choice = lambda options: "drop-after"
    sync_on.set_fail_rate(1.0)
    assert worker.run_once(pull=False).failed == 1
    sync_on.set_fail_rate(0.0)
    assert worker.run_once(pull=False).sent == 1
    (held,) = sync_on.get("/_stub/messages")
    assert held["id"] == str(message.message_id) and held["deliveries"] == 2
    assert sync_on.get("/_stub/dossiers")[0]["messages"] == 2


def test_back_off_is_exponential_capped_and_jittered(settings):
    settings.MOTCUA_DVCQG_BACKOFF_BASE = 30
    settings.MOTCUA_DVCQG_BACKOFF_CAP = 3600
    delays = {n: [worker.backoff_seconds(n) for _ in range(50)] for n in (1, 2, 3, 10)}
    assert all(15 <= d <= 30 for d in delays[1])
    assert all(30 <= d <= 60 for d in delays[2])
    assert all(60 <= d <= 120 for d in delays[3])
    assert all(1800 <= d <= 3600 for d in delays[10])
    assert len(set(delays[1])) > 1  # jitter


def test_a_failed_message_waits_for_its_back_off(settings, sync_on, personas, procedure):
    settings.MOTCUA_DVCQG_BACKOFF_BASE = 60
    settings.MOTCUA_DVCQG_BACKOFF_CAP = 60
    sync_on.stop()
    receive(personas, procedure)
    assert worker.run_once(pull=False).failed == 1
    message = OutboxMessage.objects.get()
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=29)
    sync_on.start()
    assert worker.run_once(pull=False).sent == 0  # not due yet
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert worker.run_once(pull=False).sent == 1


def test_a_worker_that_dies_after_claiming_leaves_the_message_due_later(
    sync_on, personas, procedure
):
    receive(personas, procedure)
    (claimed,) = worker.claim(batch=10)  # … and the worker is killed before delivering
    assert worker.run_once(pull=False).sent == 0  # leased: nobody else takes it
    later = timezone.now() + timedelta(seconds=worker.lease_seconds(10) + 1)
    with time_machine.travel(later):
        assert worker.run_once(pull=False).sent == 1
    assert [m["id"] for m in sync_on.get("/_stub/messages")] == [str(claimed.message_id)]


def test_parking_blocks_the_dossier_and_resend_delivers_in_order(
    settings, sync_on, personas, procedure
):
    settings.MOTCUA_DVCQG_MAX_ATTEMPTS = 3
    sync_on.stop()
    dossier = advance(personas, receive(personas, procedure), steps=1)
    for _ in range(3):
        worker.run_once(pull=False)
    first, second = OutboxMessage.objects.filter(dossier=dossier).order_by("sequence")
    assert first.state == OutboxState.PARKED and first.attempts == 3
    assert "Connection refused" in first.last_error
    assert second.state == OutboxState.PENDING and second.attempts == 0
    assert [m.pk for m in selectors.parked_messages()] == [first.pk]
    stats = selectors.queue_stats()
    assert (stats.pending, stats.parked, stats.sent) == (1, 1, 0)
    assert stats.oldest_pending_at == second.created_at

    sync_on.start()
    result = worker.run_once(pull=False)
    assert (result.sent, result.parked) == (0, 1)  # the later message waits behind the parked one
    with pytest.raises(SyncError):
        outbox_resend(actor=personas["clerk"], message_ids=[first.pk])
    assert outbox_resend(actor=personas["admin"], message_ids=[first.pk]) == 1
    event = AuditEvent.objects.get(action="dvcqg.resend")
    assert event.actor == personas["admin"] and event.data == {"messages": [first.pk]}
    result = worker.run_once(pull=False)
    assert (result.sent, result.pending, result.parked) == (2, 0, 0)
    assert arrival_order(sync_on, dossier.code) == [1, 2]


def test_resend_needs_a_parked_or_waiting_message(sync_on, personas, procedure):
    receive(personas, procedure)
    worker.run_once(pull=False)
    sent = OutboxMessage.objects.get()
    with pytest.raises(SyncError):
        outbox_resend(actor=personas["admin"], message_ids=[sent.pk])
    assert not AuditEvent.objects.filter(action="dvcqg.resend").exists()


def test_ratings_and_feedback_are_pulled_back_idempotently(sync_on, personas, procedure):
    liked, disliked, quiet = _burst(personas, procedure, count=3)
    sync_on.post(
        "/_stub/ratings",
        [
            {"Id": "r1", "MaHoSo": liked.code, "HaiLong": True, "ThoiGian": "20251201090000"},
            {"Id": "r2", "MaHoSo": disliked.code, "HaiLong": False, "ThoiGian": "20251201100000"},
            {"Id": "r3", "MaHoSo": "NOT-OURS-0001", "HaiLong": False},
        ],
    )
    sync_on.post(
        "/_stub/feedback",
        {"Id": "f1", "MaHoSo": quiet.code, "NoiDung": "Chậm trả kết quả", "PhanLoai": "procedure"},
    )
    result = worker.run_once()
    assert (result.ratings, result.feedback) == (2, 1)
    again = worker.run_once()
    assert (again.ratings, again.feedback) == (0, 0)
    assert PortalRating.objects.count() == 2
    rating = PortalRating.objects.get(external_id="r2")
    assert rating.dossier_id == disliked.pk and rating.liked is False
    assert timezone.localtime(rating.rated_at).hour == 10
    assert selectors.disliked_dossier_ids() == {disliked.pk}
    assert selectors.feedback_dossier_ids() == {quiet.pk}
    assert selectors.complained_dossier_ids(
        Dossier.objects.filter(pk__in=[liked.pk, quiet.pk])
    ) == {quiet.pk}


def test_the_pull_survives_the_portal_being_down(sync_on, personas, procedure):
    sync_on.stop()
    result = worker.run_once()
    assert len(result.errors) == 2 and result.ratings == 0


def test_a_stop_request_hands_the_rest_of_the_batch_back(sync_on, personas, procedure):
    for name in ("An", "Bình", "Cường"):
        receive(personas, procedure, name=name)
    asked = iter([False, True, True, True])
    claimed, sent, failed = worker.deliver_batch(10, stop=lambda: next(asked))
    assert (claimed, sent, failed) == (3, 1, 0)
    # The two not tried are due again at once, for this worker's successor or another one.
    assert worker.due_messages(timezone.now()).count() == 2
