"""Form II.06a printable on A4 landscape (issue 14): headings that wrap inside their cells (the
headings of columns (4)–(6) no longer overprint each other), names that wrap instead of being cut,
headings repeated on every page, and the "Người lập biểu / Thủ trưởng đơn vị" signature block;
the printable page carries the same rows and signatures.

A page is also rendered to PNG for a person to look at, when a renderer is installed (pdftoppm,
or the pypdfium2 module): MOTCUA_LAYOUT_SHOTS=/some/dir keeps the image."""

from __future__ import annotations

import io
import os
import shutil
import subprocess  # nosec B404  # runs pdftoppm, a fixed local program, on a file we wrote
from decimal import Decimal

import pytest

from motcua.reports.exports import PDF_WIDTHS

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": "2023-01-01", "date_to": "2023-12-31", "group_by": "procedure"}
LONG_NAME = (
    "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam "
    "theo yêu cầu của cơ quan tiến hành tố tụng hoặc cơ quan nhà nước có thẩm quyền"
)
LEFT_MARGIN = 10  # mm
MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture
def many_procedures(make_dossier, units):
    """45 procedures (three pages of rows), the first with a very long name."""
    from motcua.procedures.models import Procedure

    for n in range(45):
        proc = Procedure.objects.create(
            code=f"P-{n:02d}",
            name=LONG_NAME if n == 0 else f"Thủ tục hành chính số {n:02d} của Sở",
            unit=units["A"],
            time_value=Decimal(3),
            time_unit="working_days",
        )
        make_dossier(
            received="2023-01-03T09:00",
            due="2023-01-06T09:00",
            finished="2023-01-05T09:00",
            status=10,
            proc=proc,
        )


def _pdf(client, personas):
    client.force_login(personas["leader"])
    response = client.get("/bao-cao/dung-han/pdf/", PERIOD)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def _fragments(page) -> list[tuple[str, float, float]]:
    """(text, x in mm from the left edge, y in points) of every piece of text on the page."""
    pieces: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            pieces.append((text.strip(), (cm[4] + tm[4] * cm[0]) / MM, cm[5] + tm[5] * cm[3]))

    page.extract_text(visitor_text=visit)
    return pieces


def _column_of(x_mm: float) -> int:
    """The column (1-based) whose cell starts at or before `x_mm`."""
    edge = LEFT_MARGIN
    for number, width in enumerate(PDF_WIDTHS, start=1):
        if x_mm < edge + width:
            return number
        edge += width
    return len(PDF_WIDTHS) + 1


def test_pdf_is_a4_landscape_with_wrapping_headings_and_names(client, personas, many_procedures):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(_pdf(client, personas)))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > height and round(width / MM) == 297 and round(height / MM) == 210
    first = reader.pages[0]
    text = first.extract_text()
    for heading in ("Tiếp nhận", "trực tuyến", "bưu chính", "chuyển qua", "(4)", "(5)", "(6)"):
        assert heading in text
    # Each heading of (4)–(6) is written inside its own column: nothing runs into the next one.
    pieces = _fragments(first)
    for words, column in (("trực tuyến", 4), ("bưu chính", 5), ("chuyển qua", 6)):
        hits = [x for t, x, _y in pieces if words in t]
        assert hits and all(_column_of(x) == column for x in hits), (words, hits)
    # The long name wraps in column (2): every word of it is there, none beyond the column.
    flat = " ".join(text.split())
    assert "cơ quan nhà nước có thẩm quyền" in flat and "theo yêu cầu của" in flat
    name_pieces = [x for t, x, _y in pieces if "thẩm quyền" in t or "Cấp Phiếu" in t]
    assert name_pieces and all(_column_of(x) == 2 for x in name_pieces)
    # Headings repeat on the next page; the signature block closes the last page.
    assert "(13)" in reader.pages[1].extract_text()
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "NGƯỜI LẬP BIỂU" in last and "THỦ TRƯỞNG ĐƠN VỊ" in last
    assert "(Ký, ghi rõ họ tên)" in last and "Lê Quang Hùng" in last
    _look_at(reader, client, personas)


def _look_at(reader, client, personas) -> None:
    """Render the first page to PNG when a renderer is at hand (not an assertion on looks)."""
    shots = os.environ.get("MOTCUA_LAYOUT_SHOTS", "")
    target = os.path.join(shots or "/tmp", "ii06a-page1.png")  # nosec B108  # test output only
    content = _pdf(client, personas)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        source = target[:-4] + ".pdf"
        with open(source, "wb") as out:
            out.write(content)
        subprocess.run(  # nosec B603
            [
                pdftoppm,
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                source,
                target[:-4],
            ],
            check=True,
        )
    else:
        try:
            import pypdfium2 as pdfium
        except ImportError:
            return  # no renderer on this machine: nothing to look at
        pdfium.PdfDocument(content)[0].render(scale=1).to_pil().save(target)
    assert os.path.getsize(target) > 10_000


def test_printable_page_has_the_rows_and_signatures(client, personas, many_procedures):
    client.force_login(personas["leader"])
    html = client.get("/bao-cao/dung-han/in/", PERIOD).content.decode()
    assert LONG_NAME in html and "Thủ tục hành chính số 44 của Sở" in html
    assert "data-signatures" in html and "NGƯỜI LẬP BIỂU" in html and "Lê Quang Hùng" in html
    assert "size: A4 landscape" in html
