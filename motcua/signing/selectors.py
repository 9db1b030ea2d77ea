"""Read side of the signatures: verification reports of a dossier's PDF attachments (cached by
file hash and trust configuration) and the public page's signed result."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.cache import cache
from django.core.files.storage import default_storage

from motcua.dossiers.choices import AttachmentKind
from motcua.dossiers.models import Attachment

from . import conf
from .models import SignedDocument, SignedResult
from .verify import NotAPdf, SignatureReport, verify_pdf

logger = logging.getLogger(__name__)
PDF = "application/pdf"
#: Seconds a verification result is reused; "expired now" may change, so not forever.
CACHE_SECONDS = 3600


def _key(attachment: Attachment) -> str:
    return f"motcua:sig:{attachment.sha256}:{conf.trust_key()}"


def _verify_file(attachment: Attachment) -> list[SignatureReport] | None:
    try:
        with default_storage.open(attachment.storage_name, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    try:
        return verify_pdf(data, conf.trust_roots()).signatures
    except NotAPdf:
        return []


def signatures_of(attachments: Iterable[Attachment]) -> dict[int, list[SignatureReport] | None]:
    """Attachment id → its signatures ([] when unsigned; None for images or unreadable files).

    Results are cached by file hash and trust configuration; one cache round trip for all (the
    production cache may be a database table)."""
    pdfs = [a for a in attachments if a.content_type == PDF]
    cached = cache.get_many([_key(a) for a in pdfs]) if pdfs else {}
    out: dict[int, list[SignatureReport] | None] = {}
    fresh: dict[str, list[SignatureReport]] = {}
    for attachment in attachments:
        if attachment.content_type != PDF:
            out[attachment.pk] = None
            continue
        key = _key(attachment)
        if key in cached:
            out[attachment.pk] = list(cached[key])
            continue
        reports = _verify_file(attachment)
        out[attachment.pk] = reports
        if reports is not None:
            fresh[key] = reports
    if fresh:
        cache.set_many(fresh, CACHE_SECONDS)
    return out


def attachment_signatures(attachment: Attachment) -> list[SignatureReport] | None:
    """The signatures of one attachment (see `signatures_of`)."""
    return signatures_of([attachment])[attachment.pk]


def annotate_attachments(attachments: Iterable[Attachment]) -> None:
    """Set `signature_reports` on each attachment, and `verification_id` on the results signed in
    motcua (their public page), for the dossier page's template; one query for the ids."""
    attachments = list(attachments)
    # Signed results are result PDFs: no query at all for a dossier without one.
    results = [a for a in attachments if a.kind == AttachmentKind.RESULT and a.content_type == PDF]
    ids = (
        dict(
            SignedResult.objects.filter(attachment__in=results).values_list(
                "attachment_id", "public_id"
            )
        )
        if results
        else {}
    )
    reports = signatures_of(attachments)
    for attachment in attachments:
        attachment.signature_reports = reports[attachment.pk]  # type: ignore[attr-defined]
        attachment.verification_id = ids.get(attachment.pk, "")  # type: ignore[attr-defined]


def signed_result_public(public_id: str) -> SignedResult | None:
    return (
        SignedResult.objects.select_related("dossier__procedure", "dossier__unit")
        .filter(public_id=public_id)
        .first()
    )


def signed_document_public(public_id: str) -> SignedDocument | None:
    return SignedDocument.objects.filter(public_id=public_id).first()
