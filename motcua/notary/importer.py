"""`motcua notary import-transactions FILE.csv`: notarized contracts, all-or-nothing, idempotent by
(notary_org, contract_no).

Columns (issue 16, exactly): contract_no, contract_date, notary_org (the organisation's electronic
code, or its exact name), notary_name, kind, asset_type, certificate_serial, parcel_number, map_sheet,
address, plate, frame_number, engine_number, parties ("Role|Name|ID;…"), cancels.

Several rows with the same (notary_org, contract_no) are the assets of one contract (their contract
columns must agree). Every row is checked first; any error → nothing is written and each reason is
reported with its line number. A contract already recorded with the same content is left alone; with
another content it is corrected (history kept); a cancellation marks the contract it cancels, which
may be earlier in the same file.

New contracts (the bulk of any file) are written in batches with explicit ids (PostgreSQL: COPY;
SQLite: executemany, as `motcua blocking import`) with one audit event for the file; contracts
already recorded and cancellations go through the services one by one (history, cancellation link).
"""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from motcua.audit.services import audit_record
from motcua.blocking.choices import AssetType
from motcua.blocking.importer import parse_date
from motcua.blocking.keys import ident_key, name_key
from motcua.orgs.models import Unit

from .choices import Source, TxKind
from .errors import NotaryError
from .keys import tx_keys
from .models import Transaction, TxAsset, TxKey, TxParty
from .parse import parse_parties
from .services import (
    ASSET_FIELDS,
    TxAssetInput,
    TxInput,
    check_input,
    next_seq,
    transaction_upsert,
)

COLUMNS = (
    "contract_no",
    "contract_date",
    "notary_org",
    "notary_name",
    "kind",
    "asset_type",
    "certificate_serial",
    "parcel_number",
    "map_sheet",
    "address",
    "plate",
    "frame_number",
    "engine_number",
    "parties",
    "cancels",
)
CONTRACT_COLUMNS = ("contract_date", "notary_name", "kind", "parties", "cancels")
MAX_REPORTED = 200
# Search rows per write (sorted by value before each write; see `_bulk_create`).
BATCH = 100_000
#: From this many new contracts on (and at least half of those recorded), the search index is
#: rebuilt after the import rather than updated row by row.
REBUILD_INDEX_FROM = 50_000


class ImportFailed(Exception):
    """The file was refused; `errors` are 'dòng N: reason' strings (nothing was written)."""

    def __init__(self, errors: list[str], total: int | None = None):
        super().__init__(errors[0] if errors else "import failed")
        self.errors = errors[:MAX_REPORTED]
        self.total = total if total is not None else len(errors)


@dataclass
class Summary:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    corrected: int = 0
    errors: list[str] = field(default_factory=list)


class _Offices:
    """notary_org → Unit, by electronic code or exact (folded) name; cached."""

    def __init__(self):
        self.cache: dict[str, Unit | None] = {}

    def get(self, text: str) -> Unit:
        key = text.strip()
        if key not in self.cache:
            unit = Unit.objects.filter(code=key).first()
            if unit is None:
                folded = name_key(key)
                matches = [u for u in Unit.objects.all() if name_key(u.name) == folded]
                unit = matches[0] if len(matches) == 1 else None
            self.cache[key] = unit
        unit = self.cache[key]
        if unit is None:
            raise NotaryError(f"không có tổ chức hành nghề công chứng «{key}» (mã hoặc tên)")
        return unit


@dataclass
class _Contract:
    line: int
    office: Unit
    values: dict
    assets: list[TxAssetInput] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def to_input(self) -> TxInput:
        v = self.values
        return TxInput(
            contract_no=v["contract_no"],
            contract_date=parse_date(v["contract_date"]),
            kind=v["kind"].strip().lower(),
            notary_name=v["notary_name"],
            assets=self.assets,
            parties=parse_parties(v["parties"]),
            cancels=v["cancels"].strip(),
        )


def _asset(row: dict) -> TxAssetInput | None:
    asset_type = (row.get("asset_type") or "").strip().lower()
    fields = {k: (row.get(k) or "").strip() for k in ASSET_FIELDS if k != "description"}
    if not asset_type and not any(fields.values()):
        return None
    if asset_type == AssetType.OTHER:
        fields["description"] = fields.get("address", "")
    return TxAssetInput(asset_type, fields)


