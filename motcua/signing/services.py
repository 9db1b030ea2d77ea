"""The leader approves and signs the result in one step (issue 15; DOMAIN §7, 3.3 and 4.1).

`approve_and_sign` signs the chosen result PDF with the leader's key (PIN typed now, never
stored), then — when the procedure needs two signatures (`Procedure.two_signatures`) — with the
agency's key, in that order, and only then — in one transaction —
moves the dossier to "result ready", stores the signed file as the electronic result with its
number, and records the public verification id printed as a QR code in the signature. Any failure
(token absent, wrong PIN, expired certificate, a transition the rules refuse) leaves the dossier
and the files as they were.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.dossiers.attachments import discard_files, store_attachment
from motcua.dossiers.choices import AttachmentKind
from motcua.dossiers.models import Attachment, Dossier
from motcua.dossiers.services import dossier_transition
from motcua.dossiers.workflow import Action, allowed_actions
from motcua.orgs.selectors import roles_in

from . import conf
from .errors import SigningError
from .keys import KeySource, Pkcs11Source, Pkcs12Source, open_signer
from .models import KeyKind, SignedResult, SignerProfile
from .pades import Appearance, SignOptions, cert_display_name, sign_pdf

if TYPE_CHECKING:
    from motcua.core.typing import User


@dataclass(frozen=True)
class SignedSigner:
    role: str
    name: str
    position: str
    agency: str
    subject: str


def profile_source(profile: SignerProfile) -> KeySource:
    """The key source of a leader's profile; a half-filled profile is a clear error."""
    if profile.kind == KeyKind.PKCS12:
        if not profile.pkcs12_path:
            raise SigningError(_("Your signer profile has no certificate file."))
        return Pkcs12Source(profile.pkcs12_path)
    module = profile.pkcs11_module or getattr(settings, "MOTCUA_SIGN_PKCS11_MODULE", "")
    if not (module and profile.token_label and profile.key_label):
        raise SigningError(
            _("Your signer profile is incomplete (token driver, token label or key label).")
        )
    return Pkcs11Source(module=module, token_label=profile.token_label, key_label=profile.key_label)


def active_profile(user: User) -> SignerProfile | None:
    return SignerProfile.objects.filter(user=user, active=True).first()


def public_url(public_id: str) -> str:
    return settings.MOTCUA_PUBLIC_URL + reverse("signing:public", args=[public_id])


def sign_with(
    data: bytes,
    source: KeySource,
    secret: str,
    *,
    appearance: Appearance,
    reason: str,
    position_index: int,
) -> tuple[bytes, str]:
    """One more signature on `data` by the key of `source`; returns the bytes and the subject."""
    with open_signer(source, secret) as signer:
        cert = signer.signing_cert
        assert cert is not None
        if not appearance.name:
            appearance = Appearance(
                name=cert_display_name(cert),
                position=appearance.position,
                agency=appearance.agency,
                url=appearance.url,
            )
        signed = sign_pdf(
            data,
            signer,
            SignOptions(
                field_name=f"Signature{position_index + 1}",
                reason=reason,
                location=getattr(settings, "MOTCUA_PRINT_PLACE", ""),
                appearance=appearance,
                timestamper=conf.timestamper(),
                ltv=conf.ltv(),
                trust_roots=conf.trust_roots(),
                position_index=position_index,
            ),
        )
        return signed, cert.subject.human_friendly


def _check_may_approve(actor: User, dossier: Dossier) -> None:
    """The state machine's own rule, checked before the (slow) signing; the transition checks it
    again under the row lock."""
    held = set(roles_in(actor, dossier.unit_id))
    step = dossier.current_step
    step_role = step.role if step is not None and step.finished_at is None else None
    if Action.RESULT_READY not in allowed_actions(dossier.status, held, step_role):
        raise SigningError(_("You cannot approve the result of this dossier now."))


