"""Scanned documents: the type decided from the first bytes, a size limit, generated names.

The allow-list and signatures are the same as for dossier attachments (PDF, JPEG, PNG; ASVS 12.1.1,
12.2.1): never the name or the client's Content-Type. Issue 13: the whole file is parsed and cleaned
(core/uploads.py) and the storage writes it atomically (core/storage.py).
"""

from __future__ import annotations

import hashlib
import os
import uuid

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _

from motcua.core.uploads import UploadRefused, inspect_upload

from .errors import BlockingError

SIGNATURES = (
    (".pdf", "application/pdf", b"%PDF-"),
    (".jpg", "image/jpeg", b"\xff\xd8\xff"),
    (".png", "image/png", b"\x89PNG\r\n\x1a\n"),
)
CONTENT_TYPES = {ext: ctype for ext, ctype, _magic in SIGNATURES}


def _display_name(uploaded) -> str:
    raw = os.path.basename(str(getattr(uploaded, "name", "") or "").replace("\\", "/"))
    return "".join(ch for ch in raw if ch.isprintable()).strip()[-255:] or "tep"


def checked_scan(uploaded) -> tuple[File, str]:
    """(a File with a generated name, its SHA-256), or BlockingError with the reason."""
    name = _display_name(uploaded)
    limit_mb = int(getattr(settings, "MOTCUA_MAX_UPLOAD_MB", 10))
    size = getattr(uploaded, "size", None) or 0
    if not size:
        raise BlockingError(_("The file “%(name)s” is empty.") % {"name": name})
    if size > limit_mb * 1024 * 1024:
        raise BlockingError(
            _("The file “%(name)s” is larger than %(limit)d MB.")
            % {"name": name, "limit": limit_mb}
        )
    try:
        inspected = inspect_upload(uploaded, name)
    except UploadRefused as exc:
        raise BlockingError(str(exc)) from None
    extension, content = inspected.file_type.extension, inspected.content
    stored = ContentFile(content, name=f"{uuid.uuid4().hex}{extension}")
    return stored, hashlib.sha256(content).hexdigest()


def content_type_of(field_file) -> str:
    return CONTENT_TYPES.get(
        os.path.splitext(field_file.name)[1].lower(), "application/octet-stream"
    )
