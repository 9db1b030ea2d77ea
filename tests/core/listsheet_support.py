"""Reading back a list workbook written by motcua.core.listsheet (no tests here)."""

from __future__ import annotations

import io


def open_list(content: bytes, first_heading: str, sheet=None):
    """(sheet, header row number, headings, data rows as lists of cells) of a list workbook."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    ws = book[sheet] if sheet else book.active
    for row in ws.iter_rows():
        if row[0].value == first_heading:
            header = row[0].row
            break
    else:
        raise AssertionError(f"no header row starting with {first_heading!r}")
    headings = [c.value for c in ws[header] if c.value is not None]
    data = [list(r) for r in ws.iter_rows(min_row=header + 1) if r[0].value is not None]
    return ws, header, headings, data


def column(headings: list, name: str) -> int:
    return headings.index(name)