def _source_file(dossier: Dossier, attachment_id: int) -> tuple[Attachment, bytes]:
    attachment = dossier.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise SigningError(_("Choose the result file to sign."))
    if attachment.content_type != "application/pdf":
        raise SigningError(_("Only a PDF file can be signed."))
    try:
        with default_storage.open(attachment.storage_name, "rb") as handle:
            data = handle.read()
    except OSError:
        raise SigningError(_("The result file is missing from the storage.")) from None
    return attachment, data


def approve_and_sign(
    *,
    actor: User,
    dossier_id: int,
    attachment_id: int,
    secret: str,
    result_number: str,
    note: str = "",
) -> SignedResult:
    """The leader's one step: sign the result (leader, then agency), then approve it."""
    number = (result_number or "").strip()[:100]
    if not number:
        raise SigningError(_("Give the result number."))
    dossier = Dossier.objects.select_related("current_step", "procedure").get(pk=dossier_id)
    _check_may_approve(actor, dossier)
    profile = active_profile(actor)
    if profile is None:
        raise SigningError(
            _("You have no signing key in motcua yet: ask the administrator for a signer profile.")
        )
    # Issue 15: a procedure that needs two signatures cannot be issued with the leader's alone.
    two = dossier.procedure.two_signatures
    agency = conf.agency_source()
    if two and agency is None:
        raise SigningError(
            _(
                "This procedure's result needs the leader's and the agency's signatures, but the "
                "agency has no signing key configured: ask the administrator."
            )
        )
    source_attachment, data = _source_file(dossier, attachment_id)
    public_id = secrets.token_urlsafe(16)
    url = public_url(public_id)
    signers: list[SignedSigner] = []
    # DOMAIN §7, 3.3: the leader's personal signature first…
    data, subject = sign_with(
        data,
        profile_source(profile),
        secret,
        appearance=Appearance(
            name=profile.display_name,
            position=profile.position,
            agency=profile.agency,
            url=url,
        ),
        reason=_("Approval of the result of dossier %(code)s") % {"code": dossier.code},
        position_index=0,
    )
    signers.append(
        SignedSigner("leader", profile.display_name, profile.position, profile.agency, subject)
    )
    # …then the agency's (the electronic seal), when the procedure requires it (issue 15).
    if two and agency is not None:
        agency_label = conf.agency_name() or profile.agency
        data, subject = sign_with(
            data,
            agency,
            conf.agency_secret(),
            appearance=Appearance(name=agency_label),
            reason=_("Seal of the agency"),
            position_index=1,
        )
        signers.append(SignedSigner("agency", agency_label, "", agency_label, subject))
    digest = hashlib.sha256(data).hexdigest()
    stored: list[str] = []
    try:
        with transaction.atomic():
            dossier_transition(
                actor=actor, dossier_id=dossier.pk, action=Action.RESULT_READY, note=note
            )
            fresh = Dossier.objects.get(pk=dossier.pk)
            name = source_attachment.original_name.rsplit(".", 1)[0] + "-da-ky.pdf"
            attachment = store_attachment(
                actor=actor,
                dossier=fresh,
                uploaded_file=ContentFile(data, name=name),
                kind=AttachmentKind.RESULT,
                result_number=number,
            )
            stored.append(attachment.storage_name)
            result = SignedResult.objects.create(
                dossier=fresh,
                attachment=attachment,
                source=source_attachment,
                public_id=public_id,
                result_number=number,
                sha256=digest,
                signed_at=timezone.now(),
                signed_by=actor,
                signers=[s.__dict__ for s in signers],
            )
            data_out: dict[str, Any] = {
                "attachment": attachment.pk,
                "sha256": digest,
                "signers": [s.subject for s in signers],
                "result_number": number,
            }
            audit_record(
                actor=actor, action="signing.result_signed", obj=fresh, note=number, data=data_out
            )
    except Exception:
        discard_files(stored)
        raise
    return result
