"""Authorities' own accounts (DOMAIN §11, issue 16): a court, enforcement office or police unit
submits a blocking request with its document on the site and follows it; the registry's officer
turns it into a request (`services.request_enter`, so a second officer still approves: four-eyes)
or refuses it with a reason. Keyword-only, `actor` first, one audit event per call.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.orgs.selectors import unit_ids_for

from .choices import Kind, RequestStatus
from .errors import BlockingError
from .files import checked_scan
from .identity import check_owner_identity
from .models import SenderUnit, Submission, SubmissionStatus
from .selectors import officer_unit_ids, viewer_unit_ids
from .services import AssetInput, OwnerInput, RequestInput, check_asset, request_enter

if TYPE_CHECKING:
    from django.core.files.base import File

    from motcua.core.typing import AnyUser, User


# --- selectors / access ----------------------------------------------------------------------------
def senders_for_user(user: AnyUser) -> QuerySet[SenderUnit]:
    """The authorities the user submits for: any membership of an active sender unit."""
    return SenderUnit.objects.filter(unit_id__in=unit_ids_for(user), active=True).select_related(
        "unit", "authority_type", "registry"
    )


def submissions_for_user(user: AnyUser) -> QuerySet[Submission]:
    """An authority's staff: their own authority's submissions; registry staff: those sent to
    their unit; anyone else: none."""
    condition = Q(sender__unit_id__in=unit_ids_for(user)) | Q(
        sender__registry_id__in=viewer_unit_ids(user)
    )
    return Submission.objects.filter(condition).select_related(
        "sender__unit", "sender__registry", "sender__authority_type", "request", "submitted_by"
    )


def get_submission_for_user(user: AnyUser, pk: int) -> Submission:
    submission = submissions_for_user(user).filter(pk=pk).first()
    if submission is None:
        raise Http404
    return submission


def follow_status(submission: Submission) -> str:
    """What the authority reads: submitted, being processed (entered / approved), published,
    released (in part or whole), refused."""
    if submission.status != SubmissionStatus.ACCEPTED or submission.request is None:
        return submission.status
    status = submission.request.status
    if status in (RequestStatus.ENTERED, RequestStatus.APPROVED):
        return "processing"
    return status


# --- services ------------------------------------------------------------------------------------
def _assets_json(assets: list[AssetInput]) -> list[dict]:
    out = []
    for number, asset in enumerate(assets, start=1):
        check_asset(asset, number)
        owners = []
        for owner in asset.owners:
            id_type, id_number = check_owner_identity(owner.id_type, owner.id_number)
            owners.append(
                {
                    "name": owner.name.strip(),
                    "id_type": id_type,
                    "id_number": id_number,
                    "birth_year": owner.birth_year,
                }
            )
        fields = {
            k: (v.isoformat() if isinstance(v, date) else str(v) if v is not None else None)
            for k, v in asset.fields.items()
        }
        out.append({"asset_type": asset.asset_type, "fields": fields, "owners": owners})
    return out


def submission_create(
    *,
    actor: User,
    sender: SenderUnit,
    kind: str,
    document_number: str,
    document_date: date,
    summary: str,
    assets: list[AssetInput],
    scan: File | None,
    sender_person: str = "",
    at: datetime | None = None,
) -> Submission:
    """An authority's member sends a document (required) naming the assets to block."""
    now = at or timezone.now()
    if not sender.active or sender.unit_id not in unit_ids_for(actor):
        raise BlockingError(_("You do not send blocking information for this authority."))
    if kind not in Kind.values:
        raise BlockingError(_("Unknown kind of request."))
    if kind == Kind.BLOCKING and not sender.authority_type.competent:
        raise BlockingError(
            _(
                "“%(type)s” is not an authority competent to block assets: record it as "
                "reference / warning."
            )
            % {"type": sender.authority_type.name}
        )
    if not (document_number or "").strip() or not (summary or "").strip():
        raise BlockingError(_("The document number and the summary are required."))
    if document_date > timezone.localdate(now):
        raise BlockingError(_("The document is dated in the future."))
    if scan is None:
        raise BlockingError(_("Attach the scanned document (PDF, JPEG or PNG)."))
    if not assets:
        raise BlockingError(_("A request names at least one asset."))
    stored = _assets_json(assets)
    file, sha = checked_scan(scan)
    with transaction.atomic():
        submission = Submission.objects.create(
            sender=sender,
            submitted_by=actor,
            submitted_at=now,
            kind=kind,
            sender_person=(sender_person or "").strip(),
            document_number=document_number.strip(),
            document_date=document_date,
            summary=summary.strip(),
            scan=file,
            scan_sha256=sha,
            assets=stored,
        )
        audit_record(
            actor=actor,
            action="blocking.submit",
            obj=submission,
            to_state=submission.status,
            note=f"{sender.unit.code} {submission.document_number}",
            data={"assets": len(stored)},
        )
    return submission


