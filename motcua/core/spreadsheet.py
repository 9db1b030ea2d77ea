"""Every spreadsheet motcua writes goes through here: no cell ever reaches Excel as a formula.

A citizen's name submitted online, or a legacy CSV cell, such as `=HYPERLINK("http://evil", "x")` or
`=cmd|' /C calc'!A0` would otherwise come out as a live formula in the register a clerk downloads
(CSV/formula injection, issue 13 gap 3). The OWASP rule: any text cell that begins with `=`, `+`,
`-`, `@`, a tab or a carriage return gets a leading single quote, so spreadsheet programs show it as
text. Numbers, dates and booleans are written as they are (they stay numeric).

Importers of files motcua itself exported (the catalogue, reform schemes) call `unneutralise` so
a round trip gives back exactly what was exported.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

# OWASP "CSV Injection": the characters a spreadsheet treats as the start of a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise(value: Any) -> Any:
    """`value` made safe for a spreadsheet cell; only text is ever changed."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return QUOTE + value
    return value


def unneutralise(text: str) -> str:
    """Undo `neutralise` on text read back from a file motcua exported."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(v) for v in values]


def neutralise_workbook(book) -> None:
    """Walk every cell of every sheet; text and formula cells become inert text.

    motcua never writes a formula on purpose, so a formula cell can only come from data.
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and (
                    value.startswith(FORMULA_TRIGGERS) or cell.data_type == "f"
                ):
                    cell.value = neutralise(value)
                    cell.data_type = "s"


def workbook_bytes(book) -> bytes:
    """Neutralise, then serialise an openpyxl workbook (the only way motcua saves one)."""
    neutralise_workbook(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_row(values: Iterable[Any]) -> list[str]:
    """A row for `csv.writer`: the same rule, everything as text."""
    return ["" if v is None else str(neutralise(v) if isinstance(v, str) else v) for v in values]
