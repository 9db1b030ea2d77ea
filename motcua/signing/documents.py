"""Sign a document motcua draws itself with the agency's key: the printed forms 01–07 of a dossier,
the blocking look-up certificate, the published reform results (issue 15).

`document_sign` signs with the agency key of the settings (MOTCUA_SIGN_AGENCY_PKCS12, or the
PKCS#11 module, token and key labels; its secret MOTCUA_SIGN_AGENCY_SECRET): the officer types
nothing. The visible block (agency, signer, time, and a QR code to the public verification page)
lands under the document's signature note "(Ký…)". The signed file is handed to the caller to
download; its SHA-256 is kept (`SignedDocument`) for the QR page. A failure raises `SigningError`
and records nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.core.people import full_name

from . import conf
from .errors import SigningError
from .models import SignedDocument
from .pades import Appearance
from .services import public_url, sign_with

if TYPE_CHECKING:
    from motcua.core.typing import User
    from motcua.dossiers.models import Dossier


def agency_key_or_error():
    """The agency's key source; a clear message when none is configured."""
    source = conf.agency_source()
    if source is None:
        raise SigningError(
            _(
                "The agency has no signing key configured: ask the administrator "
                "(docs/ky-so.md, section 2.2)."
            )
        )
    return source


def document_sign(
    *,
    actor: User,
    data: bytes,
    kind: str,
    reference: str,
    title: str,
    dossier: Dossier | None = None,
    position: str = "",
) -> tuple[bytes, SignedDocument]:
    """`data` signed with the agency's key; one `SignedDocument` row and one audit event."""
    source = agency_key_or_error()
    public_id = secrets.token_urlsafe(16)
    agency = conf.agency_name()
    signed, subject = sign_with(
        data,
        source,
        conf.agency_secret(),
        appearance=Appearance(
            name=agency, position=position, agency=full_name(actor), url=public_url(public_id)
        ),
        reason=title[:200],
        position_index=0,
    )
    digest = hashlib.sha256(signed).hexdigest()
    with transaction.atomic():
        record = SignedDocument.objects.create(
            kind=kind,
            reference=reference[:200],
            title=title[:300],
            dossier=dossier,
            public_id=public_id,
            sha256=digest,
            signed_at=timezone.now(),
            signed_by=actor,
            signer=agency or subject,
            subject=subject[:500],
        )
        audit_record(
            actor=actor,
            action="signing.document_signed",
            obj=dossier if dossier is not None else record,
            note=reference[:200],
            data={"kind": kind, "sha256": digest, "subject": subject, "document": record.pk},
        )
    return signed, record
