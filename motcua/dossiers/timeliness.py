"""The one place where early / on time / late is decided (DOMAIN §6)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from .choices import Timeliness


def classify(finished_at: datetime, due_at: datetime | None, *, compare: str = "timestamp") -> str:
    """Early = before the due date; on time = on the due date, not after the due time; late = after.

    With `compare="date"` (some provinces), anything on the due date counts as on time.
    """
    if due_at is None:
        return Timeliness.ON_TIME
    finished_day = timezone.localtime(finished_at).date()
    due_day = timezone.localtime(due_at).date()
    if finished_day < due_day:
        return Timeliness.EARLY
    if finished_day == due_day and (compare == "date" or finished_at <= due_at):
        return Timeliness.ON_TIME
    return Timeliness.LATE
