"""Delivering the outbox to the national portal, and pulling ratings and feedback back.

At least once, in order per dossier: a message is due when it is pending, its time has come, and
no earlier message of its dossier is still pending or parked. A worker claims a batch by moving
the messages' `next_attempt_at` forward (a lease) in a short transaction — PostgreSQL's
`SKIP LOCKED` keeps several workers off each other's rows; SQLite has a single writer — then
delivers them outside any transaction. A worker killed mid-delivery leaves its messages pending;
they are due again when the lease ends and are re-sent with the same message id.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, Max, OuterRef, QuerySet
from django.utils import timezone

from motcua.dossiers.models import Dossier

from . import client
from .models import OutboxMessage, OutboxState, PortalFeedback, PortalRating
from .payload import parse_portal_time

logger = logging.getLogger(__name__)
_random = secrets.SystemRandom()


@dataclass
class RunResult:
    """What one run did (`sent`, `failed` attempts) and what the queue holds after it."""

    sent: int = 0
    failed: int = 0
    pending: int = 0
    parked: int = 0
    ratings: int = 0
    feedback: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "failed": self.failed,
            "pending": self.pending,
            "parked": self.parked,
            "ratings": self.ratings,
            "feedback": self.feedback,
        }


def backoff_seconds(attempts: int) -> float:
    """Delay before attempt `attempts + 1`: exponential, capped, with jitter (half to full)."""
    base = float(settings.MOTCUA_DVCQG_BACKOFF_BASE)
    cap = float(settings.MOTCUA_DVCQG_BACKOFF_CAP)
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return _random.uniform(delay / 2, delay)


def lease_seconds(batch: int) -> int:
    """How long a claimed batch is held: every message of it may take the whole timeout."""
    return int(settings.MOTCUA_DVCQG_TIMEOUT) * (batch + 1)


def due_messages(now: datetime) -> QuerySet[OutboxMessage]:
    """Pending messages whose time has come and whose dossier has no earlier unsent message."""
    earlier = OutboxMessage.objects.filter(
        dossier_id=OuterRef("dossier_id"),
        sequence__lt=OuterRef("sequence"),
        state__in=(OutboxState.PENDING, OutboxState.PARKED),
    )
    return (
        OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
        .exclude(Exists(earlier))
        .order_by("id")
    )


def claim(batch: int, now: datetime | None = None) -> list[OutboxMessage]:
    """Take up to `batch` due messages (at most one per dossier) for this worker."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = due_messages(now)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        claimed = list(rows[:batch])
        if claimed:
            OutboxMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
                next_attempt_at=now + timedelta(seconds=lease_seconds(batch))
            )
    return claimed


def _succeeded(message: OutboxMessage) -> None:
    now = timezone.now()
    with transaction.atomic():  # one commit for both
        OutboxMessage.objects.filter(pk=message.pk, state=OutboxState.PENDING).update(
            state=OutboxState.SENT, sent_at=now, attempts=F("attempts") + 1, last_error=""
        )
        if message.payload.get("NgayTiepNhan"):
            # DOMAIN §7, 1.4: the dossier counts as synced from its first delivered received
            # state. update(): no service, no event, hence no new outbox message.
            Dossier.objects.filter(pk=message.dossier_id, synced_at__isnull=True).update(
                synced_at=now
            )


def _failed(message: OutboxMessage, error: str) -> bool:
    """Record a failed attempt; park the message after the last one. True when parked."""
    attempts = message.attempts + 1
    parked = attempts >= settings.MOTCUA_DVCQG_MAX_ATTEMPTS
    changes: dict[str, Any] = {"attempts": attempts, "last_error": error[:2000]}
    if parked:
        changes["state"] = OutboxState.PARKED
    else:
        changes["next_attempt_at"] = timezone.now() + timedelta(seconds=backoff_seconds(attempts))
    OutboxMessage.objects.filter(pk=message.pk, state=OutboxState.PENDING).update(**changes)
    if parked:
        logger.warning("DVCQG message %s parked after %d attempts: %s", message.pk, attempts, error)
    return parked


