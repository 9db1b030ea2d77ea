"""Sync with the national notarization database (Law 46/2024, Decree 104/2025; DOMAIN §11).

Export: `motcua blocking export` (blocks) and `motcua notary export` (transactions, below): JSON
lines with stable sync IDs and a `seq` cursor.

Import (`motcua notary sync-national FILE.jsonl --unit CODE`): the records the national database
publishes, in the same JSON lines — `"type": "blocking_request"` (as the blocks' export) and
`"type": "notarized_transaction"` (as the transactions' export). Idempotent by the stable sync ID:
a record the province already has — its own record coming back (same sync ID), a record imported
before (same sync ID / national ID), or the same document entered here independently (same
authority, document number and date; same organisation and contract number) — is not duplicated.
All-or-nothing: any bad line and nothing is written.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from motcua.audit.services import audit_record
from motcua.blocking.choices import RequestStatus
from motcua.blocking.errors import BlockingError
from motcua.blocking.keys import ident_key
from motcua.blocking.models import (
    Asset,
    AuthorityType,
    BlockingRequest,
    Owner,
    Release,
)
from motcua.blocking.services import (
    authority_key,
    derive_status,
    document_key,
    find_duplicate,
    next_seq,
    write_keys,
)
from motcua.orgs.choices import UnitKind
from motcua.orgs.models import Unit

from .choices import Source, TxKind
from .models import Transaction
from .services import PartyInput, TxAssetInput, TxInput, transaction_upsert

CHUNK = 2000
ASSET_KEYS = (
    "certificate_serial",
    "certificate_issuer",
    "parcel_number",
    "map_sheet",
    "address",
    "use_purpose",
    "plate",
    "registration_number",
    "frame_number",
    "engine_number",
    "description",
)


# --- export of transactions ----------------------------------------------------------------------
def transaction_line(tx: Transaction) -> dict:
    return {
        "type": "notarized_transaction",
        "sync_id": str(tx.sync_id),
        "national_id": tx.national_id,
        "seq": tx.updated_seq,
        "notary_org": tx.office.code,
        "notary_org_name": tx.office.name,
        "contract_no": tx.contract_no,
        "contract_date": tx.contract_date.isoformat(),
        "notary_name": tx.notary_name,
        "kind": tx.kind,
        "status": tx.status,
        "value": str(tx.value) if tx.value is not None else None,
        "cancels": tx.cancels.contract_no if tx.cancels_id else "",
        "released_at": tx.released_at.isoformat() if tx.released_at else None,
        "assets": [
            {
                "asset_type": a.asset_type,
                **{
                    k: getattr(a, k)
                    for k in (
                        "certificate_serial",
                        "parcel_number",
                        "map_sheet",
                        "address",
                        "plate",
                        "frame_number",
                        "engine_number",
                        "description",
                    )
                },
            }
            for a in tx.assets.current()
        ],
        "parties": [
            {"role": p.role, "name": p.name, "id_type": p.id_type, "id_number": p.id_number}
            for p in tx.parties.current()
        ],
    }


def export_lines(since: int = 0) -> Iterator[dict]:
    """Transactions changed after `since`, in `seq` order (records from the national database
    itself are not sent back)."""
    last = since
    while True:
        chunk = list(
            Transaction.objects.filter(updated_seq__gt=last)
            .exclude(source=Source.NATIONAL)
            .select_related("office", "cancels")
            .order_by("updated_seq")[:CHUNK]
        )
        if not chunk:
            return
        for tx in chunk:
            yield transaction_line(tx)
        last = chunk[-1].updated_seq


def write_export(handle, since: int = 0) -> tuple[int, int]:
    count, cursor = 0, since
    for line in export_lines(since):
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        count += 1
        cursor = max(cursor, line["seq"])
    return count, cursor


# --- import from the national database -----------------------------------------------------------
class SyncFailed(Exception):
    """The file was refused; `errors` are 'dòng N: reason' strings (nothing was written)."""

    def __init__(self, errors: list[str]):
        super().__init__(errors[0] if errors else "sync failed")
        self.errors = errors


@dataclass
class SyncSummary:
    lines: int = 0
    blocks_created: int = 0
    blocks_known: int = 0
    releases_added: int = 0
    transactions_created: int = 0
    transactions_known: int = 0
    transactions_corrected: int = 0
    errors: list[str] = field(default_factory=list)


def _date(value) -> date | None:
    return date.fromisoformat(value) if value else None


def _datetime(value) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def _office(code: str, name: str) -> Unit:
    """The notary organisation by its electronic code; one outside the province is added as a
    historical unit (no members: it never enters anything here)."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        unit = Unit.objects.create(
            code=code[:20],
            name=(name or code)[:255],
            kind=UnitKind.NOTARY_OFFICE,
            is_historical=True,
        )
    return unit


