"""Export for the national notarization database (Law 04/2026 transition): JSON lines.

One line per request, with its assets, owners and releases, carrying stable sync IDs (UUIDs that never
change) and `seq`, the value of a database counter bumped by every change. A full export takes every
request; an incremental one only those with `seq` > the cursor given. The cursor to pass next time is
the largest `seq` written (printed by the command; 0 when nothing changed). Assets and owners
withdrawn before approval (entered by mistake) are left out: they were never part of the order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import Prefetch

from .models import Asset, BlockingRequest, Owner

CHUNK = 2000


def _iso(value):
    return value.isoformat() if value is not None else None


def request_line(r: BlockingRequest) -> dict:
    releases = {rel.pk: rel for rel in r.releases.all()}
    return {
        "type": "blocking_request",
        "sync_id": str(r.sync_id),
        "seq": r.updated_seq,
        "request_no": r.request_no,
        "kind": r.kind,
        "status": r.status,
        "unit": r.unit.code,
        "authority_type": r.authority_type.code,
        "authority": r.authority_name,
        "sender_person": r.sender_person,
        "document_number": r.document_number,
        "document_date": _iso(r.document_date),
        "received_at": _iso(r.received_at),
        "approved_at": _iso(r.approved_at),
        "published_at": _iso(r.published_at),
        "summary": r.summary,
        "legacy": r.legacy,
        "releases": [
            {
                "sync_id": str(rel.sync_id),
                "document_number": rel.document_number,
                "document_date": _iso(rel.document_date),
                "authority": rel.authority_name,
                "received_at": _iso(rel.received_at),
                "entered_at": _iso(rel.entered_at),
            }
            for rel in releases.values()
        ],
        "assets": [
            {
                "sync_id": str(a.sync_id),
                "asset_type": a.asset_type,
                "certificate_serial": a.certificate_serial,
                "certificate_issuer": a.certificate_issuer,
                "certificate_date": _iso(a.certificate_date),
                "parcel_number": a.parcel_number,
                "map_sheet": a.map_sheet,
                "address": a.address,
                "area": str(a.area) if a.area is not None else None,
                "use_purpose": a.use_purpose,
                "plate": a.plate,
                "registration_number": a.registration_number,
                "frame_number": a.frame_number,
                "engine_number": a.engine_number,
                "description": a.description,
                "released_by": str(releases[a.released_by_id].sync_id)
                if a.released_by_id in releases
                else None,
                "owners": [
                    {
                        "name": o.name,
                        "id_type": o.id_type,
                        "id_number": o.id_number,
                        "birth_year": o.birth_year,
                    }
                    for o in a.owners.all()
                ],
            }
            for a in r.assets.all()
        ],
    }


def export_lines(since: int = 0) -> Iterator[dict]:
    """Requests changed after `since`, in `seq` order (only published or later: drafts stay home)."""
    last = since
    while True:
        chunk = list(
            BlockingRequest.objects.filter(updated_seq__gt=last)
            .exclude(status__in=["entered", "approved"])
            .select_related("unit", "authority_type")
            # Assets and owners withdrawn before approval were never part of the order.
            .prefetch_related(
                "releases",
                Prefetch("assets", queryset=Asset.objects.active()),
                Prefetch("assets__owners", queryset=Owner.objects.active()),
            )
            .order_by("updated_seq")[:CHUNK]
        )
        if not chunk:
            return
        for r in chunk:
            yield request_line(r)
        last = chunk[-1].updated_seq


def write_export(handle, since: int = 0) -> tuple[int, int]:
    """Write JSON lines to `handle`; returns (lines written, next cursor)."""
    count, cursor = 0, since
    for line in export_lines(since):
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        count += 1
        cursor = max(cursor, line["seq"])
    return count, cursor
