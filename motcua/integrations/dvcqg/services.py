"""Writes of the DVCQG sync an administrator asks for: re-send parked messages, back-fill."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.dossiers.models import Dossier

from .models import OutboxMessage, OutboxState
from .outbox import enqueue_dossier, sync_enabled

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser

BACKFILL_CHUNK = 500


class SyncError(Exception):
    """A refused sync operation; nothing was changed. The message is for the user."""


def can_manage_sync(user: AnyUser | None) -> bool:
    """Deny by default: only a superuser (the system administrator) manages the sync."""
    return bool(user is not None and user.is_authenticated and user.is_superuser)


@transaction.atomic
def outbox_resend(*, actor: AnyUser, message_ids: Iterable[int]) -> int:
    """Put parked (or waiting) messages back in the queue, due now, attempts from zero."""
    if not can_manage_sync(actor):
        raise SyncError(_("You are not allowed to manage the national portal sync."))
    ids = sorted({int(i) for i in message_ids})
    rows = OutboxMessage.objects.select_for_update().filter(
        pk__in=ids, state__in=(OutboxState.PARKED, OutboxState.PENDING)
    )
    chosen = list(rows.values_list("pk", flat=True))
    if not chosen:
        raise SyncError(_("Choose at least one parked or waiting message."))
    OutboxMessage.objects.filter(pk__in=chosen).update(
        state=OutboxState.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="dvcqg.resend",
        object_type="dvcqg.outboxmessage",
        note=_("%(count)d message(s) put back in the queue") % {"count": len(chosen)},
        data={"messages": chosen},
    )
    return len(chosen)


def _local_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(date_from, time.min, tzinfo=tz)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def outbox_backfill(*, actor: AnyUser | None, date_from: date, date_to: date) -> int:
    """Queue the current state of every dossier received in the period (legacy imports)."""
    if not sync_enabled():
        raise SyncError(_("The national portal sync is off: MOTCUA_DVCQG_URL is not set."))
    if date_from > date_to:
        raise SyncError(_("The start of the period is after its end."))
    start, end = _local_bounds(date_from, date_to)
    ids = list(
        Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)
    )
    for first in range(0, len(ids), BACKFILL_CHUNK):
        with transaction.atomic():
            for dossier in Dossier.objects.filter(pk__in=ids[first : first + BACKFILL_CHUNK]):
                enqueue_dossier(dossier, reason="backfill")
    audit_record(
        actor=actor,
        action="dvcqg.backfill",
        object_type="dvcqg.outboxmessage",
        note=f"{date_from.isoformat()}..{date_to.isoformat()}",
        data={"from": date_from.isoformat(), "to": date_to.isoformat(), "queued": len(ids)},
    )
    return len(ids)
