"""Writes on the notarized transactions: record, correct, cancel (by a later contract), release a
mortgage. Keyword-only, `actor` first, one transaction and one audit event per call; nothing is
deleted (superseded rows and a revision snapshot keep the history).

`actor` is the user on the site; None for the import command (the operator) and the API (a token
already bound to the organisation), which say so in `source`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.blocking.choices import AssetType
from motcua.blocking.errors import BlockingError
from motcua.blocking.files import checked_scan
from motcua.blocking.identity import check_owner_identity
from motcua.blocking.keys import ident_key
from motcua.orgs.models import Unit

from .choices import PartyRole, Source, TxKind
from .errors import NotaryError
from .keys import tx_keys
from .models import Transaction, TxAsset, TxKey, TxParty, TxRevision
from .selectors import office_ids

if TYPE_CHECKING:
    from django.core.files.base import File

    from motcua.core.typing import User

ASSET_FIELDS = (
    "certificate_serial",
    "parcel_number",
    "map_sheet",
    "address",
    "plate",
    "frame_number",
    "engine_number",
    "description",
)


@dataclass(frozen=True)
class PartyInput:
    role: str
    name: str
    id_number: str = ""
    # DOMAIN §12: the document type; empty = from a "type:" prefix or by the number's shape.
    id_type: str = ""


@dataclass(frozen=True)
class TxAssetInput:
    asset_type: str
    fields: dict = field(default_factory=dict)


@dataclass(frozen=True)
class TxInput:
    contract_no: str
    contract_date: date
    kind: str
    notary_name: str
    assets: list[TxAssetInput]
    parties: list[PartyInput]
    value: Decimal | None = None
    note: str = ""
    cancels: str = ""  # the contract number it cancels (kind `cancellation`)


# --- checks --------------------------------------------------------------------------------------
def require_office(actor: User | None, office: Unit) -> None:
    """On the site: a notary or clerk of this organisation only."""
    if actor is not None and office.pk not in office_ids(actor):
        raise NotaryError(_("You do not enter transactions for this notary organisation."))


def check_asset(asset: TxAssetInput, number: int) -> dict:
    """The asset identifies something (as a blocked asset, DOMAIN §11); returns its clean fields."""
    values = {
        k: (v.strip() if isinstance(v, str) else v)
        for k, v in asset.fields.items()
        if k in ASSET_FIELDS and v
    }
    where = _("Asset %(n)d") % {"n": number}
    if asset.asset_type not in AssetType.values:
        raise NotaryError(_("%(where)s: unknown asset type.") % {"where": where})
    if asset.asset_type == AssetType.LAND and not (
        values.get("certificate_serial")
        or (values.get("parcel_number") and values.get("map_sheet"))
    ):
        raise NotaryError(
            _(
                "%(where)s: a land asset needs a certificate serial, or a parcel and map sheet number."
            )
            % {"where": where}
        )
    if asset.asset_type == AssetType.VEHICLE and not (
        values.get("plate") or values.get("frame_number") or values.get("engine_number")
    ):
        raise NotaryError(
            _("%(where)s: a vehicle needs a plate, frame number or engine number.")
            % {"where": where}
        )
    if asset.asset_type == AssetType.OTHER and not values.get("description"):
        raise NotaryError(_("%(where)s: describe the asset.") % {"where": where})
    return values


def check_input(
    data: TxInput, today: date
) -> tuple[str, list[dict], list[tuple[str, str, str, str]]]:
    """(contract number, clean asset fields, checked parties: role, name, type, number)."""
    contract_no = " ".join((data.contract_no or "").split())
    if not contract_no or not ident_key(contract_no):
        raise NotaryError(_("The contract number is required."))
    if len(contract_no) > 60:
        raise NotaryError(_("The contract number is too long."))
    if data.kind not in TxKind.values:
        raise NotaryError(_("Unknown kind of transaction: %(kind)s.") % {"kind": data.kind})
    if data.contract_date > today:
        raise NotaryError(_("The contract date is in the future."))
    if not (data.notary_name or "").strip():
        raise NotaryError(_("The notary's name is required."))
    if data.value is not None and data.value < 0:
        raise NotaryError(_("The declared value cannot be negative."))
    if data.kind == TxKind.CANCELLATION and not (data.cancels or "").strip():
        raise NotaryError(_("A cancellation names the contract number it cancels."))
    if data.kind != TxKind.CANCELLATION and (data.cancels or "").strip():
        raise NotaryError(_("Only a cancellation names a contract it cancels."))
    if not data.assets and data.kind != TxKind.CANCELLATION:
        raise NotaryError(_("A transaction names at least one asset."))
    assets = [check_asset(a, n) for n, a in enumerate(data.assets, start=1)]
    if not data.parties and data.kind != TxKind.CANCELLATION:
        raise NotaryError(_("A transaction names at least one party."))
    parties = []
    for party in data.parties:
        if party.role not in PartyRole.values:
            raise NotaryError(_("Unknown party role: %(role)s.") % {"role": party.role})
        if not party.name.strip():
            raise NotaryError(_("A party has no name."))
        try:
            id_type, number = check_owner_identity(party.id_type, party.id_number)
        except BlockingError as exc:  # the shared identity check (DOMAIN §12)
            raise NotaryError(str(exc)) from exc
        parties.append((party.role, " ".join(party.name.split()), id_type, number))
    return contract_no, assets, parties


def snapshot(tx: Transaction) -> dict[str, Any]:
    """The transaction as it stands (current assets and parties), for the revision history."""
    return {
        "contract_no": tx.contract_no,
        "contract_date": tx.contract_date.isoformat(),
        "kind": tx.kind,
        "notary_name": tx.notary_name,
        "value": str(tx.value) if tx.value is not None else None,
        "note": tx.note,
        "cancels": tx.cancels.contract_no if tx.cancels is not None else "",
        "cancelled_by": tx.cancelled_by.contract_no if tx.cancelled_by is not None else "",
        "released_at": tx.released_at.isoformat() if tx.released_at else None,
        "assets": [
            {
                "asset_type": a.asset_type,
                **{k: getattr(a, k) for k in ASSET_FIELDS if getattr(a, k)},
            }
            for a in tx.assets.current()
        ],
        "parties": [
            {"role": p.role, "name": p.name, "id_type": p.id_type, "id_number": p.id_number}
            for p in tx.parties.current()
        ],
    }


def fingerprint(
    contract_date: date,
    kind: str,
    notary_name: str,
    value: Decimal | None,
    note: str,
    cancels: str,
    assets: list[dict],
    parties: list,
) -> dict:
    """What makes a re-sent record 'the same' (idempotency of import and API)."""
    return {
        "contract_date": contract_date.isoformat(),
        "kind": kind,
        "notary_name": notary_name.strip(),
        "value": str(value) if value is not None else None,
        "note": (note or "").strip(),
        "cancels": ident_key(cancels or ""),
        "assets": [sorted(a.items()) for a in assets],
        "parties": [list(p) for p in parties],
    }


def current_fingerprint(tx: Transaction) -> dict:
    snap = snapshot(tx)
    return fingerprint(
        tx.contract_date,
        tx.kind,
        tx.notary_name,
        tx.value,
        tx.note,
        snap["cancels"],
        snap["assets"],
        [(p["role"], p["name"], p["id_type"], p["id_number"]) for p in snap["parties"]],
    )


def input_fingerprint(data: TxInput, contract_no: str, assets: list[dict], parties: list) -> dict:
    return fingerprint(
        data.contract_date,
        data.kind,
        data.notary_name,
        data.value,
        data.note,
        data.cancels,
        [
            values | {"asset_type": a.asset_type}
            for a, values in zip(data.assets, assets, strict=True)
        ],
        parties,
    )


# --- writing -------------------------------------------------------------------------------------
def rebuild_keys(tx: Transaction) -> None:
    """(Re)build the search rows from the current assets and parties (inside atomic)."""
    TxKey.objects.filter(transaction_id=tx.pk).delete()
    parties = list(tx.parties.current())
    TxKey.objects.bulk_create(
        [
            TxKey(asset_id=asset.pk, transaction_id=tx.pk, kind=kind, value=value)
            for asset in tx.assets.current()
            for kind, value in tx_keys(asset, parties, tx)
        ],
        batch_size=500,
    )


def _write_children(tx: Transaction, data: TxInput, assets: list[dict], parties: list) -> None:
    for position, (asset_input, values) in enumerate(zip(data.assets, assets, strict=True), 1):
        TxAsset.objects.create(
            transaction=tx, position=position, asset_type=asset_input.asset_type, **values
        )
    TxParty.objects.bulk_create(
        [
            TxParty(transaction=tx, position=i, role=role, name=name, id_type=t, id_number=n)
            for i, (role, name, t, n) in enumerate(parties, start=1)
        ]
    )


def _find_cancelled(office: Unit, number: str) -> Transaction:
    target = (
        Transaction.objects.select_for_update()
        .filter(office=office, contract_no_key=ident_key(number)[:60])
        .first()
    )
    if target is None:
        raise NotaryError(
            _("Contract %(no)s to cancel is not in this organisation's records.") % {"no": number}
        )
    if target.kind == TxKind.CANCELLATION:
        raise NotaryError(_("A cancellation cannot itself be cancelled: enter a new contract."))
    if target.cancelled_by_id:
        raise NotaryError(
            _("Contract %(no)s is already cancelled by %(by)s.")
            % {
                "no": target.contract_no,
                "by": target.cancelled_by.contract_no if target.cancelled_by else "",
            }
        )
    return target


def next_seq(count: int = 1) -> int:
    """Reserve `count` values of the transactions' export counter; the last one (inside atomic)."""
    from motcua.blocking.models import SyncCounter

    SyncCounter.objects.get_or_create(name="notary")
    counter = SyncCounter.objects.select_for_update().get(name="notary")
    counter.value += count
    counter.save(update_fields=["value"])
    return counter.value