def read_contracts(path: str) -> tuple[int, list[_Contract]]:
    """Parse and check every row; ImportFailed with every reason."""
    errors: list[str] = []
    contracts: dict[tuple[int, str], _Contract] = {}
    offices = _Offices()
    today = timezone.localdate()
    rows = 0
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in reader.fieldnames or []]
        missing = [c for c in COLUMNS if c not in header]
        unknown = [h for h in header if h not in COLUMNS]
        if missing or unknown:
            parts = []
            if missing:
                parts.append("thiếu cột " + ", ".join(missing))
            if unknown:
                parts.append("cột không dùng " + ", ".join(unknown))
            raise ImportFailed(["dòng 1: " + "; ".join(parts)])
        for line, raw in enumerate(reader, start=2):
            rows += 1
            row = {(k or "").strip(): (v or "") for k, v in raw.items()}
            try:
                office = offices.get(row["notary_org"])
                number = " ".join(row["contract_no"].split())
                if not ident_key(number):
                    raise NotaryError("thiếu số hợp đồng (contract_no)")
                key = (office.pk, ident_key(number))
                contract = contracts.get(key)
                if contract is None:
                    contract = _Contract(line, office, {**row, "contract_no": number})
                    contracts[key] = contract
                else:
                    for column in CONTRACT_COLUMNS:
                        if row[column].strip() != contract.values[column].strip():
                            raise NotaryError(
                                f"cột {column} khác dòng {contract.line} của cùng hợp đồng {number}"
                            )
                asset = _asset(row)
                if asset is not None:
                    contract.assets.append(asset)
                contract.lines.append(line)
            except (NotaryError, ValueError) as exc:
                errors.append(f"dòng {line}: {exc}")
    for contract in contracts.values():
        if any(e.startswith(f"dòng {n}:") for n in contract.lines for e in errors):
            continue
        try:
            check_input(contract.to_input(), today)
        except (NotaryError, ValueError) as exc:
            errors.append(f"dòng {contract.line}: {exc}")
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: int(e.split(":")[0].split()[1])))
    return rows, list(contracts.values())


def _existing_keys(contracts: list[_Contract]) -> set[tuple[int, str]]:
    """(office id, contract number key) of the file's contracts already in the database."""
    wanted: dict[int, list[str]] = {}
    for c in contracts:
        wanted.setdefault(c.office.pk, []).append(ident_key(c.values["contract_no"])[:60])
    found: set[tuple[int, str]] = set()
    for office_id, keys in wanted.items():
        for start in range(0, len(keys), 1000):
            found.update(
                Transaction.objects.filter(
                    office_id=office_id, contract_no_key__in=keys[start : start + 1000]
                ).values_list("office_id", "contract_no_key")
            )
    return found


