"""What an uploaded file really is (issue 13 gaps 7 and 13): parsed, cleaned, or refused.

The first bytes choose the type from the allow-list (PDF, JPEG, PNG; ASVS 12.1.1, 12.2.1), then
the whole file is examined (ASVS 12.2.2, 12.5.x):

* every file: no second format hidden in it (polyglots) — a ZIP archive (found the way archive
  programs find one, from the end), an HTML page or script, a Windows or Linux program;
* PDF: it must parse (pypdf) and may not carry JavaScript, launch actions, embedded files or
  other active content, nor bytes after its last `%%EOF`;
* JPEG and PNG: decoded and re-encoded (Pillow), so what is stored is only the picture —
  metadata, trailing data and anything smuggled between chunks are gone.

`inspect_upload` returns the bytes to store. Uploads are at most MOTCUA_MAX_UPLOAD_MB (10 MB by
default), so they are examined in memory. Storage is atomic (core/storage.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _


class UploadRefused(ValueError):
    """The file is refused; the message (Vietnamese in the UI) names it and says why."""


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    magic: tuple[bytes, ...]


PDF = FileType(".pdf", "application/pdf", (b"%PDF-",))
JPEG = FileType(".jpg", "image/jpeg", (b"\xff\xd8\xff",))
PNG = FileType(".png", "image/png", (b"\x89PNG\r\n\x1a\n",))
#: The allow-list, recognised by signature only (never the name or the client's Content-Type).
ALLOWED_TYPES = (PDF, JPEG, PNG)


@dataclass(frozen=True)
class Inspected:
    file_type: FileType
    content: bytes


# Another format inside the file: HTML/SVG/script (a browser would run it), Windows and Linux
# programs. Case-insensitive; searched in the whole file.
_FOREIGN = re.compile(
    rb"<\s*(?:script|html|!doctype\s+html|body|iframe|svg|object|embed|form|meta\s+http-equiv)\b"
    rb"|javascript:|vbscript:"
    rb"|This program cannot be run in DOS mode|This program must be run under Win32"
    rb"|\x7fELF[\x01\x02][\x01\x02]\x01",
    re.IGNORECASE,
)
# PDF names that make a document act on its own (pypdf resolves #xx escapes in the walk below;
# this byte scan also sees objects the document does not reference).
_PDF_ACTIVE_NAMES = {
    "/JS": "script",
    "/JavaScript": "script",
    "/Launch": "launch",
    "/EmbeddedFile": "embedded",
    "/EmbeddedFiles": "embedded",
    "/RichMedia": "script",
    "/GoToE": "embedded",
}
_PDF_ACTIVE_BYTES = re.compile(
    rb"/(JS|JavaScript|Launch|EmbeddedFiles?|RichMedia|GoToE)(?![A-Za-z0-9_.\-#])"
)
_TRAILING_OK = re.compile(rb"[\s\x00]*\Z")


def detect_type(head: bytes) -> FileType | None:
    for file_type in ALLOWED_TYPES:
        if any(head.startswith(magic) for magic in file_type.magic):
            return file_type
    return None


def _read_all(uploaded) -> bytes:
    uploaded.seek(0)
    if hasattr(uploaded, "chunks"):
        data = b"".join(uploaded.chunks())
    else:
        data = uploaded.read()
    uploaded.seek(0)
    return data


def _refuse_foreign(content: bytes, name: str) -> None:
    if _FOREIGN.search(content) or zipfile.is_zipfile(io.BytesIO(content)):
        raise UploadRefused(
            _(
                "The file “%(name)s” also contains another kind of content (a web page, a program "
                "or an archive) and is not accepted."
            )
            % {"name": name}
        )


def _active_pdf(kind: str, name: str) -> UploadRefused:
    if kind == "embedded":
        return UploadRefused(
            _("The PDF “%(name)s” contains embedded files and is not accepted.") % {"name": name}
        )
    return UploadRefused(
        _(
            "The PDF “%(name)s” contains JavaScript or actions that run programs and is not "
            "accepted."
        )
        % {"name": name}
    )


def _walk_pdf(reader) -> str | None:
    """The kind of active content reachable from the trailer, or None."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    steps = 0
    while stack:
        steps += 1
        if steps > 500_000:  # a pathological file: refuse rather than spin
            return "script"
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                kind = _PDF_ACTIVE_NAMES.get(str(key))
                if kind:
                    return kind
                if str(key) in {"/S", "/Type", "/Subtype"}:
                    kind = _PDF_ACTIVE_NAMES.get(str(value))
                    if kind:
                        return kind
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return None


def _check_pdf(content: bytes, name: str) -> bytes:
    from pypdf import PdfReader

    end = content.rfind(b"%%EOF")
    if end < 0 or not _TRAILING_OK.match(content, end + 5):
        raise UploadRefused(
            _("The file “%(name)s” has data after the end of the PDF and is not accepted.")
            % {"name": name}
        )
    match = _PDF_ACTIVE_BYTES.search(content)
    if match:
        raise _active_pdf(_PDF_ACTIVE_NAMES["/" + match.group(1).decode()], name)
    try:
        reader = PdfReader(io.BytesIO(content), strict=True)
        if reader.is_encrypted:
            raise UploadRefused(
                _("The PDF “%(name)s” is encrypted; upload it without a password.") % {"name": name}
            )
        if len(reader.pages) < 1:
            raise ValueError("no pages")
        kind = _walk_pdf(reader)
    except UploadRefused:
        raise
    except Exception:  # noqa: BLE001 - any failure to parse means "not a real PDF"
        raise UploadRefused(
            _("The file “%(name)s” is not a valid PDF document.") % {"name": name}
        ) from None
    if kind:
        raise _active_pdf(kind, name)
    return content


def _reencode_image(content: bytes, file_type: FileType, name: str) -> bytes:
    from PIL import Image, ImageOps

    expected = "JPEG" if file_type is JPEG else "PNG"
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format != expected:
                raise ValueError(image.format)
            image.load()
            icc = image.info.get("icc_profile")
            picture = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if expected == "JPEG":
                if picture.mode not in ("L", "RGB", "CMYK"):
                    picture = picture.convert("RGB")
                picture.save(out, "JPEG", quality=92, icc_profile=icc)
            else:
                picture.save(out, "PNG", icc_profile=icc)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise UploadRefused(
            _("The file “%(name)s” is not a valid %(kind)s image.")
            % {"name": name, "kind": expected}
        ) from None
    return out.getvalue()


def inspect_upload(uploaded, name: str) -> Inspected:
    """The allow-listed type and the bytes to store, or UploadRefused."""
    content = _read_all(uploaded)
    file_type = detect_type(content[:16])
    if file_type is None:
        raise UploadRefused(
            _("The file “%(name)s” is not a PDF, JPEG or PNG file.") % {"name": name}
        )
    _refuse_foreign(content, name)
    if file_type is PDF:
        return Inspected(file_type, _check_pdf(content, name))
    return Inspected(file_type, _reencode_image(content, file_type, name))