def _revise(
    tx: Transaction, *, actor: User | None, action: str, reason: str, now: datetime
) -> None:
    TxRevision.objects.create(
        transaction=tx,
        version=tx.version,
        at=now,
        by=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        reason=reason,
        before=snapshot(tx),
    )
    tx.version += 1
    tx.updated_seq = next_seq()


def transaction_record(
    *,
    actor: User | None,
    office: Unit,
    data: TxInput,
    scan: File | None = None,
    source: str = Source.ENTERED,
    national_id: str | None = None,
    at: datetime | None = None,
    checked: tuple | None = None,
) -> Transaction:
    """Record a notarized contract of `office` (a cancellation also marks the contract it cancels)."""
    require_office(actor, office)
    now = at or timezone.now()
    contract_no, assets, parties = checked or check_input(data, timezone.localdate(now))
    stored_scan = checked_scan(scan) if scan else None
    key = ident_key(contract_no)[:60]
    with transaction.atomic():
        if Transaction.objects.filter(office=office, contract_no_key=key).exists():
            raise NotaryError(
                _("Contract number %(no)s is already recorded for this organisation.")
                % {"no": contract_no}
            )
        target = _find_cancelled(office, data.cancels) if data.kind == TxKind.CANCELLATION else None
        tx = Transaction(
            office=office,
            contract_no=contract_no,
            contract_no_key=key,
            contract_date=data.contract_date,
            notary_name=data.notary_name.strip(),
            kind=data.kind,
            value=data.value,
            note=(data.note or "").strip(),
            cancels=target,
            source=source,
            national_id=national_id,
            entered_at=now,
            entered_by=actor if actor is not None and actor.is_authenticated else None,
            updated_at=now,
            updated_seq=next_seq(),
        )
        if stored_scan:
            tx.scan, tx.scan_sha256 = stored_scan
        try:
            with transaction.atomic():
                tx.save()
        except IntegrityError as exc:
            raise NotaryError(
                _("Contract number %(no)s is already recorded for this organisation.")
                % {"no": contract_no}
            ) from exc
        _write_children(tx, data, assets, parties)
        rebuild_keys(tx)
        if target is not None:
            _revise(target, actor=actor, action="cancelled", reason=contract_no, now=now)
            target.cancelled_by = tx
            target.updated_at = now
            target.save(update_fields=["cancelled_by", "updated_at", "version", "updated_seq"])
        audit_record(
            actor=actor,
            action="notary.record",
            obj=tx,
            to_state=tx.kind,
            note=f"{office.code} {contract_no}",
            data={"source": source, "assets": len(assets), "cancels": data.cancels or ""},
        )
    return tx


