"""Writes of the hand-over: a dossier received by the service centre enters motcua once.

The centre's code is kept as the dossier's code; `Dossier.code` is unique, so two concurrent
hand-overs of one code cannot both insert: the loser's INSERT fails inside its savepoint and it
answers with the winner's dossier (or a conflict when the payloads differ). Files are written to
storage only inside the transaction's try block and deleted again if it rolls back.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from motcua.audit.services import audit_record
from motcua.dossiers.attachments import detect_type, discard_files
from motcua.dossiers.choices import AttachmentKind, Status
from motcua.dossiers.models import Attachment, Dossier, DossierDocument, DossierSequence
from motcua.dossiers.services import _log, _procedure_steps, _start_step, rule_version_for
from motcua.procedures.deadlines import procedure_due

from .models import ApiClient, Handover
from .payload import ValidHandover

# motcua's own codes are `<agency>-<YYMMDD>-<NNNN>` (dossiers/codes.py, DOMAIN §5).
_OWN_CODE = re.compile(r"^(?P<agency>.+)-(?P<day>\d{6})-(?P<number>\d{4,9})$")


class HandoverConflict(Exception):
    """The code is already used by another dossier or by a different hand-over."""


@dataclass(frozen=True)
class HandoverResult:
    dossier: Dossier
    created: bool


def _existing(client: ApiClient, valid: ValidHandover) -> HandoverResult | None:
    dossier = Dossier.objects.filter(code=valid.data.code).first()
    if dossier is None:
        return None
    handover = Handover.objects.filter(dossier=dossier).first()
    if handover is None or handover.client_id != client.pk:
        raise HandoverConflict("code_taken")
    if handover.payload_sha256 != valid.digest:
        raise HandoverConflict("payload_differs")
    audit_record(
        actor=client.user,
        action="handover.repeat",
        obj=dossier,
        data={"client": client.client_id},
    )
    return HandoverResult(dossier, created=False)


def _reserve_own_code(code: str) -> None:
    """A centre's code shaped like motcua's own must never be issued again by motcua's counter."""
    match = _OWN_CODE.match(code)
    if not match:
        return
    day = datetime.strptime(match["day"], "%y%m%d").date()
    number = int(match["number"])
    DossierSequence.objects.get_or_create(agency_code=match["agency"], day=day)
    DossierSequence.objects.filter(agency_code=match["agency"], day=day).update(
        last=Greatest(F("last"), number)
    )


def _store_files(
    client: ApiClient, dossier: Dossier, valid: ValidHandover, saved: list[str]
) -> None:
    now = timezone.localtime()
    for _index, upload in valid.files:
        file_type = detect_type(upload)
        assert file_type is not None  # checked by parse_handover
        name = f"dossiers/{now:%Y}/{now:%m}/{uuid.uuid4().hex}{file_type.extension}"
        upload.seek(0)
        saved.append(default_storage.save(name, File(upload)))
        upload.seek(0)
        content = upload.read()
        Attachment.objects.create(
            dossier=dossier,
            kind=AttachmentKind.SUBMITTED,
            original_name=(upload.name or "tep")[-255:],
            storage_name=saved[-1],
            content_type=file_type.content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=client.user,
        )


def _create(client: ApiClient, valid: ValidHandover, saved: list[str]) -> Dossier:
    data = valid.data
    procedure = valid.procedure
    at = valid.received_at
    # Same rule as dossier_receive: the legal due time from the reception time (DOMAIN §4).
    due = valid.due_at or procedure_due(procedure, at)
    applicant = data.applicant
    dossier = Dossier.objects.create(
        code=data.code,
        procedure=procedure,
        unit=valid.unit,
        channel=data.channel,
        status=Status.RECEIVED,
        rule_version=rule_version_for(at),
        applicant_name=applicant.name.strip(),
        applicant_id_type=applicant.id_type,
        applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        result_delivery=data.result_delivery,
        submitted_at=valid.submitted_at,
        received_at=at,
        due_at=due,
        initial_due_at=due,
    )
    with_files = {index for index, _upload in valid.files}
    DossierDocument.objects.bulk_create(
        DossierDocument(
            dossier=dossier,
            name=d.name,
            form=d.form,
            count=d.count,
            # DOMAIN §7, 4.2: a component that came with its file is digitised.
            digitised=i in with_files,
        )
        for i, d in enumerate(data.documents)
    )
    if with_files and len(with_files) == len(data.documents):
        dossier.digitised = True
    steps = _procedure_steps(procedure)
    if steps:
        # The department's intake clerk picks the dossier up: the first step has no assignee.
        _start_step(dossier, steps[0], at)
    dossier.save(update_fields=["current_step", "digitised"])
    _reserve_own_code(data.code)
    _store_files(client, dossier, valid, saved)
    Handover.objects.create(dossier=dossier, client=client, payload_sha256=valid.digest)
    _log(
        dossier,
        actor=client.user,
        action="handover",
        at=at,
        before=None,
        data={"client": client.client_id, "files": len(valid.files)},
    )
    return dossier


def handover_receive(*, actor: ApiClient, valid: ValidHandover) -> HandoverResult:
    """Create the handed-over dossier, or return the one this client already handed over."""
    client = actor
    existing = _existing(client, valid)
    if existing is not None:
        return existing
    saved: list[str] = []
    try:
        with transaction.atomic():
            dossier = _create(client, valid, saved)
    except IntegrityError:
        # A concurrent hand-over of the same code won the INSERT; answer with its dossier.
        discard_files(saved)
        existing = _existing(client, valid)
        if existing is None:
            raise
        return existing
    except BaseException:
        discard_files(saved)
        raise
    return HandoverResult(dossier, created=True)
