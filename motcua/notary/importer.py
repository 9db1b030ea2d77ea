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
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from motcua.blocking.choices import AssetType
from motcua.blocking.importer import parse_date
from motcua.blocking.keys import ident_key, name_key
from motcua.orgs.models import Unit

from .choices import Source, TxKind
from .errors import NotaryError
from .parse import parse_parties
from .services import ASSET_FIELDS, TxAssetInput, TxInput, check_input, transaction_upsert

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


def import_transactions(path: str) -> Summary:
    """Check the whole file, then write it in one database transaction (or nothing)."""
    rows, contracts = read_contracts(path)
    summary = Summary(rows=rows)
    # Cancellations last: the contract they cancel may come later in the file.
    contracts.sort(key=lambda c: (c.values["kind"].strip().lower() == TxKind.CANCELLATION, c.line))
    now = timezone.now()
    errors: list[str] = []
    with transaction.atomic():
        for contract in contracts:
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
