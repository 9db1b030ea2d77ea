"""What goes into the search table for an asset, and how a query is normalised the same way.

Names and text: folded (case and Vietnamese diacritics, Đ/đ → d, `motcua.core.text.fold`) and split
into words of ASCII letters and digits. Identifiers (certificate serials, plates, frame and engine
numbers, ID numbers, document numbers): `normalize_identifier` (spaces, dots, dashes ignored),
then lowercased, keeping letters and digits only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from motcua.core.text import fold, normalize_identifier
from motcua.core.validators import id_search_key

from .choices import KeyKind

_WORD = re.compile(r"[a-z0-9]+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
MAX_VALUE = 100


@lru_cache(maxsize=200_000)
def _fold_chunk(chunk: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(chunk)))


def words(text: str) -> list[str]:
    """Folded words: "Nguyễn Văn Đức" → ["nguyen", "van", "duc"].

    Folding is cached per whitespace-separated chunk: names and addresses reuse a small vocabulary,
    which makes bulk imports several times faster.
    """
    out: list[str] = []
    for chunk in (text or "").split():
        out.extend(_fold_chunk(chunk))
    return out


def name_key(text: str) -> str:
    """The folded full name as one string of words: "  NGUYỄN  văn Đức " → "nguyen van duc"."""
    return " ".join(words(text))[:MAX_VALUE]


def ident_key(text: str) -> str:
    """A normalised identifier: "AB 123.456" → "ab123456", "75A-123.45" → "75a12345"."""
    value = normalize_identifier(text or "")
    value = value.lower() if value.isascii() else fold(value)
    return _NON_ALNUM.sub("", value)[:MAX_VALUE]


def id_key(number: str) -> str:
    """An owner's identity number, whatever its type (DOMAIN §12): `id_search_key` (the one
    normalisation of identity numbers), as a search value: "0100 109 106 001" and
    "0100109106-001" → "0100109106001", "C1234567" and "c1234567" → "c1234567"."""
    return ident_key(id_search_key(number))


def parcel_key(parcel: str, sheet: str) -> str:
    return f"{ident_key(parcel)}/{ident_key(sheet)}"


def prefix_upper(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix` (for range scans)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def record_keys(
    *, identifiers: Iterable[str], parcel: str, sheet: str, people: Iterable, texts: Iterable[str]
) -> Iterator[tuple[str, str]]:
    """(kind, value) search pairs without duplicates: the ONE normalisation shared by blocks and
    notarized transactions, so that one query finds both (DOMAIN §11, §12)."""
    seen: set[tuple[str, str]] = set()

    def emit(kind: str, value: str):
        if value and (kind, value) not in seen:
            seen.add((kind, value))
            yield kind, value

    for raw in identifiers:
        yield from emit(KeyKind.IDENTIFIER, ident_key(raw))
    if parcel and sheet:
        yield from emit(KeyKind.PARCEL, parcel_key(parcel, sheet))
    for person in people:
        yield from emit(KeyKind.IDENTIFIER, id_key(person.id_number))
        yield from emit(KeyKind.NAME, name_key(person.name))
        for word in words(person.name):
            yield from emit(KeyKind.NAME_TOKEN, word[:MAX_VALUE])
    for text in texts:
        for word in words(text):
            if len(word) > 1:
                yield from emit(KeyKind.TEXT, word[:MAX_VALUE])


def asset_keys(asset, owners: Iterable, request) -> Iterator[tuple[str, str]]:
    """(kind, value) pairs for one asset, its owners and its request, without duplicates."""
    return record_keys(
        identifiers=(
            asset.certificate_serial,
            asset.plate,
            asset.registration_number,
            asset.frame_number,
            asset.engine_number,
            request.request_no,
            request.document_number,
        ),
        parcel=asset.parcel_number,
        sheet=asset.map_sheet,
        people=owners,
        texts=(asset.address, asset.description, asset.attached_assets, asset.use_purpose),
    )
