"""GET /api/v1/dossiers/{code}/attachments: a dossier's files with their signatures (issue 15).

Same access rule as the dossier page (staff of the dossier's unit; anything else 404)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from motcua.audit.services import personal_data_access_record
from motcua.core.http import client_ip
from motcua.dossiers.access import get_dossier_for_user
from motcua.dossiers.views import VIEW_PURPOSE

from .selectors import signatures_of

router = Router(tags=["dossiers"], auth=django_auth)


class SignatureOut(Schema):
    field: str
    signer: str
    subject: str
    issuer: str
    signed_at: datetime | None
    timestamped: bool
    intact: bool
    covers_whole_document: bool
    trusted: bool
    valid_at_signing_time: bool
    expired_now: bool
    reason: str
    later_changes: str
    problems: list[str]


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    signatures: list[SignatureOut] | None


@router.get("/{code}/attachments", response=list[AttachmentOut])
def attachments(request: HttpRequest, code: str):
    """The attachments; `signatures` is [] for an unsigned PDF and null for an image."""
    dossier = get_dossier_for_user(request.user, code, staff_only=True)
    personal_data_access_record(
        actor=request.user, subject=dossier, purpose=VIEW_PURPOSE, ip=client_ip(request)
    )
    out = []
    attachments = list(dossier.attachments.order_by("id"))
    signatures = signatures_of(attachments)
    for a in attachments:
        reports = signatures[a.pk]
        out.append(
            {
                "id": a.pk,
                "name": a.original_name,
                "kind": a.kind,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_at": a.uploaded_at,
                "signatures": None if reports is None else [r.as_json() for r in reports],
            }
        )
    return out