def transaction_correct(
    *,
    actor: User | None,
    tx_id: int,
    data: TxInput,
    reason: str,
    scan: File | None = None,
    at: datetime | None = None,
    checked: tuple | None = None,
) -> Transaction:
    """Correct a recorded transaction: the earlier assets and parties are kept (superseded) and the
    earlier content is frozen in a revision. The contract number and the cancellation link stay."""
    now = at or timezone.now()
    if not (reason or "").strip():
        raise NotaryError(_("Say why the transaction is corrected."))
    contract_no, assets, parties = checked or check_input(data, timezone.localdate(now))
    stored_scan = checked_scan(scan) if scan else None
    with transaction.atomic():
        tx = Transaction.objects.select_for_update().filter(pk=tx_id).first()
        if tx is None:
            raise NotaryError(_("No such transaction."))
        require_office(actor, tx.office)
        if ident_key(contract_no)[:60] != tx.contract_no_key:
            raise NotaryError(_("The contract number cannot be changed; record a new contract."))
        if data.kind != tx.kind and TxKind.CANCELLATION in (data.kind, tx.kind):
            raise NotaryError(_("A cancellation stays a cancellation; record a new contract."))
        if tx.kind == TxKind.CANCELLATION and ident_key(data.cancels) != ident_key(
            tx.cancels.contract_no if tx.cancels is not None else ""
        ):
            raise NotaryError(_("The contract a cancellation cancels cannot be changed."))
        _revise(tx, actor=actor, action="corrected", reason=reason.strip(), now=now)
        tx.assets.current().update(superseded_at=now)
        tx.parties.current().update(superseded_at=now)
        tx.contract_date = data.contract_date
        tx.kind = data.kind
        tx.notary_name = data.notary_name.strip()
        tx.value = data.value
        tx.note = (data.note or "").strip()
        tx.updated_at = now
        if stored_scan:
            tx.scan, tx.scan_sha256 = stored_scan
        tx.save()
        _write_children(tx, data, assets, parties)
        rebuild_keys(tx)
        audit_record(
            actor=actor,
            action="notary.correct",
            obj=tx,
            note=f"{tx.office.code} {tx.contract_no}",
            data={"reason": reason.strip(), "version": tx.version},
        )
    return tx


