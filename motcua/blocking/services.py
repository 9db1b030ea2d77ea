"""Writes on the blocking registry: enter, approve (four-eyes), publish, release.

Keyword-only, `actor` first, one transaction and one audit event per call; rows are never deleted.
Who may do what (decided here, documented in docs/ngan-chan.md):

- enter, publish, record a release: a specialist or leader of the registry's unit;
- approve: a specialist or leader of the unit who is NOT the officer who entered the request
  (four-eyes; also a database check constraint);
- notaries only search; auditors only read; everyone else sees nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.orgs.choices import Role
from motcua.orgs.models import Unit
from motcua.orgs.selectors import roles_in

from .choices import AssetType, Kind, RequestStatus
from .deadline import due_for
from .errors import BlockingError, DuplicateRequestError
from .files import checked_scan
from .identity import check_owner_identity
from .keys import asset_keys, ident_key, name_key
from .models import (
    Asset,
    AuthorityType,
    BlockingRequest,
    Owner,
    Release,
    SearchKey,
    SyncCounter,
)

if TYPE_CHECKING:
    from django.core.files.base import File

    from motcua.core.typing import AnyUser, User

OFFICER_ROLES = frozenset({Role.SPECIALIST, Role.LEADER})
ASSET_FIELDS = (
    "certificate_serial",
    "certificate_issuer",
    "certificate_date",
    "parcel_number",
    "map_sheet",
    "address",
    "area",
    "use_purpose",
    "land_term",
    "land_origin",
    "attached_assets",
    "plate",
    "registration_number",
    "frame_number",
    "engine_number",
    "description",
)


@dataclass(frozen=True)
class OwnerInput:
    name: str
    id_number: str = ""
    birth_year: int | None = None
    # DOMAIN §12: the document type (IdType); empty = from a "type:" prefix or by shape.
    id_type: str = ""


@dataclass(frozen=True)
class AssetInput:
    asset_type: str
    owners: list[OwnerInput]
    fields: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RequestInput:
    request_no: str
    kind: str
    authority_type: AuthorityType
    authority_name: str
    document_number: str
    document_date: date
    received_at: datetime
    sender_person: str = ""
    summary: str = ""
    note: str = ""


# --- helpers -------------------------------------------------------------------------------------
def next_seq(count: int = 1) -> int:
    """Reserve `count` numbers of the export counter; returns the last one (call inside atomic)."""
    SyncCounter.objects.get_or_create(name="blocking")
    counter = SyncCounter.objects.select_for_update().get(name="blocking")
    counter.value += count
    counter.save(update_fields=["value"])
    return counter.value


def authority_key(name: str) -> str:
    return name_key(name)


def document_key(number: str) -> str:
    return ident_key(number)


def _require_officer(actor: AnyUser, unit_id: int) -> None:
    if not (roles_in(actor, unit_id) & OFFICER_ROLES):
        raise BlockingError(_("You are not an officer of the blocking registry of this unit."))


#: States in which an entry may still be corrected, or an asset / owner withdrawn: before the
#: four-eyes approval. After it, only a new document (e.g. a release order) changes the record.
CORRECTABLE_STATUSES = frozenset({RequestStatus.ENTERED})


def is_correctable(request: BlockingRequest) -> bool:
    """The request has not been approved yet (correction and withdrawal are still allowed)."""
    return request.status in CORRECTABLE_STATUSES


def require_correctable(actor: AnyUser, request: BlockingRequest, refusal: str) -> None:
    """Who may correct a request and when (shared by correction and withdrawal): an officer of its
    unit, before approval; `refusal` is the message when the request is already approved."""
    _require_officer(actor, request.unit_id)
    if not is_correctable(request):
        raise BlockingError(refusal)


def check_birth_year(value: int | None) -> int | None:
    if value is None:
        return None
    if not 1900 <= value <= timezone.localdate().year:
        raise BlockingError(_("Birth year %(year)s is not plausible.") % {"year": value})
    return value


def check_asset(asset: AssetInput, number: int) -> None:
    """The asset identifies something: rules per type (DOMAIN §11)."""
    f = asset.fields
    where = _("Asset %(n)d") % {"n": number}
    if asset.asset_type not in AssetType.values:
        raise BlockingError(_("%(where)s: unknown asset type.") % {"where": where})
    if asset.asset_type == AssetType.LAND and not (
        f.get("certificate_serial") or (f.get("parcel_number") and f.get("map_sheet"))
    ):
        raise BlockingError(
            _(
                "%(where)s: a land asset needs a certificate serial, or a parcel and map sheet number."
            )
            % {"where": where}
        )
    if asset.asset_type == AssetType.VEHICLE and not (
        f.get("plate") or f.get("frame_number") or f.get("engine_number")
    ):
        raise BlockingError(
            _("%(where)s: a vehicle needs a plate, frame number or engine number.")
            % {"where": where}
        )
    if asset.asset_type == AssetType.OTHER and not (f.get("description") or "").strip():
        raise BlockingError(_("%(where)s: describe the asset.") % {"where": where})
    if not asset.owners:
        raise BlockingError(_("%(where)s: at least one owner is needed.") % {"where": where})
    for owner in asset.owners:
        if not owner.name.strip():
            raise BlockingError(_("%(where)s: an owner has no name.") % {"where": where})


def find_duplicate(
    authority_name: str, document_number: str, document_date: date
) -> BlockingRequest | None:
    return (
        BlockingRequest.objects.filter(
            authority_key=authority_key(authority_name),
            document_number_key=document_key(document_number),
            document_date=document_date,
        )
        .only("pk", "request_no")
        .first()
    )


def duplicate_message(existing: BlockingRequest) -> str:
    return _(
        "This document (same authority, number and date) is already registered as request "
        "%(request_no)s."
    ) % {"request_no": existing.request_no}


def write_keys(
    request: BlockingRequest, assets_with_owners: Iterable[tuple[Asset, list[Owner]]]
) -> None:
    """(Re)build the search rows of a request's assets."""
    SearchKey.objects.filter(request=request).delete()
    published = request.status != RequestStatus.ENTERED and request.published_at is not None
    rows = [
        SearchKey(
            asset_id=asset.pk,
            request_id=request.pk,
            unit_id_copy=request.unit_id,
            published=published,
            kind=kind,
            value=value,
        )
        for asset, owners in assets_with_owners
        for kind, value in asset_keys(asset, owners, request)
    ]
    SearchKey.objects.bulk_create(rows, batch_size=500)