def deliver_batch(
    batch: int | None = None, stop: Callable[[], bool] | None = None
) -> tuple[int, int, int]:
    """Claim and deliver one batch: (claimed, sent, failed). `stop()` true: hand the rest back."""
    messages = claim(batch or settings.MOTCUA_DVCQG_BATCH)
    sent = failed = 0
    for index, message in enumerate(messages):
        if stop is not None and stop():
            # Asked to stop (SIGTERM): the messages not tried are due again at once.
            OutboxMessage.objects.filter(
                pk__in=[m.pk for m in messages[index:]], state=OutboxState.PENDING
            ).update(next_attempt_at=timezone.now())
            break
        try:
            client.deliver(
                message_id=str(message.message_id),
                sequence=message.sequence,
                reason=message.reason,
                payload=message.payload,
            )
        except client.PortalError as error:
            failed += 1
            _failed(message, str(error))
        else:
            sent += 1
            _succeeded(message)
    return len(messages), sent, failed


def deliver_due(
    batch: int | None = None, stop: Callable[[], bool] | None = None
) -> tuple[int, int]:
    """Deliver until nothing is due, or a whole batch failed (the portal is down): (sent, failed)."""
    total_sent = total_failed = 0
    while True:
        claimed, sent, failed = deliver_batch(batch, stop)
        total_sent += sent
        total_failed += failed
        if claimed == 0 or sent == 0 or (stop is not None and stop()):
            return total_sent, total_failed


def _dossier_ids(codes: set[str]) -> dict[str, int]:
    return dict(Dossier.objects.filter(code__in=codes).values_list("code", "pk"))


def pull_ratings() -> int:
    """Fetch likes and dislikes of our dossiers; new ones stored, known ids ignored. How many new."""
    last = PortalRating.objects.aggregate(m=Max("rated_at"))["m"]
    items = client.fetch("ratings", since=last.isoformat() if last else "")
    ids = _dossier_ids({str(i.get("MaHoSo", "")) for i in items})
    rows = []
    for item in items:
        dossier_id = ids.get(str(item.get("MaHoSo", "")))
        at = parse_portal_time(str(item.get("ThoiGian") or "")) or timezone.now()
        if dossier_id is None or not item.get("Id"):
            continue  # not one of ours (or malformed): nothing to attach it to
        rows.append(
            PortalRating(
                external_id=str(item["Id"])[:100],
                dossier_id=dossier_id,
                liked=bool(item.get("HaiLong")),
                rated_at=at,
            )
        )
    return _insert_new(PortalRating, rows)


def pull_feedback() -> int:
    """Fetch feedback (PAKN) about our dossiers; idempotent by the portal's id. How many new."""
    last = PortalFeedback.objects.aggregate(m=Max("received_at"))["m"]
    items = client.fetch("feedback", since=last.isoformat() if last else "")
    ids = _dossier_ids({str(i.get("MaHoSo", "")) for i in items})
    rows = []
    for item in items:
        dossier_id = ids.get(str(item.get("MaHoSo", "")))
        if dossier_id is None or not item.get("Id"):
            continue
        rows.append(
            PortalFeedback(
                external_id=str(item["Id"])[:100],
                dossier_id=dossier_id,
                content=str(item.get("NoiDung", ""))[:5000],
                category=str(item.get("PhanLoai", ""))[:50],
                received_at=parse_portal_time(str(item.get("ThoiGian") or "")) or timezone.now(),
            )
        )
    return _insert_new(PortalFeedback, rows)


def _insert_new(model: type[PortalRating] | type[PortalFeedback], rows: list) -> int:
    if not rows:
        return 0
    known = set(
        model.objects.filter(external_id__in=[r.external_id for r in rows]).values_list(
            "external_id", flat=True
        )
    )
    fresh = {r.external_id: r for r in rows if r.external_id not in known}
    # ignore_conflicts: another worker may have stored the same id meanwhile.
    model.objects.bulk_create(fresh.values(), ignore_conflicts=True)
    return len(fresh)


def queue_counts() -> tuple[int, int]:
    """(pending, parked) messages now."""
    pending = OutboxMessage.objects.filter(state=OutboxState.PENDING).count()
    parked = OutboxMessage.objects.filter(state=OutboxState.PARKED).count()
    return pending, parked


def run_once(*, pull: bool = True, stop: Callable[[], bool] | None = None) -> RunResult:
    """Deliver what is due, pull ratings and feedback back, and report."""
    result = RunResult()
    result.sent, result.failed = deliver_due(stop=stop)
    if pull and not (stop is not None and stop()):
        for name, puller in (("ratings", pull_ratings), ("feedback", pull_feedback)):
            try:
                setattr(result, name, puller())
            except client.PortalError as error:
                result.errors.append(f"{name}: {error}")
                logger.warning("DVCQG %s pull failed: %s", name, error)
    result.pending, result.parked = queue_counts()
    return result
