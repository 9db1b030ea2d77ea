"""Reads of the DVCQG sync: the queue for the administrator, and the portal's ratings and feedback
for the 766 index (DOMAIN §7, 5.3 and 5.4: dossiers with a PAKN or a "dislike")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q, QuerySet

from motcua.dossiers.models import Dossier

from .models import OutboxMessage, OutboxState, PortalFeedback, PortalRating


@dataclass(frozen=True)
class QueueStats:
    pending: int
    parked: int
    sent: int
    oldest_pending_at: datetime | None


def queue_stats() -> QueueStats:
    """Queue length, parked and sent counts, and when the oldest waiting message was queued."""
    figures = OutboxMessage.objects.aggregate(
        pending=Count("id", filter=Q(state=OutboxState.PENDING)),
        parked=Count("id", filter=Q(state=OutboxState.PARKED)),
        sent=Count("id", filter=Q(state=OutboxState.SENT)),
        oldest=Min("created_at", filter=Q(state=OutboxState.PENDING)),
    )
    return QueueStats(
        pending=figures["pending"],
        parked=figures["parked"],
        sent=figures["sent"],
        oldest_pending_at=figures["oldest"],
    )


def parked_messages(limit: int = 200) -> QuerySet[OutboxMessage]:
    """Parked messages with their dossier code and last error, oldest first."""
    return (
        OutboxMessage.objects.filter(state=OutboxState.PARKED)
        .select_related("dossier")
        .order_by("id")[:limit]
    )


def disliked_dossier_ids(dossiers: QuerySet[Dossier] | None = None) -> set[int]:
    """Ids of dossiers (of `dossiers`, or all) with a "dislike" on the national portal."""
    rows = PortalRating.objects.filter(liked=False)
    if dossiers is not None:
        rows = rows.filter(dossier__in=dossiers)
    return set(rows.values_list("dossier_id", flat=True).distinct())


def feedback_dossier_ids(dossiers: QuerySet[Dossier] | None = None) -> set[int]:
    """Ids of dossiers (of `dossiers`, or all) with feedback (PAKN) sent on the national portal."""
    rows = PortalFeedback.objects.all()
    if dossiers is not None:
        rows = rows.filter(dossier__in=dossiers)
    return set(rows.values_list("dossier_id", flat=True).distinct())


def complained_dossier_ids(dossiers: QuerySet[Dossier] | None = None) -> set[int]:
    """DOMAIN §7, 5.4: dossiers with a PAKN or a "dislike" on the national portal."""
    return disliked_dossier_ids(dossiers) | feedback_dossier_ids(dossiers)