def mortgage_release(
    *, actor: User | None, tx_id: int, note: str = "", at: datetime | None = None
) -> Transaction:
    """The mortgage is discharged (xóa thế chấp): it no longer warns `mortgaged`."""
    now = at or timezone.now()
    with transaction.atomic():
        tx = Transaction.objects.select_for_update().filter(pk=tx_id).first()
        if tx is None:
            raise NotaryError(_("No such transaction."))
        require_office(actor, tx.office)
        if tx.kind != TxKind.MORTGAGE:
            raise NotaryError(_("Only a mortgage can be released."))
        if tx.released_at or tx.cancelled_by_id:
            raise NotaryError(_("This mortgage is already released or cancelled."))
        _revise(tx, actor=actor, action="released", reason=note, now=now)
        tx.released_at = now
        tx.release_note = (note or "").strip()
        tx.updated_at = now
        tx.save(
            update_fields=["released_at", "release_note", "updated_at", "version", "updated_seq"]
        )
        audit_record(
            actor=actor,
            action="notary.release",
            obj=tx,
            note=f"{tx.office.code} {tx.contract_no}",
        )
    return tx


def transaction_upsert(
    *,
    actor: User | None,
    office: Unit,
    data: TxInput,
    source: str,
    national_id: str | None = None,
    at: datetime | None = None,
) -> tuple[str, Transaction]:
    """Idempotent by (organisation, contract number): ("created" | "unchanged" | "corrected", tx).

    A record sent again with the same content changes nothing; with another content it is a
    correction (history kept)."""
    now = at or timezone.now()
    checked = check_input(data, timezone.localdate(now))
    contract_no, assets, parties = checked
    existing = Transaction.objects.filter(
        office=office, contract_no_key=ident_key(contract_no)[:60]
    ).first()
    if existing is None:
        tx = transaction_record(
            actor=actor,
            office=office,
            data=data,
            source=source,
            national_id=national_id,
            at=now,
            checked=checked,
        )
        return "created", tx
    if current_fingerprint(existing) == input_fingerprint(data, contract_no, assets, parties):
        return "unchanged", existing
    tx = transaction_correct(
        actor=actor,
        tx_id=existing.pk,
        data=data,
        reason=_("sent again with other content (%(source)s)") % {"source": source},
        at=now,
        checked=checked,
    )
    return "corrected", tx
