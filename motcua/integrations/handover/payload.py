"""The hand-over request: its JSON schema and every check, collected per field before any write.

A bad payload answers 400 with `{"detail", "errors": [{"field", "message"}]}` naming each bad field
(dotted path, e.g. `applicant.id_number`, `documents.0.files.1.content_base64`); nothing is created.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict
from pydantic import ValidationError as PydanticValidationError

from motcua.core.identity import IdType
from motcua.core.validators import validate_identity_guessing, validate_phone
from motcua.dossiers.attachments import AttachmentError, check_file, max_upload_bytes
from motcua.dossiers.choices import Channel, ResultDelivery
from motcua.orgs.models import Unit
from motcua.procedures.choices import DocumentForm
from motcua.procedures.models import Procedure

#: The centre's own dossier code, kept as motcua's code: letters, digits and . - _, 4–40 long,
#: starting with a letter or digit (e.g. 000.00.12.H57-250701-0001 or H57.22-250701-0001).
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{3,39}$")
#: How far in the future a reception time may lie (clock skew between the two systems).
CLOCK_SKEW = timedelta(minutes=5)
MAX_DOCUMENTS = 50
MAX_FILES = 20


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class FileIn(_Strict):
    filename: str = Field(..., min_length=1, max_length=255, examples=["to-khai.pdf"])
    content_base64: str = Field(..., description="the file's bytes, base64 (RFC 4648)")


class DocumentIn(_Strict):
    name: str = Field(..., min_length=1, max_length=500, examples=["Tờ khai"])
    form: str = Field(DocumentForm.ORIGINAL, description="original | certified_copy | copy")
    count: int = Field(1, ge=1, le=99)
    files: list[FileIn] = Field(default_factory=list, description="PDF, JPEG or PNG")


class ApplicantIn(_Strict):
    name: str = Field(..., min_length=1, max_length=200)
    id_type: str = Field("", description="cccd | cmnd | passport | org_code | other")
    id_number: str = Field("", max_length=20)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=300)


class HandoverIn(_Strict):
    code: str = Field(..., description="the centre's dossier code, kept as motcua's code")
    procedure_code: str = Field(..., max_length=50)
    receiving_agency: str = Field(
        ..., max_length=20, description="electronic code of the department (the client's unit)"
    )
    channel: str = Field(..., description="counter | post | online")
    applicant: ApplicantIn
    submitted_at: datetime | None = None
    received_at: datetime
    due_at: datetime | None = Field(None, description="computed by motcua when absent")
    result_delivery: str = Field(ResultDelivery.DESK, description="desk | post | online")
    documents: list[DocumentIn] = Field(default_factory=list)


@dataclass
class PayloadInvalid(Exception):
    errors: list[dict[str, str]]


@dataclass
class ValidHandover:
    """A checked hand-over: the objects it refers to and the decoded files, ready to write."""

    data: HandoverIn
    unit: Unit
    procedure: Procedure
    received_at: datetime
    submitted_at: datetime
    due_at: datetime | None
    digest: str
    files: list[tuple[int, SimpleUploadedFile]] = field(default_factory=list)


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _schema_errors(exc: PydanticValidationError) -> list[dict[str, str]]:
    errors = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "body"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = _("Unknown field.")
        elif error["type"] == "missing":
            message = _("This field is required.")
        errors.append({"field": where, "message": str(message)})
    return errors


def payload_digest(raw: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the payload: the same hand-over gives the same digest."""
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_identity(applicant: ApplicantIn, add) -> None:
    """DOMAIN §12: a document type and a number, validated per type (the type guessed by the
    number's shape when the centre sends none)."""
    if not applicant.id_number and not applicant.id_type:
        return
    if applicant.id_type and applicant.id_type not in IdType.values:
        add("applicant.id_type", _("Unknown identity document type."))
        return
    if not applicant.id_number:
        add("applicant.id_number", _("This field is required."))
        return
    result = validate_identity_guessing(applicant.id_type, applicant.id_number)
    if not result.ok:
        add("applicant.id_number", "; ".join(result.errors))


