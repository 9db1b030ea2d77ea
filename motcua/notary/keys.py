"""Search rows of a transaction's asset: the blocks' kinds and normalisation (`blocking.keys`), so
that one query finds both ("AB 123.456" = "ab123456", "Nguyễn Văn Đức" = "nguyen van duc")."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from motcua.blocking.choices import KeyKind
from motcua.blocking.keys import MAX_VALUE, id_key, ident_key, name_key, parcel_key, words


def tx_keys(asset, parties: Iterable, transaction) -> Iterator[tuple[str, str]]:
    """(kind, value) pairs for one asset of a transaction, its parties and the contract number."""
    seen: set[tuple[str, str]] = set()

    def emit(kind: str, value: str):
        if value and (kind, value) not in seen:
            seen.add((kind, value))
            yield kind, value

    for raw in (
        asset.certificate_serial,
        asset.plate,
        asset.frame_number,
        asset.engine_number,
        transaction.contract_no,
    ):
        yield from emit(KeyKind.IDENTIFIER, ident_key(raw))
    if asset.parcel_number and asset.map_sheet:
        yield from emit(KeyKind.PARCEL, parcel_key(asset.parcel_number, asset.map_sheet))
    for party in parties:
        yield from emit(KeyKind.IDENTIFIER, id_key(party.id_number))
        yield from emit(KeyKind.NAME, name_key(party.name))
        for word in words(party.name):
            yield from emit(KeyKind.NAME_TOKEN, word[:MAX_VALUE])
    for text in (asset.address, asset.description):
        for word in words(text):
            if len(word) > 1:
                yield from emit(KeyKind.TEXT, word[:MAX_VALUE])
