"""Attachments: allow-list by content, size limit, generated names, sha256, who may add files."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.files.storage import default_storage

from motcua.audit.models import AuditEvent
from motcua.dossiers.attachments import AttachmentError, check_file, detect_type, store_attachment
from motcua.dossiers.choices import AttachmentKind
from motcua.dossiers.models import Attachment

from .test_views_support import HTML, JPEG, PDF, PNG, make_dossier, media_fixture, upload

__all__ = ["media_fixture"]  # the `media` fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("content", "name", "client_type", "extension", "content_type"),
    [
        (PDF, "a.pdf", "application/pdf", ".pdf", "application/pdf"),
        (PNG, "a.png", "image/png", ".png", "image/png"),
        (JPEG, "a.jpeg", "image/jpeg", ".jpg", "image/jpeg"),
        # The content decides, whatever the name or the client's type say.
        (PNG, "scan.pdf", "application/pdf", ".png", "image/png"),
        (PDF, "photo.JPG", "image/jpeg", ".pdf", "application/pdf"),
    ],
)
def test_type_is_decided_by_content(content, name, client_type, extension, content_type):
    file_type = check_file(upload(name, content, client_type))
    assert (file_type.extension, file_type.content_type) == (extension, content_type)


@pytest.mark.parametrize(
    "content",
    [
        HTML,
        b"GIF89a\x01\x00",
        b"PK\x03\x04 a zip or docx",
        b"MZ\x90\x00 an exe",
        b" %PDF-1.4 leading space",
        b"\x89PNG",  # truncated signature
    ],
)
def test_everything_else_is_refused(content):
    with pytest.raises(AttachmentError):
        check_file(upload("x.pdf", content))
    assert detect_type(upload("x.pdf", content)) is None


def test_empty_and_too_large(settings):
    with pytest.raises(AttachmentError, match="x.pdf"):
        check_file(upload("x.pdf", b""))
    settings.MOTCUA_MAX_UPLOAD_MB = 1
    # exactly 1 MB: a PDF comment before `startxref` keeps the document valid
    padding = b"%" + b"0" * (1024 * 1024 - len(PDF) - 2) + b"\n"
    padded = PDF.replace(b"startxref", padding + b"startxref")
    assert len(padded) == 1024 * 1024
    check_file(upload("ok.pdf", padded))
    with pytest.raises(AttachmentError):
        check_file(upload("big.pdf", PDF + b"0" * (1024 * 1024)))


def test_store_generates_name_records_hash_and_audits(personas, procedure, media):
    dossier = make_dossier(procedure)
    attachment = store_attachment(
        actor=personas["specialist"],
        dossier=dossier,
        uploaded_file=upload("../../etc/passwd\x00.png", PNG, "text/html"),
        kind=AttachmentKind.INTERNAL,
    )
    assert re.fullmatch(r"dossiers/\d{4}/\d{2}/[0-9a-f]{32}\.png", attachment.storage_name)
    assert attachment.original_name == "passwd.png"  # path and control characters dropped
    assert attachment.content_type == "image/png" and attachment.size == len(PNG)
    assert attachment.sha256 == hashlib.sha256(PNG).hexdigest()
    assert attachment.kind == AttachmentKind.INTERNAL
    assert attachment.uploaded_by == personas["specialist"]
    with default_storage.open(attachment.storage_name, "rb") as handle:
        assert handle.read() == PNG
    assert (media / attachment.storage_name).is_file()
    event = AuditEvent.objects.get(action="dossier.attachment_add")
    assert event.data["sha256"] == attachment.sha256


def test_two_uploads_of_the_same_name_get_different_storage_names(personas, procedure, media):
    dossier = make_dossier(procedure)
    a = store_attachment(
        actor=personas["clerk"], dossier=dossier, uploaded_file=upload("a.pdf", PDF)
    )
    b = store_attachment(
        actor=personas["clerk"], dossier=dossier, uploaded_file=upload("a.pdf", PDF)
    )
    assert a.storage_name != b.storage_name


@pytest.mark.parametrize("who", ["auditor", "clerk_b", "citizen1", "notary"])
def test_who_may_not_add_files(personas, procedure, media, who):
    dossier = make_dossier(procedure)
    with pytest.raises(AttachmentError):
        store_attachment(actor=personas[who], dossier=dossier, uploaded_file=upload("a.pdf", PDF))
    assert Attachment.objects.count() == 0
    assert not any(p.is_file() for p in media.rglob("*"))


def test_the_applicant_may_add_submitted_documents_only(personas, procedure, media):
    dossier = make_dossier(procedure, applicant_user=personas["citizen1"])
    store_attachment(
        actor=personas["citizen1"], dossier=dossier, uploaded_file=upload("a.pdf", PDF)
    )
    with pytest.raises(AttachmentError):
        store_attachment(
            actor=personas["citizen1"],
            dossier=dossier,
            uploaded_file=upload("r.pdf", PDF),
            kind=AttachmentKind.RESULT,
        )
    assert Attachment.objects.count() == 1


def test_refused_file_leaves_nothing(personas, procedure, media):
    dossier = make_dossier(procedure)
    with pytest.raises(AttachmentError):
        store_attachment(
            actor=personas["clerk"], dossier=dossier, uploaded_file=upload("a.pdf", HTML)
        )
    assert Attachment.objects.count() == 0 and AuditEvent.objects.count() == 0
    assert not any(p.is_file() for p in media.rglob("*"))
