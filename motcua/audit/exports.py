"""The audit trail of list exports (Excel): who took which list, with which filters, how many rows.

A list with people's data in it (applicants, owners of blocked assets, senders of feedback) is
also written to the personal-data access log (Decree 356/2025), with the purpose given.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.utils import timezone

from .services import audit_record, personal_data_access_record

#: Longest filter value kept in the event (a search text, a code); the rest is cut.
MAX_FILTER_CHARS = 100


def export_record(
    *,
    actor: Any,
    action: str,
    subject_type: str,
    rows: int,
    units: Collection[int] | None,
    filters: Mapping[str, Any],
    ip: str | None,
    personal_purpose: str = "",
) -> None:
    """One audit event for the export; plus a personal-data access entry when a purpose is given
    (the list names people). `units` None means every unit (a province-wide reader)."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    kept = {
        str(k)[:40]: str(v)[:MAX_FILTER_CHARS]
        for k, v in filters.items()
        if k != "page" and v not in ("", None)
    }
    audit_record(
        actor=actor,
        action=action,
        object_type=subject_type,
        object_id=stamp,
        data={
            "rows": rows,
            "units": None if units is None else sorted(units),
            "filters": kept,
            "format": "xlsx",
        },
        ip=ip,
    )
    if personal_purpose:
        personal_data_access_record(
            actor=actor,
            subject_type=subject_type,
            subject_id=stamp,
            purpose=personal_purpose,
            ip=ip,
        )
