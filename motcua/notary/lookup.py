"""The transactions' half of the notaries' one look-up, and the warnings computed from both halves.

Transactions are found with the blocks' own search code (`blocking.search.find_ids` /
`find_advanced`) over `TxKey`, which holds the same kinds of keys normalised the same way: a
certificate serial typed "AB 123.456" or "ab123456" finds the sale and the block alike. Every notary
sees every organisation's transactions in a look-up (DOMAIN §11); the record page stays the
organisation's own.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.blocking.search import CAP, find_advanced, find_ids

from .choices import TRANSFER_KINDS, TxKind, TxStatus
from .models import Transaction, TxAsset, TxKey, TxParty


def find_transactions(
    query: str, criteria: dict | None, limit: int
) -> tuple[list[tuple[Transaction, list[TxAsset]]], int, bool]:
    """(transactions newest first with the assets that matched, total found, truncated)."""
    if criteria:
        found = find_advanced(criteria, Q(), model=TxKey)
    else:
        found = find_ids(query, Q(), model=TxKey)
    if not found:
        return [], 0, False
    truncated = len(found) > CAP or found.cut
    ids = list(found)[: CAP + 1]
    current = TxAsset.objects.current().filter(pk__in=ids)
    if len(ids) > limit:
        # Many hits (a common name): order by the contracts' dates from a narrow query, then load
        # only the assets of the `limit` newest contracts.
        dated = current.values_list("transaction_id", "transaction__contract_date")
        newest = sorted(set(dated), key=lambda t: (t[1], t[0]), reverse=True)
        total_tx = len(newest)
        current = current.filter(transaction_id__in=[t for t, _d in newest[:limit]])
    else:
        total_tx = None
    assets = list(
        current.select_related("transaction__office", "transaction__cancelled_by").select_related(
            "transaction__cancels"
        )
    )
    by_tx: dict[int, tuple[Transaction, list[TxAsset]]] = {}
    for asset in assets:
        entry = by_tx.setdefault(asset.transaction_id, (asset.transaction, []))
        entry[1].append(asset)
    ordered = sorted(by_tx.values(), key=lambda e: (e[0].contract_date, e[0].pk), reverse=True)
    total = total_tx if total_tx is not None else len(ordered)
    shown = ordered[:limit]
    parties: dict[int, list[TxParty]] = {}
    for party in TxParty.objects.current().filter(transaction_id__in=[t.pk for t, _a in shown]):
        parties.setdefault(party.transaction_id, []).append(party)
    for tx, _assets in shown:
        tx.current_parties = parties.get(tx.pk, [])  # type: ignore[attr-defined]
    return shown, total, truncated


def tx_result_json(tx: Transaction, assets: list[TxAsset]) -> dict:
    """One transaction as a look-up result (`record_type`: transaction)."""
    return {
        "record_type": "transaction",
        "contract_no": tx.contract_no,
        "contract_date": tx.contract_date.isoformat(),
        "kind": tx.kind,
        "status": tx.status,
        "notary_org": tx.office.name,
        "notary_org_code": tx.office.code,
        "notary_name": tx.notary_name,
        "asset_type": assets[0].asset_type if assets else "",
        "asset": "; ".join(a.label() for a in assets),
        "assets": [{"asset_type": a.asset_type, "asset": a.label()} for a in assets],
        "parties": [
            {"role": p.role, "name": p.name, "id_type": p.id_type, "id_number": p.id_number}
            for p in getattr(tx, "current_parties", [])
        ],
        "value": str(tx.value) if tx.value is not None else None,
        "cancels": tx.cancels.contract_no if tx.cancels_id else None,
        "cancelled_by": tx.cancelled_by.contract_no if tx.cancelled_by_id else None,
        "released_at": tx.released_at.isoformat() if tx.released_at else None,
    }


def _kind_label(kind: str) -> str:
    return str(TxKind(kind).label) if kind in TxKind.values else kind


def warnings_for(results: list[dict]) -> list[dict]:
    """`active_block`, `prior_transfer`, `mortgaged` for what the look-up found (issue 16)."""
    out: list[dict] = []
    for r in results:
        if r.get("record_type", "block") == "block":
            if r["status"] == "active" and r["kind"] == "blocking":
                out.append(
                    {
                        "code": "active_block",
                        "asset": r["asset"],
                        "record": r["request_no"],
                        "record_type": "block",
                        "message": _(
                            "BLOCKED: %(asset)s is blocked by %(authority)s (document "
                            "%(document)s, request %(record)s). Do not notarize a transaction on it."
                        )
                        % {
                            "asset": r["asset"],
                            "authority": r["authority"],
                            "document": r["document_number"],
                            "record": r["request_no"],
                        },
                    }
                )
            continue
        if r["status"] != TxStatus.VALID:
            continue
        for asset in r["assets"]:
            values = {
                "asset": asset["asset"],
                "kind": _kind_label(r["kind"]),
                "record": r["contract_no"],
                "date": r["contract_date"],
                "org": r["notary_org"],
            }
            if r["kind"] in TRANSFER_KINDS:
                out.append(
                    {
                        "code": "prior_transfer",
                        "asset": asset["asset"],
                        "record": r["contract_no"],
                        "record_type": "transaction",
                        "message": _(
                            "ALREADY TRANSFERRED: %(asset)s was the object of a %(kind)s, contract "
                            "%(record)s of %(date)s at %(org)s. The earlier owner may no longer "
                            "dispose of it: check for a double sale."
                        )
                        % values,
                    }
                )
            elif r["kind"] == TxKind.MORTGAGE:
                out.append(
                    {
                        "code": "mortgaged",
                        "asset": asset["asset"],
                        "record": r["contract_no"],
                        "record_type": "transaction",
                        "message": _(
                            "MORTGAGED: %(asset)s is mortgaged under contract %(record)s of "
                            "%(date)s at %(org)s, not released."
                        )
                        % values,
                    }
                )
    return out


def order_results(blocks: list[dict], transactions: list[dict]) -> list[dict]:
    """Active blocks first, then active reference / warning records, then transactions newest
    first, then released blocks (the history); the search's own rank is kept within each group."""

    def group(r: dict) -> int:
        if r["status"] != "active":
            return 3
        return 0 if r["kind"] == "blocking" else 1

    ordered = sorted(blocks, key=group)
    head = [r for r in ordered if group(r) < 3]
    tail = [r for r in ordered if group(r) == 3]
    return head + transactions + tail
