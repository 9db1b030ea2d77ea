"""/api/v1/notary/ — a notary organisation's own software sends its notarized transactions.

Authentication: `Authorization: Bearer <key>`, a per-organisation key created by an administrator
(`motcua notary create-token` or the admin); every call acts for that organisation only.
Idempotent by (organisation, contract number): the same record sent twice changes nothing; with
another content it is a correction (history kept).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from .choices import Source
from .errors import NotaryError
from .models import Transaction
from .services import PartyInput, TxAssetInput, TxInput, mortgage_release, transaction_upsert
from .tokens import token_for_key


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        return token_for_key(token)


router = Router(tags=["notary"], auth=TokenAuth())


class AssetIn(Schema):
    asset_type: str
    certificate_serial: str = ""
    parcel_number: str = ""
    map_sheet: str = ""
    address: str = ""
    plate: str = ""
    frame_number: str = ""
    engine_number: str = ""
    description: str = ""


class PartyIn(Schema):
    role: str
    name: str
    id_type: str = ""
    id_number: str = ""


class TransactionIn(Schema):
    contract_no: str
    contract_date: date
    kind: str
    notary_name: str
    assets: list[AssetIn] = []
    parties: list[PartyIn] = []
    value: Decimal | None = None
    note: str = ""
    cancels: str = ""


class TransactionOut(Schema):
    outcome: str
    id: int
    sync_id: str
    contract_no: str
    status: str
    version: int


class ReleaseIn(Schema):
    contract_no: str
    note: str = ""


class ErrorOut(Schema):
    detail: str


def _out(outcome: str, tx: Transaction) -> dict:
    return {
        "outcome": outcome,
        "id": tx.pk,
        "sync_id": str(tx.sync_id),
        "contract_no": tx.contract_no,
        "status": tx.status,
        "version": tx.version,
    }


@router.post("/transactions", response={200: TransactionOut, 201: TransactionOut, 400: ErrorOut})
def send_transaction(request, payload: TransactionIn):
    """Record (201) or re-send (200: unchanged or corrected) a notarized contract."""
    data = TxInput(
        contract_no=payload.contract_no,
        contract_date=payload.contract_date,
        kind=payload.kind,
        notary_name=payload.notary_name,
        assets=[
            TxAssetInput(a.asset_type, a.model_dump(exclude={"asset_type"})) for a in payload.assets
        ],
        parties=[PartyInput(p.role, p.name, p.id_number, p.id_type) for p in payload.parties],
        value=payload.value,
        note=payload.note,
        cancels=payload.cancels,
    )
    try:
        outcome, tx = transaction_upsert(
            actor=None, office=request.auth.office, data=data, source=Source.API
        )
    except NotaryError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(201 if outcome == "created" else 200, _out(outcome, tx))


@router.post("/mortgage-release", response={200: TransactionOut, 400: ErrorOut, 404: ErrorOut})
def release(request, payload: ReleaseIn):
    """The mortgage `contract_no` of this organisation is released (it no longer warns)."""
    from motcua.blocking.keys import ident_key

    tx = Transaction.objects.filter(
        office=request.auth.office, contract_no_key=ident_key(payload.contract_no)[:60]
    ).first()
    if tx is None:
        return Status(404, {"detail": "Not Found"})
    try:
        tx = mortgage_release(actor=None, tx_id=tx.pk, note=payload.note)
    except NotaryError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(200, _out("released", tx))


@router.get("/transactions", response=list[TransactionOut])
def list_transactions(request, since: int = 0, limit: int = 100):
    """This organisation's transactions by id (for reconciliation): ids greater than `since`."""
    rows = Transaction.objects.filter(office=request.auth.office, pk__gt=since).order_by("pk")
    return [_out("stored", tx) for tx in rows[: max(1, min(limit, 1000))]]