def active_assets_with_owners(request: BlockingRequest) -> list[tuple[Asset, list[Owner]]]:
    """The request's assets and owners that are not withdrawn, in order."""
    assets = request.assets.active().prefetch_related(
        Prefetch("owners", queryset=Owner.objects.active())
    )
    return [(asset, list(asset.owners.all())) for asset in assets]


def rebuild_keys(request: BlockingRequest) -> None:
    """Rebuild the request's search rows from its active assets and owners (inside atomic)."""
    write_keys(request, active_assets_with_owners(request))


def check_complete(request: BlockingRequest) -> None:
    """What an order needs (DOMAIN §11, `check_asset`): at least one asset, each with an owner."""
    active = request.assets.active()
    if not active.exists():
        raise BlockingError(
            _("The request has no asset left that is not withdrawn: it cannot be approved.")
        )
    ownerless = (
        active.filter(~Exists(Owner.objects.active().filter(asset=OuterRef("pk"))))
        .values_list("position", flat=True)
        .first()
    )
    if ownerless is not None:
        raise BlockingError(
            _("Asset %(n)d has no owner left that is not withdrawn: it cannot be approved.")
            % {"n": ownerless}
        )


def derive_status(request: BlockingRequest) -> str:
    """Published / partially released / released from the releases of its (active) assets."""
    flags = list(request.assets.active().values_list("released_by", flat=True))
    released = sum(1 for value in flags if value is not None)
    if not request.published_at:
        return request.status
    if flags and released == len(flags):
        return RequestStatus.RELEASED
    if released:
        return RequestStatus.PARTIALLY_RELEASED
    return RequestStatus.PUBLISHED