def _bulk_create(contracts: list[_Contract], now) -> None:
    """Write new contracts (not cancellations) in batches, search rows included (inside atomic).

    Search rows are written sorted by (kind, value): the b-tree's pages are then updated in order,
    not at random (the import no longer slows down as the search table grows). A file that is
    large beside what is recorded (an initial load) drops the search index and builds it after,
    as `motcua blocking import` does."""
    from motcua.blocking.importer import _index_ddl, _Writer

    models = (Transaction, TxAsset, TxParty, TxKey)
    writer = _Writer()
    writer.lock(models)
    rebuild = len(contracts) >= REBUILD_INDEX_FROM and len(contracts) >= (
        Transaction.objects.count() // 2
    )
    if rebuild:
        _index_ddl("remove", TxKey)
    ids = {model: writer.next_id(model) for model in models}
    fields = {m: [f.attname for f in m._meta.concrete_fields] for m in models}
    buffers: dict = {m: [] for m in models}
    last_seq = next_seq(len(contracts))
    seq = last_seq - len(contracts)
    today = timezone.localdate(now)

    value_at = fields[TxKey].index("value")
    kind_at = fields[TxKey].index("kind")

    def flush():
        buffers[TxKey].sort(key=lambda row: (row[kind_at], row[value_at]))
        for model in models:  # parents first
            if buffers[model]:
                writer.write(model, buffers[model])
                buffers[model] = []

    for contract in contracts:
        data = contract.to_input()
        number, assets, parties = check_input(data, today)
        seq += 1
        tx_id = ids[Transaction]
        ids[Transaction] += 1
        tx = {
            "id": tx_id, "sync_id": uuid.uuid4(), "office_id": contract.office.pk,
            "contract_no": number, "contract_no_key": ident_key(number)[:60],
            "contract_date": data.contract_date, "notary_name": data.notary_name.strip(),
            "kind": data.kind, "value": data.value, "note": (data.note or "").strip(), "scan": "",
            "scan_sha256": "", "cancels_id": None, "cancelled_by_id": None, "released_at": None,
            "release_note": "", "source": Source.IMPORT, "national_id": None, "entered_at": now,
            "entered_by_id": None, "updated_at": now, "version": 1, "updated_seq": seq,
        }  # fmt: skip
        buffers[Transaction].append(tuple(tx[f] for f in fields[Transaction]))
        party_rows = []
        for position, (role, name, id_type, id_number) in enumerate(parties, start=1):
            row = {
                "id": ids[TxParty], "transaction_id": tx_id, "position": position, "role": role,
                "name": name, "id_type": id_type, "id_number": id_number, "superseded_at": None,
            }  # fmt: skip
            ids[TxParty] += 1
            buffers[TxParty].append(tuple(row[f] for f in fields[TxParty]))
            party_rows.append(SimpleNamespace(name=name, id_number=id_number))
        tx_ns = SimpleNamespace(contract_no=number)
        for position, (asset_input, values) in enumerate(
            zip(data.assets, assets, strict=True), start=1
        ):
            full = {k: values.get(k, "") for k in ASSET_FIELDS}
            asset_id = ids[TxAsset]
            ids[TxAsset] += 1
            row = {
                "id": asset_id, "transaction_id": tx_id, "position": position,
                "asset_type": asset_input.asset_type, "superseded_at": None, **full,
            }  # fmt: skip
            buffers[TxAsset].append(tuple(row[f] for f in fields[TxAsset]))
            for kind, value in tx_keys(SimpleNamespace(**full), party_rows, tx_ns):
                row = {
                    "id": ids[TxKey], "asset_id": asset_id, "transaction_id": tx_id,
                    "kind": kind, "value": value,
                }  # fmt: skip
                ids[TxKey] += 1
                buffers[TxKey].append(tuple(row[f] for f in fields[TxKey]))
        if len(buffers[TxKey]) >= BATCH:
            flush()
    flush()
    if rebuild:
        _index_ddl("create", TxKey)
    writer.fix_sequences(models)


def import_transactions(path: str) -> Summary:
    """Check the whole file, then write it in one database transaction (or nothing)."""
    rows, contracts = read_contracts(path)
    summary = Summary(rows=rows)
    # Cancellations last: the contract they cancel may come later in the file.
    contracts.sort(key=lambda c: (c.values["kind"].strip().lower() == TxKind.CANCELLATION, c.line))
    now = timezone.now()
    errors: list[str] = []
    with transaction.atomic():
        existing = _existing_keys(contracts)
        new = [
            c
            for c in contracts
            if c.values["kind"].strip().lower() != TxKind.CANCELLATION
            and (c.office.pk, ident_key(c.values["contract_no"])[:60]) not in existing
        ]
        if new:
            _bulk_create(new, now)
            summary.created += len(new)
            audit_record(
                actor=None,
                action="notary.import",
                object_type=Transaction._meta.label_lower,
                note=path[-200:],
                data={"created": len(new), "rows": rows},
            )
        bulk = {id(c) for c in new}
        for contract in contracts:
            if id(contract) in bulk:
                continue
            try:
                outcome, _tx = transaction_upsert(
                    actor=None,
                    office=contract.office,
                    data=contract.to_input(),
                    source=Source.IMPORT,
                    at=now,
                )
            except NotaryError as exc:
                errors.append(f"dòng {contract.line}: {exc}")
                continue
            setattr(summary, outcome, getattr(summary, outcome) + 1)
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportFailed(errors)
    return summary
