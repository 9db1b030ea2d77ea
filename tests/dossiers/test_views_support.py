"""Helpers shared by the staff-page tests (no tests here): media root, dossier factories, files."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from real_files import real_image, real_pdf

from motcua.dossiers.choices import Channel, Status
from motcua.dossiers.models import Dossier, DossierStep
from motcua.worktime import TZ

PDF = real_pdf()
PNG = real_image("PNG")
JPEG = real_image("JPEG")
HTML = b"<html><script>alert(1)</script></html>"


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(name="media")
def media_fixture(settings, tmp_path):
    """Uploaded files go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


_counter = iter(range(1, 10**6))


def make_dossier(
    procedure,
    *,
    status: int = Status.IN_PROGRESS,
    due_at: datetime | None = None,
    received_at: datetime | None = None,
    step_order: int | None = 2,
    step_role: str | None = None,
    assignee=None,
    name: str = "Nguyễn Văn An",
    channel: str = Channel.COUNTER,
    unit=None,
    **extra,
) -> Dossier:
    """A dossier built directly with the ORM (setup only), with an open current step."""
    n = next(_counter)
    received_at = received_at or local("2025-03-10T08:00")
    dossier = Dossier.objects.create(
        code=f"000.00.12.H57-250310-{n:04d}",
        register_number=n,
        procedure=procedure,
        unit=unit or procedure.unit,
        channel=channel,
        status=status,
        applicant_name=name,
        applicant_id_type="cccd",
        applicant_id_number="046095000123",
        applicant_phone="0905123456",
        submitted_at=received_at,
        received_at=None if status == Status.SUBMITTED_ONLINE else received_at,
        intake_due_at=(due_at or received_at + timedelta(hours=8))
        if status == Status.SUBMITTED_ONLINE
        else None,
        due_at=None if status == Status.SUBMITTED_ONLINE else (due_at or local("2025-03-20T10:00")),
        **extra,
    )
    if step_order is not None and status != Status.SUBMITTED_ONLINE:
        template = procedure.steps.get(order=step_order)
        step = DossierStep.objects.create(
            dossier=dossier,
            order=template.order,
            name=template.name,
            role=step_role or template.role,
            unit=dossier.unit,
            assignee=assignee,
            started_at=received_at,
            due_at=received_at + timedelta(days=2),
        )
        dossier.current_step = step
        dossier.save(update_fields=["current_step"])
    return dossier