def _decode(file_in: FileIn, where: str, add) -> SimpleUploadedFile | None:
    text = re.sub(r"\s+", "", file_in.content_base64)
    # Refuse before decoding what cannot fit (base64 is 4 characters per 3 bytes).
    if len(text) * 3 // 4 > max_upload_bytes() + 3:
        add(f"{where}.content_base64", _("The file is too large."))
        return None
    try:
        content = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        add(f"{where}.content_base64", _("This is not valid base64."))
        return None
    upload = SimpleUploadedFile(file_in.filename, content)
    try:
        check_file(upload)
    except AttachmentError as exc:
        add(f"{where}.content_base64", str(exc))
        return None
    return upload


def parse_handover(raw: Any, *, unit: Unit, now: datetime | None = None) -> ValidHandover:
    """Check a hand-over payload for a client of `unit`; raise PayloadInvalid with every error."""
    if not isinstance(raw, dict):
        raise PayloadInvalid([{"field": "body", "message": _("A JSON object is expected.")}])
    try:
        data = HandoverIn.model_validate(raw)
    except PydanticValidationError as exc:
        raise PayloadInvalid(_schema_errors(exc)) from None
    errors: list[dict[str, str]] = []

    def add(where: str, message: str) -> None:
        errors.append({"field": where, "message": str(message)})

    now = now or timezone.now()
    if not CODE_RE.match(data.code):
        add(
            "code",
            _("4–40 letters, digits and . - _, starting with a letter or a digit."),
        )
    if data.receiving_agency != unit.code:
        add("receiving_agency", _("This client may hand dossiers over only to its own unit."))
    procedure = Procedure.objects.filter(code=data.procedure_code).first()
    if procedure is None or procedure.unit_id != unit.pk:
        add("procedure_code", _("Unknown procedure of the receiving agency."))
    elif not procedure.active:
        add("procedure_code", _("This procedure is no longer accepted."))
    if data.channel not in Channel.values:
        add("channel", _("Unknown channel."))
    if data.result_delivery not in ResultDelivery.values:
        add("result_delivery", _("Unknown result delivery."))
    applicant = data.applicant
    if not applicant.name.strip():
        add("applicant.name", _("The applicant's name is required."))
    _check_identity(applicant, add)
    if applicant.phone and not validate_phone(applicant.phone).ok:
        add("applicant.phone", _("The phone number is not valid."))
    if applicant.email:
        try:
            validate_email(applicant.email)
        except DjangoValidationError:
            add("applicant.email", _("Enter a valid email address."))
    received = _aware(data.received_at)
    submitted = _aware(data.submitted_at) if data.submitted_at else received
    due = _aware(data.due_at) if data.due_at else None
    if received > now + CLOCK_SKEW:
        add("received_at", _("The reception time is in the future."))
    if submitted > received:
        add("submitted_at", _("The submission time is after the reception time."))
    if due is not None and due < received:
        add("due_at", _("The due time is before the reception time."))
    if len(data.documents) > MAX_DOCUMENTS:
        add("documents", _("At most %(n)d documents.") % {"n": MAX_DOCUMENTS})
    files: list[tuple[int, SimpleUploadedFile]] = []
    file_count = 0
    for i, document in enumerate(data.documents[:MAX_DOCUMENTS]):
        if document.form not in DocumentForm.values:
            add(f"documents.{i}.form", _("Unknown document form."))
        for j, file_in in enumerate(document.files):
            file_count += 1
            if file_count > MAX_FILES:
                add(f"documents.{i}.files.{j}", _("At most %(n)d files.") % {"n": MAX_FILES})
                break
            upload = _decode(file_in, f"documents.{i}.files.{j}", add)
            if upload is not None:
                files.append((i, upload))
    if errors:
        raise PayloadInvalid(errors)
    assert procedure is not None  # an error was added otherwise
    return ValidHandover(
        data=data,
        unit=unit,
        procedure=procedure,
        received_at=received,
        submitted_at=submitted,
        due_at=due,
        digest=payload_digest(data.model_dump(mode="json")),
        files=files,
    )
