"""The whole 766 index of a period as Excel (openpyxl) and PDF (fpdf2 + the bundled font)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from ..exports import FONT_DIR, ExportMeta
from .compute import IndexResult


def headers() -> list[str]:
    return [
        _("Indicator"),
        _("Title"),
        _("Numerator"),
        _("Denominator"),
        _("Value (%)"),
        _("Target (%)"),
        _("Points"),
        _("Maximum"),
        _("How"),
    ]


def rows(result: IndexResult) -> list[list]:
    """Groups (bold in the files) then their indicators, as plain values."""
    out: list[list] = []
    for key, label, maximum, points, items in result.groups():
        out.append([key, str(label), None, None, None, None, points, maximum, ""])
        for r in items:
            how = (
                (_("entered by hand") + (f": {r.note}" if r.note else ""))
                if r.indicator.manual
                else (_("display only") if r.indicator.display_only else _("computed"))
            )
            out.append(
                [
                    r.indicator.id,
                    str(r.indicator.title),
                    r.numerator,
                    r.denominator,
                    r.value,
                    None if r.indicator.manual or r.indicator.display_only else r.target,
                    r.score,
                    r.max,
                    how,
                ]
            )
    return out


def title_text() -> str:
    return _("Decision 766 service index")


def period_text(result: IndexResult) -> str:
    return _("Period: %(from)s – %(to)s") % {
        "from": result.date_from.strftime("%d/%m/%Y"),
        "to": result.date_to.strftime("%d/%m/%Y"),
    }


def total_text(result: IndexResult) -> str:
    return _("Total: %(total)s / %(max)s points") % {
        "total": result.total,
        "max": result.maximum,
    }


def index_xlsx(result: IndexResult, meta: ExportMeta) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "766"
    ws["A1"] = title_text().upper()
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = period_text(result)
    ws["A3"] = _("Reporting agency: %(name)s") % {"name": meta.reporting}
    ws["A4"] = _("Units: %(scope)s") % {"scope": meta.scope}
    first = 6
    for col, text in enumerate(headers(), start=1):
        ws.cell(first, col, text).font = Font(bold=True)
    r = first + 1
    for values in rows(result):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(r, col, value)
            if "." not in str(values[0]):
                cell.font = Font(bold=True)
        r += 1
    ws.cell(r + 1, 1, total_text(result)).font = Font(bold=True)
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["I"].width = 40
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def index_pdf(result: IndexResult, meta: ExportMeta) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(orientation="L", format="A4", unit="mm")
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font("Serif", "", str(FONT_DIR / "SourceSerifPro-Regular.ttf"))
    pdf.add_font("Serif", "B", str(FONT_DIR / "SourceSerifPro-Bold.ttf"))
    pdf.set_creator("motcua")
    pdf.add_page()

    def line(text, size=10, style="", align="L"):
        pdf.set_font("Serif", style, size)
        pdf.multi_cell(0, 6, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line(title_text().upper(), 13, "B", "C")
    line(period_text(result), 10, "", "C")
    line(_("Reporting agency: %(name)s") % {"name": meta.reporting})
    line(_("Units: %(scope)s") % {"scope": meta.scope})
    pdf.ln(2)
    widths = [14, 120, 22, 22, 20, 20, 18, 18, 23]
    pdf.set_font("Serif", "B", 8)
    for w, text in zip(widths, headers(), strict=True):
        pdf.cell(w, 7, text, border=1, align="C")
    pdf.ln()
    for values in rows(result):
        pdf.set_font("Serif", "B" if "." not in str(values[0]) else "", 8)
        for i, (w, value) in enumerate(zip(widths, values, strict=True)):
            text = "" if value is None else str(value)
            limit = 90 if i == 1 else 16
            pdf.cell(w, 6, text[:limit], border=1, align="L" if i in (1, 8) else "R")
        pdf.ln()
    pdf.ln(2)
    line(total_text(result), 10, "B")
    return bytes(pdf.output())
