"""/api/v1/blocking/ — the notaries' look-up and a record's detail as JSON (session login)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from ninja import Router, Schema, Status
from ninja.security import django_auth

from motcua.audit.services import personal_data_access_record

from .access import get_request_for_user
from .errors import BlockingError
from .models import Owner
from .search import log_search, run_search
from .selectors import can_search, viewer_unit_ids

router = Router(tags=["blocking"], auth=django_auth)


class ErrorOut(Schema):
    detail: str


class SearchOut(Schema):
    query: str
    result_count: int
    truncated: bool
    lookup_id: int
    digest: str
    # Issue 16: [{code: active_block|prior_transfer|mortgaged, asset, record, ...}]
    warnings: list[dict]
    results: list[dict]


@router.get("/search", response={200: SearchOut, 400: ErrorOut})
def search(request, q: str = "", limit: int = 50):
    """One-box look-up (notaries: published records of every unit; officers: their unit's) and
    the notarized transactions of every organisation, with warnings (active_block, prior_transfer,
    mortgaged); each result has `record_type` (block | transaction).

    Each call is logged like a look-up on the page (who, when, query, number of results).
    """
    if not can_search(request.auth):
        raise Http404
    try:
        with transaction.atomic():
            outcome = run_search(user=request.auth, query=q, limit=max(1, min(limit, 200)))
            log = log_search(user=request.auth, outcome=outcome)
    except BlockingError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(
        200,
        {
            "query": outcome.query,
            "result_count": outcome.count,
            "truncated": outcome.truncated,
            "lookup_id": log.pk,
            "digest": log.digest,
            "warnings": log.warnings,
            "results": log.results,
        },
    )


def _withdrawn(row) -> dict | None:
    if not row.is_withdrawn:
        return None
    return {"at": row.withdrawn_at.isoformat(), "reason": row.withdrawn_reason}


@router.get("/requests/{pk}", response=dict)
def request_detail(request, pk: int):
    """A request with its assets, owners and releases (404 when missing or not visible)."""
    record = get_request_for_user(request.auth, pk)
    personal_data_access_record(
        actor=request.auth, subject=record, purpose="blocking registry: API record detail"
    )
    # As on the record page: the unit's staff also get withdrawn assets and owners (flagged),
    # everyone else (notaries) only what is not withdrawn.
    staff = record.unit_id in viewer_unit_ids(request.auth)
    assets = record.assets.select_related("released_by")
    owners = Owner.objects.all()
    if not staff:
        assets, owners = assets.active(), owners.active()
    assets = assets.prefetch_related(Prefetch("owners", queryset=owners))
    return {
        "id": record.pk,
        "sync_id": str(record.sync_id),
        "request_no": record.request_no,
        "kind": record.kind,
        "status": record.status,
        "authority_type": record.authority_type.code,
        "authority": record.authority_name,
        "document_number": record.document_number,
        "document_date": record.document_date.isoformat(),
        "received_at": record.received_at.isoformat(),
        "due_at": record.due_at.isoformat() if record.due_at else None,
        "approved_at": record.approved_at.isoformat() if record.approved_at else None,
        "published_at": record.published_at.isoformat() if record.published_at else None,
        "summary": record.summary,
        "assets": [
            {
                "sync_id": str(a.sync_id),
                "asset_type": a.asset_type,
                "asset": a.label(),
                "status": "released" if a.released_by_id else "active",
                "release_document": a.released_by.document_number if a.released_by_id else None,
                "owners": [
                    {
                        "name": o.name,
                        "id_type": o.id_type,
                        "id_number": o.id_number,
                        "birth_year": o.birth_year,
                        **({"withdrawn": _withdrawn(o)} if staff else {}),
                    }
                    for o in a.owners.all()
                ],
                **({"withdrawn": _withdrawn(a)} if staff else {}),
            }
            for a in assets
        ],
    }
