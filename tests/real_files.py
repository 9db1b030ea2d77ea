"""Genuine small files for upload tests: uploads are parsed (motcua/core/uploads.py), and a file
that only claims to be a PDF or an image is refused, so the tests need real ones."""

from __future__ import annotations

import io
from functools import cache


@cache
def real_pdf() -> bytes:
    """A one-page blank A4 PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@cache
def real_image(kind: str) -> bytes:
    """An 8×8 red image in ``kind`` (Pillow's format name: "PNG", "JPEG")."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, kind)
    return out.getvalue()
