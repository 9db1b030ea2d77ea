"""Read side of the signatures: verification reports of a dossier's PDF attachments (cached by
file hash and trust configuration) and the public page's signed result."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.cache import cache
from django.core.files.storage import default_storage

from motcua.dossiers.models import Attachment

from . import conf
from .models import SignedResult
from .verify import NotAPdf, SignatureReport, verify_pdf

logger = logging.getLogger(__name__)
#: Seconds a verification result is reused; "expired now" may change, so not forever.
CACHE_SECONDS = 3600


def attachment_signatures(attachment: Attachment) -> list[SignatureReport] | None:
    """The signatures of a PDF attachment ([] when unsigned), None for images or unreadable files."""
    if attachment.content_type != "application/pdf":
        return None
    key = f"motcua:sig:{attachment.sha256}:{conf.trust_key()}"
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    try:
        with default_storage.open(attachment.storage_name, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    try:
        reports = verify_pdf(data, conf.trust_roots()).signatures
    except NotAPdf:
        reports = []
    cache.set(key, reports, CACHE_SECONDS)
    return reports


def annotate_attachments(attachments: Iterable[Attachment]) -> None:
    """Set `signature_reports` on each attachment, and `verification_id` on the results signed in
    motcua (their public page), for the dossier page's template; one query for the ids."""
    attachments = list(attachments)
    ids = dict(
        SignedResult.objects.filter(attachment__in=attachments).values_list(
            "attachment_id", "public_id"
        )
    )
    for attachment in attachments:
        attachment.signature_reports = attachment_signatures(attachment)  # type: ignore[attr-defined]
        attachment.verification_id = ids.get(attachment.pk, "")  # type: ignore[attr-defined]


def signed_result_public(public_id: str) -> SignedResult | None:
    return (
        SignedResult.objects.select_related("dossier__procedure", "dossier__unit")
        .filter(public_id=public_id)
        .first()
    )