def _lock(request_id: int) -> BlockingRequest:
    request = BlockingRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise BlockingError(_("No such request."))
    return request


def check_input(
    data: RequestInput, assets: list[AssetInput], now: datetime
) -> tuple[str, list[list[tuple[str, str, str, int | None]]]]:
    """Validate a request with its assets; returns (request_no, checked owners per asset:
    name, identity type, normalised number, birth year)."""
    if data.kind not in Kind.values:
        raise BlockingError(_("Unknown kind of request."))
    if data.kind == Kind.BLOCKING and not data.authority_type.competent:
        raise BlockingError(
            _(
                "“%(type)s” is not an authority competent to block assets: record it as "
                "reference / warning."
            )
            % {"type": data.authority_type.name}
        )
    request_no = (data.request_no or "").strip()
    if not request_no:
        raise BlockingError(_("The incoming-register number is required."))
    if not data.authority_name.strip() or not data.document_number.strip():
        raise BlockingError(_("The sending authority and the document number are required."))
    if data.received_at > now:
        raise BlockingError(_("The time of receipt is in the future."))
    if data.document_date > timezone.localdate(data.received_at):
        raise BlockingError(_("The document is dated after it was received."))
    if not assets:
        raise BlockingError(_("A request names at least one asset."))
    for number, asset in enumerate(assets, start=1):
        check_asset(asset, number)
    owners_checked = [
        [
            (
                o.name.strip(),
                *check_owner_identity(o.id_type, o.id_number),
                check_birth_year(o.birth_year),
            )
            for o in asset.owners
        ]
        for asset in assets
    ]
    return request_no, owners_checked


# --- services ------------------------------------------------------------------------------------
def request_enter(
    *,
    actor: User,
    unit: Unit,
    data: RequestInput,
    assets: list[AssetInput],
    scan: File | None = None,
    at: datetime | None = None,
) -> BlockingRequest:
    """Record a received document with its assets and owners (status: entered)."""
    _require_officer(actor, unit.pk)
    now = at or timezone.now()
    request_no, owners_checked = check_input(data, assets, now)
    stored_scan = checked_scan(scan) if scan else None

    with transaction.atomic():
        if BlockingRequest.objects.filter(request_no=request_no).exists():
            raise BlockingError(
                _("The incoming-register number %(no)s is already used.") % {"no": request_no}
            )
        existing = find_duplicate(data.authority_name, data.document_number, data.document_date)
        if existing is not None:
            raise DuplicateRequestError(duplicate_message(existing), existing)
        request = BlockingRequest(
            unit=unit,
            request_no=request_no,
            kind=data.kind,
            authority_type=data.authority_type,
            authority_name=data.authority_name.strip(),
            authority_key=authority_key(data.authority_name),
            sender_person=data.sender_person.strip(),
            document_number=data.document_number.strip(),
            document_number_key=document_key(data.document_number),
            document_date=data.document_date,
            received_at=data.received_at,
            calendar_name=unit.calendar_name or "hue",
            due_at=due_for(unit, data.received_at),
            summary=data.summary,
            note=data.note,
            status=RequestStatus.ENTERED,
            entered_at=now,
            entered_by=actor,
            updated_seq=next_seq(),
        )
        if stored_scan:
            request.scan, request.scan_sha256 = stored_scan
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError as exc:
            # A concurrent entry of the same document won the race.
            existing = find_duplicate(data.authority_name, data.document_number, data.document_date)
            if existing is not None:
                raise DuplicateRequestError(duplicate_message(existing), existing) from exc
            raise BlockingError(
                _("The incoming-register number %(no)s is already used.") % {"no": request_no}
            ) from exc
        pairs = []
        for position, (asset_input, owners) in enumerate(
            zip(assets, owners_checked, strict=True), start=1
        ):
            values = {k: v for k, v in asset_input.fields.items() if k in ASSET_FIELDS}
            for key, value in list(values.items()):
                if isinstance(value, str):
                    values[key] = value.strip()
            asset = Asset.objects.create(
                request=request, position=position, asset_type=asset_input.asset_type, **values
            )
            owner_rows = Owner.objects.bulk_create(
                [
                    Owner(
                        asset=asset,
                        position=i,
                        name=name,
                        id_type=id_type,
                        id_number=idn,
                        birth_year=year,
                    )
                    for i, (name, id_type, idn, year) in enumerate(owners, start=1)
                ]
            )
            pairs.append((asset, owner_rows))
        write_keys(request, pairs)
        audit_record(
            actor=actor,
            action="blocking.enter",
            obj=request,
            to_state=request.status,
            note=request.request_no,
            data={"assets": len(pairs), "kind": request.kind},
        )
    return request


