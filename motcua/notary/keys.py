"""Search rows of a transaction's asset: the blocks' kinds and normalisation (`blocking.keys`), so
that one query finds both ("AB 123.456" = "ab123456", "Nguyễn Văn Đức" = "nguyen van duc")."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from motcua.blocking.keys import record_keys


def tx_keys(asset, parties: Iterable, transaction) -> Iterator[tuple[str, str]]:
    """(kind, value) pairs for one asset of a transaction, its parties and the contract number."""
    return record_keys(
        identifiers=(
            asset.certificate_serial,
            asset.plate,
            asset.frame_number,
            asset.engine_number,
            transaction.contract_no,
        ),
        parcel=asset.parcel_number,
        sheet=asset.map_sheet,
        people=parties,
        texts=(asset.address, asset.description),
    )
