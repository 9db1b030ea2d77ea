"""Issue 13 gaps 7 and 13: uploads are parsed, active content and polyglots refused, writes atomic."""

from __future__ import annotations

import errno
import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from motcua.audit.models import AuditEvent
from motcua.core.storage import AtomicFileSystemStorage
from motcua.core.uploads import UploadRefused, inspect_upload
from motcua.dossiers.attachments import AttachmentError, store_attachment
from motcua.dossiers.models import Attachment


def _pdf(build=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if build:
        build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _image(kind: str, size=(16, 16)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, kind)
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.exe", b"MZ" + b"\x00" * 64)
    return out.getvalue()


def _open_action(**entries):
    def build(writer):
        action = {NameObject(f"/{k}"): v for k, v in entries.items()}
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(action)

    return build


_launch = _open_action(S=NameObject("/Launch"), F=TextStringObject("calc.exe"))
_script = _open_action(S=NameObject("/JavaScript"), JS=TextStringObject("app.alert('xin chào');"))


def inspect(content: bytes, name="x.pdf"):
    with translation.override("en"):
        return inspect_upload(SimpleUploadedFile(name, content), name)


def test_a_real_pdf_is_kept_as_it_is():
    content = _pdf()
    assert inspect(content).content == content


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (_pdf(_script), "JavaScript"),
        (_pdf(_launch), "JavaScript or actions"),
        (_pdf(lambda w: w.add_attachment("hop-dong.exe", b"MZ payload")), "embedded files"),
        (b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "not a valid PDF"),
        (b"%PDF-1.4 not really\n", "after the end"),
        (_pdf() + _zip(), "another kind of content"),
        (_pdf() + b"\n<!-- trailing -->", "after the end"),
        (_pdf().replace(b"startxref", _zip() + b"\nstartxref"), "another kind of content"),
        (_pdf().replace(b"startxref", b"%<html><script>x</script>\nstartxref"), "web page"),
        (
            _pdf().replace(b"startxref", b"%This program cannot be run in DOS mode\nstartxref"),
            "program",
        ),
    ],
    ids=[
        "javascript",
        "launch",
        "embedded",
        "unparsable",
        "no-eof",
        "zip-after",
        "junk-after",
        "zip-inside",
        "html-inside",
        "exe-inside",
    ],  # fmt: skip
)
def test_dangerous_pdfs_are_refused(content, match):
    with pytest.raises(UploadRefused, match=match):
        inspect(content)


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_images_are_reencoded_without_trailing_data(kind):
    original = _image(kind) + b"\x00trailing-bytes-that-are-not-a-picture" * 10
    cleaned = inspect(original, f"anh.{kind.lower()}").content
    assert b"trailing-bytes" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == kind and image.size == (16, 16)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (_image("PNG") + b"<script>alert(document.cookie)</script>", "web page"),
        (_image("JPEG") + b"<html><body>x</body></html>", "web page"),
        (_image("PNG") + _zip(), "archive"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not a valid PNG"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "not a valid JPEG"),
        (b"MZ\x90\x00 an exe", "not a PDF, JPEG or PNG"),
    ],
)
def test_image_polyglots_and_fakes_are_refused(content, match):
    with pytest.raises(UploadRefused, match=match):
        inspect(content, "anh.png")


def _files(root) -> list[str]:
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]


@pytest.mark.django_db
def test_a_full_disk_leaves_no_file_and_no_row(
    personas, procedure, settings, tmp_path, monkeypatch
):
    from motcua.dossiers.services import Applicant, DocumentLine, dossier_receive

    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES}  # a storage bound to the new root
    dossier = dossier_receive(
        actor=personas["clerk"],
        procedure=procedure,
        applicant=Applicant(name="Trần Văn B"),
        documents=[DocumentLine("Tờ khai", "original")],
    )
    events = AuditEvent.objects.count()

    def disk_full(self, handle, chunk):
        handle.write(chunk[: len(chunk) // 2])
        handle.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(AtomicFileSystemStorage, "_write_chunk", disk_full)
    with pytest.raises(AttachmentError, match="Không lưu được tệp “to-khai.pdf”"):
        store_attachment(
            actor=personas["clerk"],
            dossier=dossier,
            uploaded_file=SimpleUploadedFile("to-khai.pdf", _pdf()),
        )
    assert _files(tmp_path) == []
    assert not Attachment.objects.exists() and AuditEvent.objects.count() == events


def test_atomic_storage_writes_whole_files_and_never_overwrites(tmp_path):
    from django.core.files.base import ContentFile

    storage = AtomicFileSystemStorage(location=tmp_path)
    first = storage.save("a/b.pdf", ContentFile(b"one"))
    second = storage.save("a/b.pdf", ContentFile(b"two"))
    assert first == "a/b.pdf" and second != first
    assert storage.open(first).read() == b"one" and storage.open(second).read() == b"two"
    assert sorted(os.path.basename(p) for p in _files(tmp_path)) == sorted(
        [os.path.basename(first), os.path.basename(second)]
    )