def _block(line: dict, unit: Unit, summary: SyncSummary, now: datetime) -> None:
    sync_id = uuid.UUID(line["sync_id"])
    existing = BlockingRequest.objects.filter(sync_id=sync_id).first()
    if existing is None:
        existing = find_duplicate(
            line["authority"], line["document_number"], _date(line["document_date"])
        )
        if existing is not None:
            summary.blocks_known += 1  # the same document, entered here independently
            return
    else:
        summary.blocks_known += 1
        _releases(existing, line, summary, now)
        return
    authority_type = (
        AuthorityType.objects.filter(code=line.get("authority_type") or "").first()
        or AuthorityType.objects.filter(code="other").first()
        or AuthorityType.objects.order_by("order").first()
    )
    if authority_type is None:
        raise BlockingError("không có loại cơ quan nào trong danh mục")
    published = _datetime(line.get("published_at")) or now
    request = BlockingRequest.objects.create(
        sync_id=sync_id,
        unit=unit,
        request_no=f"QG-{sync_id}"[:50],
        kind=line.get("kind") or "blocking",
        authority_type=authority_type,
        authority_name=line["authority"],
        authority_key=authority_key(line["authority"]),
        sender_person=line.get("sender_person") or "",
        document_number=line["document_number"],
        document_number_key=document_key(line["document_number"]),
        document_date=_date(line["document_date"]),
        received_at=_datetime(line.get("received_at")) or published,
        summary=line.get("summary") or "",
        status=RequestStatus.PUBLISHED,
        entered_at=now,
        approved_at=_datetime(line.get("approved_at")) or published,
        published_at=published,
        from_national=True,
        updated_seq=next_seq(),
    )
    pairs = []
    for position, raw in enumerate(line.get("assets") or [], start=1):
        asset = Asset.objects.create(
            sync_id=uuid.UUID(raw["sync_id"]) if raw.get("sync_id") else uuid.uuid4(),
            request=request,
            position=position,
            asset_type=raw["asset_type"],
            certificate_date=_date(raw.get("certificate_date")),
            **{k: (raw.get(k) or "") for k in ASSET_KEYS},
        )
        owners = Owner.objects.bulk_create(
            [
                Owner(
                    asset=asset,
                    position=i,
                    name=o["name"],
                    id_type=o.get("id_type") or "",
                    id_number=o.get("id_number") or "",
                    birth_year=o.get("birth_year"),
                )
                for i, o in enumerate(raw.get("owners") or [], start=1)
            ]
        )
        pairs.append((asset, owners))
    write_keys(request, pairs)
    _releases(request, line, summary, now)
    summary.blocks_created += 1


def _releases(request: BlockingRequest, line: dict, summary: SyncSummary, now: datetime) -> None:
    """Releases published nationally that the province does not have yet (by sync ID)."""
    known = {str(s) for s in request.releases.values_list("sync_id", flat=True)}
    assets = {str(a.sync_id): a for a in request.assets.active()}
    added = False
    for raw in line.get("releases") or []:
        if raw["sync_id"] in known:
            continue
        released = [
            assets[a["sync_id"]]
            for a in line.get("assets") or []
            if a.get("released_by") == raw["sync_id"] and a.get("sync_id") in assets
        ]
        release = Release.objects.create(
            sync_id=uuid.UUID(raw["sync_id"]),
            request=request,
            document_number=raw["document_number"],
            document_date=_date(raw.get("document_date")),
            authority_name=raw.get("authority") or "",
            received_at=_datetime(raw.get("received_at")),
            entered_at=_datetime(raw.get("entered_at")) or now,
        )
        Asset.objects.filter(pk__in=[a.pk for a in released], released_by__isnull=True).update(
            released_by=release
        )
        summary.releases_added += 1
        added = True
    if added:
        request.status = derive_status(request)
        request.updated_seq = next_seq()
        request.save(update_fields=["status", "updated_seq"])