def request_approve(*, actor: User, request_id: int, at: datetime | None = None) -> BlockingRequest:
    """A second officer confirms the entry (four-eyes: never the officer who entered it)."""
    with transaction.atomic():
        request = _lock(request_id)
        _require_officer(actor, request.unit_id)
        if request.status != RequestStatus.ENTERED:
            raise BlockingError(_("Only an entered request can be approved."))
        if request.entered_by_id == actor.pk:
            raise BlockingError(
                _("Four-eyes rule: the officer who entered a request cannot approve it.")
            )
        check_complete(request)
        request.status = RequestStatus.APPROVED
        request.approved_at = at or timezone.now()
        request.approved_by = actor
        request.updated_seq = next_seq()
        request.save(update_fields=["status", "approved_at", "approved_by", "updated_seq"])
        audit_record(
            actor=actor,
            action="blocking.approve",
            obj=request,
            from_state=RequestStatus.ENTERED,
            to_state=request.status,
            note=request.request_no,
        )
    return request


def request_publish(*, actor: User, request_id: int, at: datetime | None = None) -> BlockingRequest:
    """Make an approved request visible to notaries."""
    with transaction.atomic():
        request = _lock(request_id)
        _require_officer(actor, request.unit_id)
        if request.status != RequestStatus.APPROVED:
            raise BlockingError(_("Only an approved request can be published."))
        request.status = RequestStatus.PUBLISHED
        request.published_at = at or timezone.now()
        request.published_by = actor
        request.updated_seq = next_seq()
        request.save(update_fields=["status", "published_at", "published_by", "updated_seq"])
        SearchKey.objects.filter(request=request).update(published=True)
        audit_record(
            actor=actor,
            action="blocking.publish",
            obj=request,
            from_state=RequestStatus.APPROVED,
            to_state=request.status,
            note=request.request_no,
            data={"due_at": request.due_at.isoformat() if request.due_at else None},
        )
    return request


