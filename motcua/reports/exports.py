"""Form II.06a in the official layout: Excel (openpyxl) and PDF (fpdf2 + the bundled font).

Layout (Circular 01/2020/TT-VPCP, biểu II.06a/VPCP/KSTT): form number, title, reporting and
receiving agency, period, a two-level header and the numbered columns (1)–(13), one row per
group and the total, then the on-time rate and the rules it was computed with.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from motcua.core.spreadsheet import workbook_bytes

from .ontime import COMPARE_DATE, DENOMINATOR_DUE, FORM_COLUMNS, GroupedReport, OntimeReport

logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parents[1] / "static" / "fonts"
FORM_NUMBER = "II.06a/VPCP/KSTT"
VALUE_COLUMNS = FORM_COLUMNS  # (3)–(13)


@dataclass(frozen=True)
class ExportMeta:
    reporting: str
    receiving: str
    scope: str  # the units covered, in words
    preparer: str = ""  # the full name of the person who made the report ("Người lập biểu")


def title() -> str:
    return _("Status and results of settling administrative procedures")


def rules_text(report: OntimeReport) -> str:
    """The profile and rules the figures were computed with (every report states them, DOMAIN §6)."""
    denominator = (
        _("dossiers due: settled (7) + overdue in progress (13)")
        if report.denominator == DENOMINATOR_DUE
        else _("settled dossiers (7)")
    )
    compare = (
        _("on the due date (dates compared)")
        if report.compare == COMPARE_DATE
        else _("not after the due time")
    )
    return _(
        "Rule profile: %(name)s (%(code)s). Rate denominator: %(d)s. On time means: %(c)s."
    ) % {
        "name": report.rules.name,
        "code": report.rules.code,
        "d": denominator,
        "c": compare,
    }


def rate_text(report: OntimeReport) -> str:
    rate = report.on_time_rate
    value = "—" if rate is None else f"{rate:.2f}".replace(".", ",") + " %"
    return _("Settled early or on time: %(rate)s") % {"rate": value}


def header_rows() -> tuple[list[str], list[str]]:
    """Top header (merged groups) and the column names under it."""
    top = [
        _("No."),
        _("Field / unit"),
        _("Dossiers to handle"),
        "",
        "",
        "",
        _("Settled"),
        "",
        "",
        "",
        _("In progress at the end of the period"),
        "",
        "",
    ]
    names = [
        "",
        "",
        _("Total"),
        _("Received online"),
        _("Received at the counter or by post"),
        _("Carried over"),
        _("Total"),
        _("Early"),
        _("On time"),
        _("Late"),
        _("Total"),
        _("Within the deadline"),
        _("Overdue"),
    ]
    return top, names


def body_rows(grouped: GroupedReport) -> list[list]:
    """The total first (as the official form does), then one row per group."""
    rows = [["", _("Total"), *(getattr(grouped.total, c) for c in VALUE_COLUMNS)]]
    for i, row in enumerate(grouped.rows, start=1):
        label = row.label
        if row.merged:
            label += " (" + _("including") + " " + ", ".join(row.merged) + ")"
        rows.append([i, label, *(getattr(row.report, c) for c in VALUE_COLUMNS)])
    return rows


def period_text(report: OntimeReport) -> str:
    return _("Period: from %(start)s to %(end)s") % {
        "start": report.date_from.strftime("%d/%m/%Y"),
        "end": report.date_to.strftime("%d/%m/%Y"),
    }


def ii06a_xlsx(grouped: GroupedReport, meta: ExportMeta) -> bytes:
    """The report as an .xlsx workbook in the official layout."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "II.06a"
    bold = Font(bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    total = grouped.total

    ws["A1"] = _("Form %(number)s") % {"number": FORM_NUMBER}
    ws["A1"].font = Font(italic=True)
    ws.merge_cells("A2:M2")
    ws["A2"] = title().upper()
    ws["A2"].font = Font(bold=True, size=13)
    ws["A2"].alignment = center
    ws.merge_cells("A3:M3")
    ws["A3"] = period_text(total)
    ws["A3"].alignment = center
    ws["A4"] = _("Reporting agency: %(name)s") % {"name": meta.reporting}
    ws["A5"] = _("Receiving agency: %(name)s") % {"name": meta.receiving}
    ws["A6"] = _("Units: %(scope)s") % {"scope": meta.scope}

    top, names = header_rows()
    first = 8
    for col, text in enumerate(top, start=1):
        ws.cell(first, col, text)
    for col, text in enumerate(names, start=1):
        ws.cell(first + 1, col, text)
    for col in range(1, 14):
        ws.cell(first + 2, col, f"({col})")
    ws.merge_cells(start_row=first, start_column=1, end_row=first + 1, end_column=1)
    ws.merge_cells(start_row=first, start_column=2, end_row=first + 1, end_column=2)
    ws.merge_cells(start_row=first, start_column=3, end_row=first, end_column=6)
    ws.merge_cells(start_row=first, start_column=7, end_row=first, end_column=10)
    ws.merge_cells(start_row=first, start_column=11, end_row=first, end_column=13)
    r = first + 3
    for values in body_rows(grouped):
        for col, value in enumerate(values, start=1):
            ws.cell(r, col, value)
        r += 1
    for row in ws.iter_rows(min_row=first, max_row=r - 1, min_col=1, max_col=13):
        for cell in row:
            cell.border = box
            if cell.row < first + 3:
                cell.font, cell.alignment = bold, center
    for cell in ws[first + 3]:
        cell.font = bold
    ws.cell(r + 1, 1, rate_text(total)).font = bold
    ws.cell(r + 2, 1, rules_text(total))
    apart = _("Reported apart: withdrawn %(w)s, refused %(r)s, stopped %(s)s.") % {
        "w": total.withdrawn,
        "r": total.refused,
        "s": total.stopped,
    }
    ws.cell(r + 3, 1, apart)
    ws.cell(
        r + 4,
        1,
        _("Identity (3) = (7) + (11) + reported apart: %(ok)s")
        % {"ok": _("holds") if grouped.identity_ok else _("DOES NOT HOLD – check the data")},
    )
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 40
    for letter in "CDEFGHIJKLM":
        ws.column_dimensions[letter].width = 12
    ws.freeze_panes = ws.cell(first + 3, 3)
    return workbook_bytes(wb)


def group_label(group_by: str) -> str:
    """The heading of column (2): what one row is."""
    from .ontime import GROUP_FIELD, GROUP_UNIT

    if group_by == GROUP_FIELD:
        return _("Field")
    if group_by == GROUP_UNIT:
        return pgettext("organisational unit", "Unit")
    return _("Procedure")


def signature_labels(today: date) -> dict[str, str]:
    """The signature block of the official forms (Circular 01/2020/TT-VPCP): the person who made
    the report on the left, the head of the agency on the right, under the date."""
    return {
        "date": _("Day %(day)s month %(month)s year %(year)s")
        % {"day": f"{today.day:02d}", "month": f"{today.month:02d}", "year": today.year},
        "preparer": _("Prepared by").upper(),
        "preparer_hint": _("(signature and full name)"),
        "head": _("Head of the agency").upper(),
        "head_hint": _("(signature, seal and full name)"),
    }


#: Column widths (mm) of the II.06a table on A4 landscape with 10 mm margins: 277 mm in all.
PDF_WIDTHS = (9, 70) + (18,) * 11


def ii06a_pdf(grouped: GroupedReport, meta: ExportMeta, today: date | None = None) -> bytes:
    """The report as a landscape A4 PDF with the bundled Vietnamese font.

    The table is fpdf2's: every heading and every name wraps inside its cell (no heading overprints
    the next, no name is cut), the headings repeat on every page, and the signature block
    ("Người lập biểu" / "Thủ trưởng đơn vị") is kept whole on the last page."""
    from django.utils import timezone
    from fpdf import FPDF, FontFace
    from fpdf.enums import XPos, YPos

    from motcua.core.numbers import format_number

    pdf = FPDF(orientation="L", format="A4", unit="mm")
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font("Serif", "", str(FONT_DIR / "SourceSerifPro-Regular.ttf"))
    pdf.add_font("Serif", "B", str(FONT_DIR / "SourceSerifPro-Bold.ttf"))
    pdf.set_creator("motcua")
    pdf.set_title(title())
    pdf.add_page()
    total = grouped.total

    def line(text, size=10, style="", align="L"):
        pdf.set_font("Serif", style, size)
        pdf.multi_cell(0, 5.5, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line(_("Form %(number)s") % {"number": FORM_NUMBER}, 9, align="R")
    line(title().upper(), 13, "B", "C")
    line(period_text(total), 10, "", "C")
    line(_("Reporting agency: %(name)s") % {"name": meta.reporting})
    line(_("Receiving agency: %(name)s") % {"name": meta.receiving})
    line(_("Units: %(scope)s") % {"scope": meta.scope})
    pdf.ln(2)

    top, names = header_rows()
    pdf.set_font("Serif", "", 8)
    bold = FontFace(emphasis="BOLD")
    with pdf.table(
        col_widths=PDF_WIDTHS,
        width=sum(PDF_WIDTHS),
        num_heading_rows=3,
        line_height=3.8,
        text_align="CENTER",
        v_align="MIDDLE",
        padding=(0.8, 0.8),
        headings_style=bold,
    ) as table:
        first = table.row()
        first.cell(top[0], rowspan=2)
        first.cell(group_label(grouped.group_by), rowspan=2)
        first.cell(top[2], colspan=4)
        first.cell(top[6], colspan=4)
        first.cell(top[10], colspan=3)
        second = table.row()
        for text in names[2:]:
            second.cell(text)
        numbers = table.row()
        for n in range(1, len(PDF_WIDTHS) + 1):
            numbers.cell(f"({n})")
        for index, values in enumerate(body_rows(grouped)):
            row = table.row(style=bold if index == 0 else None)
            for col, value in enumerate(values):
                if col == 1:
                    row.cell(str(value), align="LEFT")
                elif col > 1 and isinstance(value, int):
                    row.cell(format_number(value), align="RIGHT")
                else:
                    row.cell(str(value), align="CENTER")
    pdf.ln(2)
    line(rate_text(total), 10, "B")
    line(rules_text(total), 9)
    line(
        _("Reported apart: withdrawn %(w)s, refused %(r)s, stopped %(s)s.")
        % {"w": total.withdrawn, "r": total.refused, "s": total.stopped},
        9,
    )
    _signature_block(pdf, signature_labels(today or timezone.localdate()), meta.preparer)
    return bytes(pdf.output())


def _signature_block(pdf, labels: dict[str, str], preparer: str) -> None:
    """Two columns under the table, kept on one page: 40 mm for the signatures."""
    from fpdf.enums import XPos, YPos

    needed = 45
    if pdf.get_y() + needed > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(4)
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    left, right = pdf.l_margin, pdf.l_margin + half

    def at(x, text, size=10, style=""):
        pdf.set_font("Serif", style, size)
        pdf.set_x(x)
        pdf.multi_cell(half, 5.5, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    top = pdf.get_y()
    at(right, labels["date"], 10)
    y = pdf.get_y()
    pdf.set_y(y)
    at(left, labels["preparer"], 10, "B")
    at(left, labels["preparer_hint"], 9)
    pdf.set_y(y)
    at(right, labels["head"], 10, "B")
    at(right, labels["head_hint"], 9)
    if preparer:
        pdf.set_y(top + 38)
        at(left, preparer, 10, "B")
