"""The dated look-up certificate: printable HTML (template) and a PDF (fpdf2 with the bundled
Source Serif font, which has the Vietnamese glyphs), both with a QR code to the verification page."""

from __future__ import annotations

import io
from pathlib import Path

import segno
from django.conf import settings
from django.utils import timezone

from motcua.core.people import full_name

from .identity import owner_text

FONT_DIR = Path(settings.PACKAGE_DIR) / "static" / "fonts"
REGULAR = FONT_DIR / "SourceSerifPro-Regular.ttf"
BOLD = FONT_DIR / "SourceSerifPro-Bold.ttf"


def pdf_available() -> bool:
    return REGULAR.is_file() and BOLD.is_file()


def qr_svg(url: str) -> str:
    """An inline SVG QR code (no external request, no image file)."""
    return segno.make(url, error="m").svg_inline(scale=3)


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4)
    return buffer.getvalue()


def _transaction_lines(pdf, number: int, result: dict, labels: dict) -> None:
    """A notarized transaction on the certificate (issue 16)."""
    from motcua.blocking.templatetags.blocking_tags import party_role, tx_kind

    pdf.set_font("serif", "B", 11)
    state = {"cancelled": labels["cancelled"], "released": labels["mortgage_released"]}.get(
        result["status"], ""
    )
    pdf.multi_cell(
        0,
        6,
        f"{number}. {labels['transaction']} {result['contract_no']} ({result['contract_date']}) – "
        f"{tx_kind(result['kind'])}{' – ' + state if state else ''} – {result['asset']}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("serif", "", 10)
    parties = "; ".join(
        f"{party_role(p['role'])}: {owner_text(p['name'], p.get('id_type', ''), p.get('id_number', ''))}"
        for p in result["parties"]
    )
    pdf.multi_cell(
        0,
        5,
        f"{labels['parties']}: {parties}\n{labels['notary_org']}: {result['notary_org']} – "
        f"{result['notary_name']}",
        new_x="LMARGIN",
        new_y="NEXT",
    )


def certificate_pdf(log, verify_url: str, labels: dict, *, signer_title: str = "") -> bytes:
    """The certificate as PDF bytes; `labels` are the translated headings.

    `signer_title` (the agency signing it, issue 15) adds its signature line at the bottom right,
    where the digital signature's visible block is placed."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("serif", "", str(REGULAR))
    pdf.add_font("serif", "B", str(BOLD))
    pdf.add_page()
    pdf.set_font("serif", "B", 15)
    pdf.multi_cell(0, 8, labels["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("serif", "", 11)
    at = timezone.localtime(log.at)
    lines = [
        f"{labels['at']}: {at:%H:%M:%S %d/%m/%Y}",
        f"{labels['who']}: {full_name(log.who) if log.who_id else '—'}",
        f"{labels['office']}: {log.office or '—'}",
        f"{labels['query']}: {log.query}",
        f"{labels['count']}: {log.result_count}{'+' if log.truncated else ''}",
    ]
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    warnings = getattr(log, "warnings", None) or []
    if warnings:
        pdf.set_font("serif", "B", 12)
        pdf.multi_cell(0, 6, labels["warnings"], new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("serif", "B", 10)
        for warning in warnings:
            pdf.multi_cell(0, 5, f"! {warning['message']}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    for number, result in enumerate(log.results, start=1):
        if result.get("record_type") == "transaction":
            _transaction_lines(pdf, number, result, labels)
            continue
        pdf.set_font("serif", "B", 11)
        status = labels["released"] if result["status"] == "released" else labels["active"]
        pdf.multi_cell(
            0,
            6,
            f"{number}. {result['request_no']} – {status} – {result['asset']}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font("serif", "", 10)
        owners = "; ".join(
            owner_text(o["name"], o.get("id_type", ""), o.get("id_number", ""))
            for o in result["owners"]
        )
        pdf.multi_cell(
            0,
            5,
            f"{labels['owners']}: {owners}\n"
            f"{labels['document']}: {result['document_number']} ({result['document_date']}), "
            f"{result['authority']}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if not log.results:
        pdf.multi_cell(0, 6, labels["none"], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("serif", "", 9)
    pdf.multi_cell(0, 5, f"SHA-256: {log.digest}", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 5, f"{labels['verify']}: {verify_url}", new_x="LMARGIN", new_y="NEXT")
    pdf.image(io.BytesIO(qr_png(verify_url)), w=35)
    if signer_title:
        _signature_line(pdf, signer_title)
    return bytes(pdf.output())


def _signature_line(pdf, title: str) -> None:
    """The signing agency's heading and the "(Ký…)" note, right half of the page."""
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    half = pdf.epw / 2
    pdf.ln(2)
    pdf.set_x(pdf.l_margin + half)
    pdf.set_font("serif", "B", 11)
    pdf.multi_cell(half, 6, title.upper(), align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("serif", "", 10)
    pdf.multi_cell(half, 5, "(Ký số, đóng dấu điện tử)", align="C", new_x="LEFT", new_y="NEXT")
