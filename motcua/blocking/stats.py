"""On-time figures of this procedure (receipt → publication, and receipt of a release document →
release recorded, each within the procedure's time limit: 16 working hours), with the field names
of form II.06a (`motcua.reports.ontime.FIELDS`) so the lead can put them beside the others.

Mapping to II.06a (DOMAIN §6, §11): an entry is "received" at `received_at`, "settled" at
`published_at`; a release is "received" when its document arrived (`Release.received_at`) and
"settled" when it was recorded (`entered_at`: it takes effect at once). Early / on time / late by
`motcua.dossiers.timeliness.classify` against `due_at`. All documents count as received at the counter
or by post (authorities send paper or official mail). Imported legacy requests have no publication
time, and releases recorded before due times were kept have none: both are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from motcua.dossiers.timeliness import classify

from .models import BlockingRequest, Release

#: Which documents are counted: entries (blocking / reference), releases, or both.
PARTS = ("all", "entries", "releases")


def _bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    return (
        datetime.combine(date_from, time.min, tzinfo=zone),
        datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone),
    )


def _entries(start: datetime, end: datetime, unit_ids) -> Iterable[tuple]:
    rows = BlockingRequest.objects.filter(legacy=False, received_at__lt=end).exclude(
        published_at__lt=start
    )
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    return rows.values_list("received_at", "published_at", "due_at").iterator()


def _releases(start: datetime, end: datetime, unit_ids) -> Iterable[tuple]:
    rows = Release.objects.filter(
        due_at__isnull=False, received_at__isnull=False, received_at__lt=end
    ).exclude(entered_at__lt=start)
    if unit_ids is not None:
        rows = rows.filter(request__unit_id__in=unit_ids)
    return rows.values_list("received_at", "entered_at", "due_at").iterator()


def _figures(rows: Iterable[tuple], start: datetime, end: datetime) -> dict:
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
    for received_at, settled_at, due_at in rows:
        if received_at >= start:
            counts["received_counter_post"] += 1
        else:
            counts["carried_over"] += 1
        if settled_at is not None and settled_at < end:
            counts[f"settled_{classify(settled_at, due_at)}"] += 1
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


def blocking_ontime(date_from: date, date_to: date, *, unit_ids=None, part: str = "all") -> dict:
    """II.06a-shaped figures for the blocking procedure over [date_from, date_to]: entries and
    releases together (`part="all"`, the procedure's figures), or one of them."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}")
    start, end = _bounds(date_from, date_to)
    rows: list[tuple] = []
    if part in ("all", "entries"):
        rows.extend(_entries(start, end, unit_ids))
    if part in ("all", "releases"):
        rows.extend(_releases(start, end, unit_ids))
    return _figures(rows, start, end)
