"""Published tables as rows, an SVG bar chart (server-side, no JavaScript) and a PDF (fpdf2)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape  # nosec B406  # escapes text written into our SVG; parses nothing


def _fmt(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


TABLE_HEADER = [
    "Xếp hạng",
    "Đơn vị",
    "Tự đánh giá",
    "Thẩm định",
    "Điều tra XHH",
    "Tổng điểm",
    "Chỉ số %",
    "Xếp loại",
    "Hạng năm trước",
]


def table_rows(results, *, numbers: bool = False) -> list[list]:
    """The province's decision layout, plus last year's rank. Scores as Vietnamese text ("92,62")
    for the page and the PDF; with `numbers`, as Decimals (the Excel export: issue 14)."""
    fmt = (lambda value: value) if numbers else _fmt
    return [
        [
            r.rank,
            r.unit.name,
            fmt(r.self_score),
            fmt(r.appraised_score),
            fmt(r.survey_score),
            fmt(r.total),
            fmt(r.index_percent),
            r.classification,
            r.previous.rank if getattr(r, "previous", None) else "",
        ]
        for r in results
    ]


def chart_svg(results, *, year: int, width: int = 760) -> str:
    """Horizontal bars: this year's index % per unit, and last year's as a thin bar beneath."""
    bar, gap, left, top = 14, 12, 260, 36
    height = top + len(results) * (bar * 2 + gap) + 30
    scale = (width - left - 60) / 100
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title" '
        'font-family="sans-serif" font-size="12">',
        f'<title id="chart-title">Chỉ số CCHC {year} và {year - 1}</title>',
        f'<rect x="{left}" y="8" width="12" height="12" fill="#1f5fa8"/>'
        f'<text x="{left + 18}" y="18">{year}</text>',
        f'<rect x="{left + 80}" y="8" width="12" height="12" fill="#b0b7c3"/>'
        f'<text x="{left + 98}" y="18">{year - 1}</text>',
    ]
    for pct in (50, 70, 80, 90, 100):
        x = left + pct * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 24}" '
            'stroke="#ccc" stroke-dasharray="3,3"/>'
            f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle">{pct}</text>'
        )
    for i, r in enumerate(results):
        y = top + i * (bar * 2 + gap)
        name = escape(f"{r.rank}. {r.unit.name}")
        now = float(min(r.index_percent, Decimal(120)))
        parts.append(
            f'<text x="{left - 6}" y="{y + bar - 2}" text-anchor="end">{name}</text>'
            f'<rect x="{left}" y="{y}" width="{max(now, 0) * scale:.1f}" height="{bar}" '
            f'fill="#1f5fa8"><title>{name}: {_fmt(r.index_percent)}</title></rect>'
            f'<text x="{left + max(now, 0) * scale + 4:.1f}" y="{y + bar - 2}">'
            f"{_fmt(r.index_percent)}</text>"
        )
        previous = getattr(r, "previous", None)
        if previous is not None:
            before = float(min(previous.index_percent, Decimal(120)))
            parts.append(
                f'<rect x="{left}" y="{y + bar + 1}" width="{max(before, 0) * scale:.1f}" '
                f'height="{bar - 4}" fill="#b0b7c3"><title>{year - 1}: '
                f"{_fmt(previous.index_percent)} (hạng {previous.rank})</title></rect>"
            )
    parts.append("</svg>")
    return "".join(parts)


def font_path() -> Path | None:
    """The bundled TTF with Vietnamese glyphs (motcua/static/fonts), if present."""
    base = Path(__file__).resolve().parent.parent / "static" / "fonts"
    regular = base / "SourceSerifPro-Regular.ttf"
    return regular if regular.is_file() else None


def table_pdf(
    title: str, header: list[str], rows: list[list], *, signer_title: str = ""
) -> bytes | None:
    """A landscape A4 PDF of a table; None when no Vietnamese font is bundled.

    `signer_title` (who publishes and signs it, issue 15) adds a signature line under the table,
    where the digital signature's visible block is placed."""
    regular = font_path()
    if regular is None:
        return None
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.add_font("Viet", "", str(regular))
    bold = regular.with_name("SourceSerifPro-Bold.ttf")
    pdf.add_font("Viet", "B", str(bold if bold.is_file() else regular))
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    pdf.set_font("Viet", "B", 13)
    pdf.multi_cell(0, 7, title, align="C")
    pdf.ln(3)
    pdf.set_font("Viet", "", 9)
    widths = _widths(len(header))
    with pdf.table(col_widths=widths, text_align="CENTER", line_height=5) as table:
        head = table.row()
        for cell in header:
            head.cell(str(cell))
        for row in rows:
            line = table.row()
            for cell in row:
                line.cell("" if cell is None else str(cell))
    if signer_title:
        if pdf.get_y() > pdf.h - 45:
            pdf.add_page()
        half = pdf.epw / 2
        pdf.ln(4)
        pdf.set_x(pdf.l_margin + half)
        pdf.set_font("Viet", "B", 11)
        pdf.multi_cell(half, 6, signer_title.upper(), align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font("Viet", "", 10)
        pdf.multi_cell(
            half, 5, "(Ký, ghi rõ họ tên và đóng dấu)", align="C", new_x="LEFT", new_y="NEXT"
        )
    return bytes(pdf.output())


def _widths(columns: int) -> tuple[int, ...]:
    if columns == len(TABLE_HEADER):
        return (14, 70, 22, 22, 22, 22, 20, 22, 20)
    return tuple([14, 70] + [20] * (columns - 2))