def _transaction(line: dict, summary: SyncSummary, now: datetime) -> None:
    sync_id = line["sync_id"]
    if Transaction.objects.filter(sync_id=sync_id).exists():
        summary.transactions_known += 1  # the province's own record coming back
        return
    office = _office(line["notary_org"], line.get("notary_org_name") or "")
    same = Transaction.objects.filter(
        office=office, contract_no_key=ident_key(line["contract_no"])[:60]
    ).first()
    if same is not None and same.national_id not in (None, sync_id):
        summary.transactions_known += 1
        return
    if same is not None and same.source != Source.NATIONAL:
        summary.transactions_known += 1  # entered here independently: the province's own
        return
    data = TxInput(
        contract_no=line["contract_no"],
        contract_date=_date(line["contract_date"]),
        kind=line["kind"],
        notary_name=line.get("notary_name") or "—",
        assets=[
            TxAssetInput(a["asset_type"], {k: v for k, v in a.items() if k != "asset_type"})
            for a in line.get("assets") or []
        ],
        parties=[
            PartyInput(p["role"], p["name"], p.get("id_number") or "", p.get("id_type") or "")
            for p in line.get("parties") or []
        ],
        value=Decimal(str(line["value"])) if line.get("value") not in (None, "") else None,
        cancels=line.get("cancels") or "",
    )
    outcome, tx = transaction_upsert(
        actor=None, office=office, data=data, source=Source.NATIONAL, national_id=sync_id, at=now
    )
    if outcome == "created":
        summary.transactions_created += 1
    elif outcome == "corrected":
        summary.transactions_corrected += 1
    else:
        summary.transactions_known += 1
    if line.get("released_at") and tx.kind == TxKind.MORTGAGE and tx.released_at is None:
        tx.released_at = _datetime(line["released_at"])
        tx.save(update_fields=["released_at"])


def sync_national(path: str, *, unit: Unit) -> SyncSummary:
    """Import the national database's JSON lines into the registry of `unit` (all or nothing)."""
    summary = SyncSummary()
    lines: list[tuple[int, dict]] = []
    errors: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            summary.lines += 1
            try:
                line = json.loads(text)
                if line.get("type") not in ("blocking_request", "notarized_transaction"):
                    raise ValueError(f"loại bản ghi không rõ: {line.get('type')!r}")
                uuid.UUID(str(line.get("sync_id")))
            except (ValueError, AttributeError) as exc:
                errors.append(f"dòng {number}: {exc}")
                continue
            lines.append((number, line))
    if errors:
        raise SyncFailed(errors)
    # Cancellations after the contracts they cancel.
    lines.sort(key=lambda item: (item[1].get("kind") == TxKind.CANCELLATION, item[0]))
    now = timezone.now()
    with transaction.atomic():
        for number, line in lines:
            try:
                with transaction.atomic():
                    if line["type"] == "blocking_request":
                        _block(line, unit, summary, now)
                    else:
                        _transaction(line, summary, now)
            except (BlockingError, KeyError, ValueError, TypeError) as exc:
                errors.append(f"dòng {number}: {exc}")
        if errors:
            transaction.set_rollback(True)
        else:
            audit_record(
                actor=None,
                action="notary.sync_national",
                object_type="notary.national",
                note=path[-200:],
                data={k: v for k, v in summary.__dict__.items() if k != "errors"},
            )
    if errors:
        raise SyncFailed(errors)
    return summary
