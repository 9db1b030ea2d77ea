"""Attachments: an allow-list checked by content, a size limit, generated storage names.

OWASP ASVS 12.1.1 / 12.2.1 / 12.3.1: the type is decided from the file's first bytes (never from its
name or the client's Content-Type), the stored name is generated (uuid4), and files are served only
through an access-checked view with `Content-Disposition: attachment`. Issue 13: the whole file is
parsed (core/uploads.py: PDFs without active content, images re-encoded, polyglots refused) and
written atomically (core/storage.py), so a failure leaves no file behind.
"""

from __future__ import annotations

import hashlib
import os
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.core.uploads import ALLOWED_TYPES, FileType, UploadRefused, inspect_upload
from motcua.integrations.dvcqg import outbox as dvcqg_outbox
from motcua.orgs.choices import Role
from motcua.orgs.selectors import roles_in

from .choices import AttachmentKind
from .errors import DossierError
from .marks import result_file_added
from .models import Attachment, Dossier

#: The allow-list (issue 3): PDF, JPEG, PNG, recognised by their signatures (core/uploads.py).
__all__ = ["ALLOWED_TYPES", "FileType", "check_file", "detect_type", "store_attachment"]
#: Roles that may add files to a dossier of their unit (auditors are read-only).
UPLOAD_ROLES = frozenset({Role.INTAKE_CLERK, Role.SPECIALIST, Role.LEADER})


class AttachmentError(DossierError):
    """A refused upload; the message names the file and the reason."""


def max_upload_bytes() -> int:
    return int(getattr(settings, "MOTCUA_MAX_UPLOAD_MB", 10)) * 1024 * 1024


def _head(uploaded_file, size: int = 16) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(size)
    uploaded_file.seek(0)
    return head


def detect_type(uploaded_file) -> FileType | None:
    """The allow-listed type whose signature the file starts with, or None."""
    head = _head(uploaded_file)
    for file_type in ALLOWED_TYPES:
        if any(head.startswith(magic) for magic in file_type.magic):
            return file_type
    return None


def _display_name(uploaded_file) -> str:
    # Only for display: the path part and control characters of the client's name are dropped.
    raw = os.path.basename(str(getattr(uploaded_file, "name", "") or "").replace("\\", "/"))
    clean = "".join(ch for ch in raw if ch.isprintable()).strip()
    return (clean or "tep")[-255:]


def check_file(uploaded_file) -> FileType:
    """Raise AttachmentError unless the file is non-empty, small enough, allow-listed and clean."""
    return _inspect(uploaded_file)[0]


def _inspect(uploaded_file) -> tuple[FileType, bytes]:
    name = _display_name(uploaded_file)
    size = uploaded_file.size
    limit_mb = int(getattr(settings, "MOTCUA_MAX_UPLOAD_MB", 10))
    if not size:
        raise AttachmentError(_("The file “%(name)s” is empty.") % {"name": name})
    if size > max_upload_bytes():
        raise AttachmentError(
            _("The file “%(name)s” is larger than %(limit)d MB.")
            % {"name": name, "limit": limit_mb}
        )
    try:
        inspected = inspect_upload(uploaded_file, name)
    except UploadRefused as exc:
        raise AttachmentError(str(exc)) from None
    return inspected.file_type, inspected.content


def store_attachment(
    *,
    actor,
    dossier: Dossier,
    uploaded_file,
    kind: str = AttachmentKind.SUBMITTED,
    result_number: str = "",
    document=None,
    reused_from: Attachment | None = None,
) -> Attachment:
    """Check and store one uploaded file of a dossier; one audit event.

    A result file issues the electronic result (DOMAIN §7, 3.3 and 4.1), with `result_number`
    when the officer gives one: `motcua.dossiers.marks.result_file_added`.

    The caller's transaction decides whether the row stays; when it rolls back, call
    `discard_files` with the returned attachments so no orphan file remains in storage.
    """
    if kind not in AttachmentKind.values:
        raise AttachmentError(_("Unknown kind of attachment."))
    held = roles_in(actor, dossier.unit_id)
    is_applicant = (
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and dossier.applicant_user_id == actor.pk
    )
    if not (held & UPLOAD_ROLES) and not (is_applicant and kind == AttachmentKind.SUBMITTED):
        raise AttachmentError(_("You are not allowed to add files to this dossier."))
    file_type, content = _inspect(uploaded_file)
    now = timezone.localtime()
    storage_name = f"dossiers/{now:%Y}/{now:%m}/{uuid.uuid4().hex}{file_type.extension}"
    digest = hashlib.sha256(content).hexdigest()
    try:
        # Atomic (core/storage.py): a full disk leaves no truncated file behind.
        saved = default_storage.save(storage_name, ContentFile(content))
    except OSError:
        raise AttachmentError(
            _("The file “%(name)s” could not be saved; nothing was kept. Please try again later.")
            % {"name": _display_name(uploaded_file)}
        ) from None
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                dossier=dossier,
                kind=kind,
                original_name=_display_name(uploaded_file),
                storage_name=saved,
                content_type=file_type.content_type,
                size=len(content),
                sha256=digest,
                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
                # The component it digitises, and the earlier file it copies (issue 15).
                document=document,
                reused_from=reused_from,
            )
            data: dict = {"attachment": attachment.pk, "sha256": digest, "size": attachment.size}
            if document is not None:
                data["document"] = document.pk
            if reused_from is not None:
                data["reused_from"] = reused_from.pk
            if kind == AttachmentKind.RESULT:
                marked = result_file_added(dossier, result_number=result_number)
                data["marks"] = marked
            audit_record(
                actor=actor,
                action="dossier.attachment_add",
                obj=dossier,
                note=attachment.original_name,
                data=data,
            )
            # A file changes what the portal shows (result link, digitisation): issue 12.
            dvcqg_outbox.enqueue_dossier(dossier, reason="attachment_add", unlocked=True)
    except Exception:
        default_storage.delete(saved)
        raise
    return attachment


def discard_files(storage_names) -> None:
    """Delete stored files whose rows were rolled back (best effort)."""
    for name in storage_names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - a missing file is already gone
            pass