def _lock(submission_id: int) -> Submission:
    submission = (
        Submission.objects.select_for_update()
        .select_related("sender__unit", "sender__authority_type", "sender__registry")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise BlockingError(_("No such submission."))
    return submission


def _require_registry_officer(actor: User, submission: Submission) -> None:
    if submission.sender.registry_id not in officer_unit_ids(actor):
        raise BlockingError(_("You are not an officer of the blocking registry of this unit."))
    if submission.status != SubmissionStatus.SUBMITTED:
        raise BlockingError(_("This submission has already been decided."))


def submission_accept(
    *, actor: User, submission_id: int, request_no: str, at: datetime | None = None
):
    """The registry's officer enters the submission as a request (status entered: a second
    officer approves it, four-eyes), received when the authority submitted it."""
    now = at or timezone.now()
    with transaction.atomic():
        submission = _lock(submission_id)
        _require_registry_officer(actor, submission)
        assets = [
            AssetInput(
                asset_type=a["asset_type"],
                owners=[
                    OwnerInput(o["name"], o["id_number"], o["birth_year"], o["id_type"])
                    for o in a["owners"]
                ],
                fields={
                    k: (date.fromisoformat(v) if k == "certificate_date" and v else v)
                    for k, v in a["fields"].items()
                },
            )
            for a in submission.assets
        ]
        request = request_enter(
            actor=actor,
            unit=submission.sender.registry,
            data=RequestInput(
                request_no=request_no,
                kind=submission.kind,
                authority_type=submission.sender.authority_type,
                authority_name=submission.sender.unit.name,
                document_number=submission.document_number,
                document_date=submission.document_date,
                received_at=submission.submitted_at,
                sender_person=submission.sender_person,
                summary=submission.summary,
                note=_("Submitted on the site by %(user)s.")
                % {"user": submission.submitted_by.get_username()},
            ),
            assets=assets,
            at=now,
        )
        # The authority's scan is the request's document (the same stored file, never deleted).
        request.scan, request.scan_sha256 = submission.scan.name, submission.scan_sha256
        request.save(update_fields=["scan", "scan_sha256"])
        submission.status = SubmissionStatus.ACCEPTED
        submission.request = request
        submission.decided_at, submission.decided_by = now, actor
        submission.save(update_fields=["status", "request", "decided_at", "decided_by"])
        audit_record(
            actor=actor,
            action="blocking.submission_accept",
            obj=submission,
            from_state=SubmissionStatus.SUBMITTED,
            to_state=submission.status,
            note=request.request_no,
        )
    return request


def submission_refuse(
    *, actor: User, submission_id: int, reason: str, at: datetime | None = None
) -> Submission:
    """The registry refuses the submission; the authority reads the reason."""
    if not (reason or "").strip():
        raise BlockingError(_("Give the reason for the refusal."))
    with transaction.atomic():
        submission = _lock(submission_id)
        _require_registry_officer(actor, submission)
        submission.status = SubmissionStatus.REFUSED
        submission.refusal_reason = reason.strip()
        submission.decided_at, submission.decided_by = at or timezone.now(), actor
        submission.save(update_fields=["status", "refusal_reason", "decided_at", "decided_by"])
        audit_record(
            actor=actor,
            action="blocking.submission_refuse",
            obj=submission,
            from_state=SubmissionStatus.SUBMITTED,
            to_state=submission.status,
            note=reason.strip()[:200],
        )
    return submission
