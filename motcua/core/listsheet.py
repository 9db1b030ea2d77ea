"""Lists as Excel workbooks (openpyxl): the worklists, registers and reports a leader sends upward.

One sheet: a title, a few lines saying what the list covers (unit, filters, when it was made), a bold
header row and one row per item. Every cell goes through `spreadsheet.neutralise` (no formula ever
reaches Excel: issue 13 gap 3) and the workbook is saved by `spreadsheet.workbook_bytes`. Numbers
stay numbers (int, Decimal, float) and times stay dates (local time, Excel has no time zones),
each with a Vietnamese display format; nothing numeric is ever written as text (issue 14).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

from .spreadsheet import neutralise, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Display formats. Excel shows the separators of the reader's locale (1.302.000 in Vietnamese).
INTEGER = "#,##0"
DECIMAL = "#,##0.00"
DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm"


@dataclass(frozen=True)
class Column:
    """A column: its heading, width (characters) and the display format of numbers or dates."""

    title: str
    width: int = 14
    number_format: str | None = None


def cell_value(value):
    """`value` as openpyxl stores it: datetimes in local time, whole seconds, without a zone; text
    neutralised, None as an empty cell; numbers and dates unchanged."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, bool | int | float | Decimal | date) or value is None:
        return value
    return neutralise(str(value))


@dataclass(frozen=True)
class Table:
    """One sheet: title, notes, columns and rows."""

    title: str
    notes: Sequence[str]
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    sheet_title: str = "Danh sách"


def _write_table(sheet, table: Table) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.title = table.sheet_title[:31]
    sheet.append([cell_value(table.title)])
    sheet["A1"].font = Font(bold=True, size=13)
    for note in table.notes:
        sheet.append([cell_value(note)])
    sheet.append([])
    header_row = sheet.max_row + 1
    sheet.append([cell_value(c.title) for c in table.columns])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    formats = [c.number_format for c in table.columns]
    for values in table.rows:
        sheet.append([cell_value(v) for v in values])
        for cell, fmt in zip(sheet[sheet.max_row], formats, strict=False):
            if fmt and cell.value is not None and not isinstance(cell.value, str):
                cell.number_format = fmt
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    last = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A{header_row}:{last}{max(sheet.max_row, header_row)}"


def tables_workbook(tables: Sequence[Table]) -> bytes:
    """A workbook with one sheet per table, as .xlsx bytes (see the module docstring)."""
    from openpyxl import Workbook

    book = Workbook()
    for index, table in enumerate(tables):
        _write_table(book.active if index == 0 else book.create_sheet(), table)
    return workbook_bytes(book)


def list_workbook(
    *,
    title: str,
    notes: Sequence[str],
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    sheet_title: str = "Danh sách",
) -> bytes:
    """One list as .xlsx bytes."""
    return tables_workbook([Table(title, notes, columns, rows, sheet_title)])


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A download of `content`; never cached (lists may carry personal data)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def made_at_note() -> str:
    """“Made at HH:MM dd/mm/yyyy” (the moment the list was taken)."""
    from django.utils.translation import gettext as _

    return _("Made at %(when)s") % {"when": timezone.localtime().strftime("%H:%M %d/%m/%Y")}
