"""The blocking registry (DOMAIN §11): requests from authorities, their assets and owners, releases,
a denormalised search table, and the notaries' append-only look-up log.

Nothing here is ever deleted: every model's `delete()` refuses, admin offers no delete, and all writes
go through `services.py` (one audit event each).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from motcua.audit.models import AppendOnlyModel
from motcua.core.identity import IdType
from motcua.orgs.models import Unit

from .choices import AssetType, KeyKind, Kind, RequestStatus


class NeverDeleted(models.Model):
    """Rows of the registry are kept forever: a release is a new fact, not a deletion."""

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{type(self).__name__} rows are never deleted.")


class WithdrawableQuerySet(models.QuerySet):
    """Assets and owners: `active()` leaves out those withdrawn as entered by mistake."""

    def active(self):
        return self.filter(withdrawn_at__isnull=True)

    def withdrawn(self):
        return self.filter(withdrawn_at__isnull=False)


def withdrawal_constraint(prefix: str) -> models.CheckConstraint:
    """Withdrawn ⇔ a time and a reason; not withdrawn ⇔ no time, no officer, no reason."""
    return models.CheckConstraint(
        condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True, withdrawn_reason="")
        | (Q(withdrawn_at__isnull=False) & ~Q(withdrawn_reason="")),
        name=f"{prefix}_withdrawn_has_reason",
    )


class AuthorityType(models.Model):
    """Editable list of sender types: court, procuracy, enforcement office, police, … (DOMAIN §11)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    competent = models.BooleanField(
        _("competent to block"),
        default=True,
        help_text=_("Documents from other senders are kept as reference / warning only."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("authority type")
        verbose_name_plural = _("authority types")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class SyncCounter(models.Model):
    """A database counter (never a timestamp) that orders changes for the national-database export."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class BlockingRequest(NeverDeleted):
    """One document received from an authority asking to block (or warn about) one or more assets."""

    sync_id = models.UUIDField(_("sync ID"), default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="blocking_requests")
    request_no = models.CharField(_("incoming-register number"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.BLOCKING)
    authority_type = models.ForeignKey(
        AuthorityType,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("authority type"),
    )
    authority_name = models.CharField(_("sending authority"), max_length=255)
    # Folded / normalised copies for the duplicate rule (same authority, document number and date).
    authority_key = models.CharField(max_length=255, editable=False)
    sender_person = models.CharField(_("sender (person)"), max_length=200, blank=True)
    document_number = models.CharField(_("document number"), max_length=100)
    document_number_key = models.CharField(max_length=100, editable=False)
    document_date = models.DateField(_("document date"))
    received_at = models.DateTimeField(_("received at"))
    calendar_name = models.CharField(_("working calendar"), max_length=50, default="hue")
    due_at = models.DateTimeField(_("publish by"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    note = models.TextField(_("note"), blank=True)
    scan = models.FileField(_("scanned document"), upload_to="blocking/%Y/", blank=True)
    scan_sha256 = models.CharField(max_length=64, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus, default=RequestStatus.ENTERED
    )
    entered_at = models.DateTimeField(_("entered at"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    legacy = models.BooleanField(_("imported from the old system"), default=False)
    # Issue 16: received from the national notarization database (sync), not entered here.
    from_national = models.BooleanField(_("from the national database"), default=False)
    updated_seq = models.BigIntegerField(default=0, db_index=True, editable=False)

    class Meta:
        verbose_name = _("blocking request")
        verbose_name_plural = _("blocking requests")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority_key", "document_number_key", "document_date"],
                name="blocking_request_no_duplicate_document",
            ),
            # Four-eyes (issue 4): the officer who entered a request never approves it.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | Q(entered_by__isnull=True)
                | ~Q(approved_by=F("entered_by")),
                name="blocking_request_four_eyes",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status", "received_at"], name="blocking_worklist")]

    def __str__(self) -> str:
        return f"{self.request_no} – {self.authority_name} {self.document_number}"


class Release(NeverDeleted):
    """A later document from the authority releasing some or all assets of a request."""

    sync_id = models.UUIDField(_("sync ID"), default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(BlockingRequest, on_delete=models.PROTECT, related_name="releases")
    document_number = models.CharField(_("release document number"), max_length=100)
    document_date = models.DateField(_("release document date"), null=True, blank=True)
    authority_name = models.CharField(_("releasing authority"), max_length=255, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    # DOMAIN §11: the same procedure covers release: due its time limit (16 working hours) after
    # the release document arrives; recorded (`entered_at`) after that is late. Null: imported.
    due_at = models.DateTimeField(_("release by"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    scan = models.FileField(_("scanned document"), upload_to="blocking/%Y/", blank=True)
    scan_sha256 = models.CharField(max_length=64, blank=True)
    entered_at = models.DateTimeField(_("entered at"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["request", "id"]

    def __str__(self) -> str:
        return self.document_number

    @property
    def is_late(self) -> bool:
        """Recorded after its due time (DOMAIN §11)."""
        return self.due_at is not None and self.entered_at > self.due_at


class Asset(NeverDeleted):
    """An asset named in a request: land / house, vehicle, or other (DOMAIN §11)."""

    sync_id = models.UUIDField(_("sync ID"), default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(BlockingRequest, on_delete=models.PROTECT, related_name="assets")
    position = models.PositiveSmallIntegerField(default=1)
    asset_type = models.CharField(_("asset type"), max_length=10, choices=AssetType)
    # land / house
    certificate_serial = models.CharField(_("certificate serial"), max_length=50, blank=True)
    certificate_issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    certificate_date = models.DateField(_("issued on"), null=True, blank=True)
    parcel_number = models.CharField(_("parcel number"), max_length=30, blank=True)
    map_sheet = models.CharField(_("map sheet"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    area = models.DecimalField(
        _("area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    use_purpose = models.CharField(_("use purpose"), max_length=200, blank=True)
    land_term = models.CharField(_("term of use"), max_length=100, blank=True)
    land_origin = models.CharField(_("origin of use"), max_length=200, blank=True)
    attached_assets = models.TextField(_("attached assets"), blank=True)
    # vehicle
    plate = models.CharField(_("plate"), max_length=20, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=50, blank=True)
    frame_number = models.CharField(_("frame number"), max_length=50, blank=True)
    engine_number = models.CharField(_("engine number"), max_length=50, blank=True)
    # other
    description = models.TextField(_("description"), blank=True)

    released_by = models.ForeignKey(
        Release,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("released by"),
    )
    # Withdrawn before approval because it was entered by mistake (`withdrawal.py`): kept, shown
    # struck through to the registry's staff, left out of search, export and the published record.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)

    objects = WithdrawableQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["request", "position", "id"]
        constraints = [
            withdrawal_constraint("blocking_asset"),
            # A withdrawn asset was never blocked, so it cannot be released (and vice versa).
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(released_by__isnull=True),
                name="blocking_asset_withdrawn_not_released",
            ),
        ]

    def __str__(self) -> str:
        return self.label()

    def label(self) -> str:
        """One line describing the asset, as notaries read it."""
        if self.asset_type == AssetType.LAND:
            parts = []
            if self.certificate_serial:
                parts.append(f"GCN {self.certificate_serial}")
            if self.parcel_number or self.map_sheet:
                parts.append(f"thửa {self.parcel_number or '?'}, tờ {self.map_sheet or '?'}")
            if self.address:
                parts.append(self.address)
            return "; ".join(parts) or "—"
        if self.asset_type == AssetType.VEHICLE:
            parts = [
                f"{label} {value}"
                for label, value in (
                    ("BKS", self.plate),
                    ("số ĐK", self.registration_number),
                    ("số khung", self.frame_number),
                    ("số máy", self.engine_number),
                )
                if value
            ]
            return "; ".join(parts) or "—"
        return self.description or "—"

    @property
    def is_released(self) -> bool:
        return self.released_by_id is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Owner(NeverDeleted):
    """An owner (or user) of an asset: name, identity document (type + number), birth year.

    DOMAIN §12: a person's CCCD (12 digits) or legacy CMND (9), a foreigner's passport, an
    enterprise / organisation code; rows from before the type existed were typed by shape
    (migration 0007)."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="owners")
    position = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("full name"), max_length=200)
    id_type = models.CharField(
        _("identity document type"), max_length=10, choices=IdType, blank=True
    )
    id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    # Withdrawn before approval because it was entered by mistake (`withdrawal.py`): kept, shown
    # struck through to the registry's staff, left out of search, export and the published record.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)

    objects = WithdrawableQuerySet.as_manager()

    class Meta:
        verbose_name = _("owner")
        verbose_name_plural = _("owners")
        ordering = ["asset", "position", "id"]
        constraints = [withdrawal_constraint("blocking_owner")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class SearchKey(models.Model):
    """Denormalised search table: folded names / words and normalised identifiers of every asset.

    Look-ups are equality or prefix *ranges* (`value >= 'abc' AND value < 'abd'`) on the
    (kind, value) b-tree, which both SQLite and PostgreSQL answer from the index. Values are ASCII
    lowercase letters, digits and spaces (see `keys`); on PostgreSQL the column is in the "C"
    collation (migration 0005) so the ranges follow byte order whatever the database default.
    """

    # No database foreign-key constraints: this is a derived index rebuilt by the services, and
    # per-row constraint triggers would dominate a bulk import of millions of rows.
    asset = models.ForeignKey(
        Asset, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    request = models.ForeignKey(
        BlockingRequest,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    unit_id_copy = models.IntegerField()
    published = models.BooleanField(default=False)
    kind = models.CharField(max_length=1, choices=KeyKind)
    value = models.CharField(max_length=100)

    # The record an asset's rows share, indexed: the bounded any-order match checks its other
    # words on a candidate's own rows through it (`search._any_order`).
    group_field = "request_id"

    class Meta:
        indexes = [
            # Covering (issue 16): a look-up's range reads asset, record and visibility from
            # the index alone (an index-only scan on PostgreSQL), not one heap page per hit.
            models.Index(
                fields=["kind", "value", "asset", "request", "published", "unit_id_copy"],
                name="blocking_key_value",
            ),
            models.Index(fields=["request"], name="blocking_key_request"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class SearchLog(AppendOnlyModel):
    """One look-up: who, from which office, when, the query and how many results (append-only)."""

    who = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    office = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("at"), db_index=True)
    query = models.CharField(_("query"), max_length=300)
    criteria = models.JSONField(default=dict, blank=True)
    result_count = models.PositiveIntegerField(_("number of results"))
    truncated = models.BooleanField(default=False)
    # What was shown, frozen at the time of the look-up (for the certificate).
    results = models.JSONField(default=list, blank=True)
    # Issue 16: the warnings shown above the results (active_block, prior_transfer, mortgaged).
    warnings = models.JSONField(default=list, blank=True)
    token = models.CharField(max_length=40, unique=True)
    digest = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("look-up")
        verbose_name_plural = _("look-up log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["office", "at"], name="blocking_log_office")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.query}"


# --- authorities' own accounts (issue 16) --------------------------------------------------------
class SenderUnit(models.Model):
    """An authority (court, enforcement office, police…) whose staff send blocking information to
    the registry on the site: the authority is an `orgs.Unit`; every member of it may submit
    (DOMAIN §11: "đơn vị gửi thông tin ngăn chặn"), the registry's officers still enter and approve."""

    unit = models.OneToOneField(
        Unit, on_delete=models.PROTECT, related_name="blocking_sender", verbose_name=_("authority")
    )
    authority_type = models.ForeignKey(
        AuthorityType, on_delete=models.PROTECT, related_name="+", verbose_name=_("authority type")
    )
    registry = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="blocking_senders",
        verbose_name=_("registry receiving its documents"),
    )
    active = models.BooleanField(_("may submit"), default=True)

    class Meta:
        verbose_name = _("authority sending blocking information")
        verbose_name_plural = _("authorities sending blocking information")

    def __str__(self) -> str:
        return str(self.unit)


class SubmissionStatus(models.TextChoices):
    """A submission waits for the registry, becomes a request (whose status it then follows), or is
    refused with a reason."""

    SUBMITTED = "submitted", _("submitted, awaiting the registry")
    ACCEPTED = "accepted", _("accepted by the registry")
    REFUSED = "refused", _("refused")


class Submission(NeverDeleted):
    """A blocking (or release-free) request sent by an authority on the site, with its document."""

    sync_id = models.UUIDField(_("sync ID"), default=uuid.uuid4, unique=True, editable=False)
    sender = models.ForeignKey(SenderUnit, on_delete=models.PROTECT, related_name="submissions")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.BLOCKING)
    sender_person = models.CharField(_("sender (person)"), max_length=200, blank=True)
    document_number = models.CharField(_("document number"), max_length=100)
    document_date = models.DateField(_("document date"))
    summary = models.TextField(_("summary"))
    scan = models.FileField(_("scanned document"), upload_to="blocking/%Y/")
    scan_sha256 = models.CharField(max_length=64)
    # Assets with their owners as the entry form reads them (checked on submission).
    assets = models.JSONField(default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus, default=SubmissionStatus.SUBMITTED
    )
    request = models.OneToOneField(
        BlockingRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submission",
        verbose_name=_("request"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)

    class Meta:
        verbose_name = _("submission from an authority")
        verbose_name_plural = _("submissions from authorities")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="submitted", request__isnull=True, refusal_reason="")
                | Q(status="accepted", request__isnull=False)
                | (Q(status="refused", request__isnull=True) & ~Q(refusal_reason="")),
                name="blocking_submission_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sender} {self.document_number}"