def request_release(
    *,
    actor: User,
    request_id: int,
    asset_ids: list[int],
    document_number: str,
    document_date: date | None,
    authority_name: str = "",
    note: str = "",
    scan: File | None = None,
    received_at: datetime | None = None,
    at: datetime | None = None,
) -> Release:
    """Record a release document for some or all assets of a published request.

    DOMAIN §11: a release is due the procedure's time limit (16 working hours) after ITS document
    arrives (`received_at`, default now); recorded later than that it counts as late."""
    now = at or timezone.now()
    arrived = received_at or now
    if not (document_number or "").strip():
        raise BlockingError(_("The release document number is required."))
    if document_date and document_date > timezone.localdate(now):
        raise BlockingError(_("The release document is dated in the future."))
    if arrived > now:
        raise BlockingError(_("The time of receipt is in the future."))
    if document_date and timezone.localdate(arrived) < document_date:
        raise BlockingError(_("The document is dated after it was received."))
    stored_scan = checked_scan(scan) if scan else None
    with transaction.atomic():
        request = _lock(request_id)
        _require_officer(actor, request.unit_id)
        if request.status not in (RequestStatus.PUBLISHED, RequestStatus.PARTIALLY_RELEASED):
            raise BlockingError(_("Only a published request can be released."))
        wanted = set(asset_ids)
        if not wanted:
            raise BlockingError(_("Choose the assets this document releases."))
        open_ids = set(
            request.assets.active().filter(released_by__isnull=True).values_list("pk", flat=True)
        )
        if not wanted <= open_ids:
            raise BlockingError(_("Some of the chosen assets are not blocked by this request."))
        release = Release(
            request=request,
            document_number=document_number.strip(),
            document_date=document_date,
            authority_name=(authority_name or request.authority_name).strip(),
            note=note,
            received_at=arrived,
            due_at=due_for(request.unit, arrived),
            entered_at=now,
            entered_by=actor,
        )
        if stored_scan:
            release.scan, release.scan_sha256 = stored_scan
        release.save()
        Asset.objects.filter(pk__in=wanted).update(released_by=release)
        before = request.status
        request.status = derive_status(request)
        request.updated_seq = next_seq()
        request.save(update_fields=["status", "updated_seq"])
        audit_record(
            actor=actor,
            action="blocking.release",
            obj=request,
            from_state=before,
            to_state=request.status,
            note=release.document_number,
            data={
                "release": release.pk,
                "assets": sorted(wanted),
                "due_at": release.due_at.isoformat() if release.due_at else None,
                "late": release.is_late,
            },
        )
    return release


REQUEST_FIELDS = (
    "request_no",
    "kind",
    "authority_name",
    "sender_person",
    "document_number",
    "document_date",
    "received_at",
    "summary",
    "note",
)


