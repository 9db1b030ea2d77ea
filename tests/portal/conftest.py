"""Fixtures of the citizen-portal tests: files, an online procedure, submitted dossiers."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from real_files import real_pdf

from motcua.dossiers.services import Applicant, DocumentLine
from motcua.portal.services import portal_submit

PDF = real_pdf()
HTML = b"<html><script>alert(1)</script></html>"


def pdf(name: str = "to-khai.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def online_procedure(procedure):
    """The shared 3-day procedure, fully online (Decree 42/2022 toàn trình)."""
    procedure.online_level = "full"
    procedure.save(update_fields=["online_level"])
    return procedure


@pytest.fixture
def submit_online(online_procedure, media):
    """Submit a dossier online as `user` through the portal service (status 1)."""

    def make(user, **kw):
        return portal_submit(
            actor=user,
            procedure=online_procedure,
            applicant=Applicant(
                name="Nguyễn Văn An",
                id_number="046095000123",
                phone="0905123456",
                email=user.email,
                address="12 Lê Lợi, Huế",
            ),
            documents=[DocumentLine(name="Tờ khai", form="original")],
            files=[pdf()],
            result_delivery=kw.pop("result_delivery", "online"),
            declaration=True,
        )

    return make
