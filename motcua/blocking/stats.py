"""On-time figures of this procedure (receipt → publication in 16 working hours), with the field
names of form II.06a (`motcua.reports.ontime.FIELDS`) so the lead can put them beside the others.

Mapping to II.06a (DOMAIN §6): a request is "received" at `received_at`, "settled" at
`published_at`; early / on time / late by `motcua.dossiers.timeliness.classify` against `due_at`.
All documents count as received at the counter or by post (authorities send paper or official mail).
Imported legacy requests have no publication time and are left out.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from motcua.dossiers.timeliness import classify

from .models import BlockingRequest


def _bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    return (
        datetime.combine(date_from, time.min, tzinfo=zone),
        datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone),
    )


def blocking_ontime(date_from: date, date_to: date, *, unit_ids=None) -> dict:
    """II.06a-shaped figures for the blocking procedure over [date_from, date_to]."""
    start, end = _bounds(date_from, date_to)
    rows = BlockingRequest.objects.filter(legacy=False, received_at__lt=end).exclude(
        published_at__lt=start
    )
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    counts = dict.fromkeys(
        (
            "received_online",
            "received_counter_post",
            "carried_over",
            "settled_early",
            "settled_on_time",
            "settled_late",
            "in_progress_within",
            "in_progress_overdue",
        ),
        0,
    )
    for received_at, published_at, due_at in rows.values_list(
        "received_at", "published_at", "due_at"
    ).iterator():
        if received_at >= start:
            counts["received_counter_post"] += 1
        else:
            counts["carried_over"] += 1
        if published_at is not None and published_at < end:
            counts[f"settled_{classify(published_at, due_at)}"] += 1
        elif due_at is not None and due_at < end:
            counts["in_progress_overdue"] += 1
        else:
            counts["in_progress_within"] += 1
    settled = counts["settled_early"] + counts["settled_on_time"] + counts["settled_late"]
    rate = None
    if settled:
        rate = float(
            (Decimal(counts["settled_early"] + counts["settled_on_time"]) * 100 / settled).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
        )
    return {
        "received_total": counts["received_online"]
        + counts["received_counter_post"]
        + counts["carried_over"],
        "received_online": counts["received_online"],
        "received_counter_post": counts["received_counter_post"],
        "carried_over": counts["carried_over"],
        "settled_total": settled,
        "settled_early": counts["settled_early"],
        "settled_on_time": counts["settled_on_time"],
        "settled_late": counts["settled_late"],
        "in_progress_total": counts["in_progress_within"] + counts["in_progress_overdue"],
        "in_progress_within": counts["in_progress_within"],
        "in_progress_overdue": counts["in_progress_overdue"],
        "on_time_rate": rate,
    }