def _plain(value: object) -> object:
    """A JSON-friendly copy of a field value for the audit trail."""
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def request_correct(
    *,
    actor: User,
    request_id: int,
    data: RequestInput,
    assets: list[AssetInput],
    scan: File | None = None,
    at: datetime | None = None,
) -> BlockingRequest:
    """Correct an entered (not yet approved) request: fields, assets and owners.

    Refused once approved: from then on a correction needs a new document. Nothing is deleted, so
    a correction may change or add assets and owners but not remove them (an asset or owner entered
    by mistake is withdrawn instead, `withdrawal.py`). `assets` lists the active (not withdrawn)
    assets and owners in order; withdrawn ones stay as they are. The audit event records what
    changed (old and new values; owners by name only).
    """
    now = at or timezone.now()
    stored_scan = None
    with transaction.atomic():
        request = _lock(request_id)
        require_correctable(
            actor,
            request,
            _(
                "Only a request awaiting approval can be corrected; after approval a "
                "correction needs a new document."
            ),
        )
        request_no, owners_checked = check_input(data, assets, now)
        every_asset = list(request.assets.prefetch_related("owners"))
        current = [a for a in every_asset if not a.is_withdrawn]
        # New assets and owners go after every existing one, withdrawn ones included.
        next_asset_position = max((a.position for a in every_asset), default=0) + 1
        if len(assets) < len(current):
            raise BlockingError(
                _(
                    "A correction cannot remove an asset: nothing in the registry is deleted "
                    "(%(n)d assets are recorded)."
                )
                % {"n": len(current)}
            )
        for asset, owners in zip(current, owners_checked, strict=False):
            if len(owners) < len([o for o in asset.owners.all() if not o.is_withdrawn]):
                raise BlockingError(
                    _(
                        "Asset %(n)d: a correction cannot remove an owner: nothing in the "
                        "registry is deleted."
                    )
                    % {"n": asset.position}
                )
        if stored_scan is None and scan:
            stored_scan = checked_scan(scan)
        if (
            request_no != request.request_no
            and BlockingRequest.objects.filter(request_no=request_no).exists()
        ):
            raise BlockingError(
                _("The incoming-register number %(no)s is already used.") % {"no": request_no}
            )
        existing = (
            BlockingRequest.objects.filter(
                authority_key=authority_key(data.authority_name),
                document_number_key=document_key(data.document_number),
                document_date=data.document_date,
            )
            .exclude(pk=request.pk)
            .only("pk", "request_no")
            .first()
        )
        if existing is not None:
            raise DuplicateRequestError(duplicate_message(existing), existing)

        changes: dict = {}
        new_values = {
            "request_no": request_no,
            "kind": data.kind,
            "authority_name": data.authority_name.strip(),
            "sender_person": data.sender_person.strip(),
            "document_number": data.document_number.strip(),
            "document_date": data.document_date,
            "received_at": data.received_at,
            "summary": data.summary,
            "note": data.note,
        }
        for name in REQUEST_FIELDS:
            old = getattr(request, name)
            if old != new_values[name]:
                changes[name] = [_plain(old), _plain(new_values[name])]
                setattr(request, name, new_values[name])
        if request.authority_type_id != data.authority_type.pk:
            changes["authority_type"] = [request.authority_type.code, data.authority_type.code]
            request.authority_type = data.authority_type
        request.authority_key = authority_key(request.authority_name)
        request.document_number_key = document_key(request.document_number)
        if "received_at" in changes:
            request.due_at = due_for(request.unit, request.received_at)
        if stored_scan:
            request.scan, request.scan_sha256 = stored_scan
            changes["scan"] = [None, request.scan_sha256]

        asset_changes: dict = {}
        pairs = []
        for position, (asset_input, owners) in enumerate(
            zip(assets, owners_checked, strict=True), start=1
        ):
            values: dict[str, Any] = {name: None for name in ("certificate_date", "area")}
            values.update({name: "" for name in ASSET_FIELDS if name not in values})
            for key, value in asset_input.fields.items():
                if key in ASSET_FIELDS:
                    values[key] = value.strip() if isinstance(value, str) else value
            values["asset_type"] = asset_input.asset_type
            if position <= len(current):
                asset = current[position - 1]
                diff: dict[str, Any] = {}
                for key, value in values.items():
                    old = getattr(asset, key)
                    if old != value and not (old in ("", None) and value in ("", None)):
                        diff[key] = [_plain(old), _plain(value)]
                        setattr(asset, key, value)
                if diff:
                    asset.save()
                every_owner = list(asset.owners.all())
            else:
                asset = Asset.objects.create(
                    request=request, position=next_asset_position, **values
                )
                next_asset_position += 1
                diff = {"added": True}
                every_owner = []
            old_owners = [o for o in every_owner if not o.is_withdrawn]
            next_owner_position = max((o.position for o in every_owner), default=0) + 1
            owner_rows = []
            owner_diff = False
            for i, (name, id_type, idn, year) in enumerate(owners, start=1):
                if i <= len(old_owners):
                    row = old_owners[i - 1]
                    new = (name, id_type, idn, year)
                    if (row.name, row.id_type, row.id_number, row.birth_year) != new:
                        row.name, row.id_type, row.id_number, row.birth_year = new
                        row.save(update_fields=["name", "id_type", "id_number", "birth_year"])
                        owner_diff = True
                else:
                    row = Owner.objects.create(
                        asset=asset,
                        position=next_owner_position,
                        name=name,
                        id_type=id_type,
                        id_number=idn,
                        birth_year=year,
                    )
                    next_owner_position += 1
                    owner_diff = True
                owner_rows.append(row)
            if owner_diff:
                diff["owners"] = [[o.name for o in old_owners], [o[0] for o in owners]]
            if diff:
                asset_changes[str(asset.position)] = diff
            pairs.append((asset, owner_rows))

        if not changes and not asset_changes:
            raise BlockingError(_("Nothing was changed."))
        request.updated_seq = next_seq()
        request.save()
        write_keys(request, pairs)
        audit_record(
            actor=actor,
            action="blocking.correct",
            obj=request,
            from_state=request.status,
            to_state=request.status,
            note=request.request_no,
            data={"fields": changes, "assets": asset_changes},
        )
    return request
