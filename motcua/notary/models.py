"""Notarized contracts and transactions (DOMAIN §11): what the notary organisations send, beside the
blocks, so that a notary's look-up catches a double sale or the sale of a mortgaged asset.

The notary organisation is an `orgs.Unit` (kind `notary_office`, or any unit whose members hold the
notary role). Nothing is ever deleted: a correction keeps the earlier rows (superseded, with a
revision snapshot), a cancellation is a later contract pointing to the one it cancels, a mortgage
release is a dated fact on the mortgage.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.audit.models import AppendOnlyModel
from motcua.blocking.choices import AssetType, KeyKind
from motcua.core.identity import IdType
from motcua.orgs.models import Unit

from .choices import PartyRole, Source, TxKind, TxStatus


class NeverDeleted(models.Model):
    """Rows are kept forever: a cancellation or a correction is a new fact, not a deletion."""

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{type(self).__name__} rows are never deleted.")


class CurrentQuerySet(models.QuerySet):
    """Assets and parties: `current()` leaves out rows superseded by a correction."""

    def current(self):
        return self.filter(superseded_at__isnull=True)


class Transaction(NeverDeleted):
    """One notarized contract or transaction of a notary organisation."""

    sync_id = models.UUIDField(_("sync ID"), default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="notary_transactions",
        verbose_name=_("notary organisation"),
    )
    contract_no = models.CharField(_("contract number"), max_length=60)
    # Normalised (`keys.ident_key`) for idempotency: "123/2025/HĐCN" and "123-2025-hđcn" are one.
    contract_no_key = models.CharField(max_length=60, editable=False)
    contract_date = models.DateField(_("contract date"))
    notary_name = models.CharField(_("notary"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TxKind)
    value = models.DecimalField(
        _("declared value (VND)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    scan = models.FileField(_("scanned contract"), upload_to="notary/%Y/", blank=True)
    scan_sha256 = models.CharField(max_length=64, blank=True)
    cancels = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cancellations",
        verbose_name=_("cancels contract"),
    )
    cancelled_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    released_at = models.DateTimeField(_("mortgage released at"), null=True, blank=True)
    release_note = models.TextField(_("release note"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.ENTERED)
    # The national database's stable id of the record (national sync); null for local records.
    national_id = models.CharField(
        _("national sync ID"), max_length=64, null=True, blank=True, unique=True
    )
    entered_at = models.DateTimeField(_("entered at"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"))
    version = models.PositiveIntegerField(default=1)
    # The export cursor (`blocking.SyncCounter` "notary"), bumped by every change.
    updated_seq = models.BigIntegerField(default=0, db_index=True, editable=False)

    class Meta:
        verbose_name = _("notarized transaction")
        verbose_name_plural = _("notarized transactions")
        ordering = ["-contract_date", "-id"]
        constraints = [
            # Idempotency of imports and API calls: one contract number per organisation.
            models.UniqueConstraint(
                fields=["office", "contract_no_key"], name="notary_tx_one_number_per_office"
            ),
            models.CheckConstraint(
                condition=Q(kind=TxKind.CANCELLATION) | Q(cancels__isnull=True),
                name="notary_tx_only_cancellation_cancels",
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(kind=TxKind.MORTGAGE),
                name="notary_tx_only_mortgage_released",
            ),
        ]
        indexes = [models.Index(fields=["office", "-contract_date"], name="notary_tx_office")]

    def __str__(self) -> str:
        return f"{self.contract_no} ({self.office})"

    @property
    def status(self) -> str:
        if self.cancelled_by_id:
            return TxStatus.CANCELLED
        if self.released_at:
            return TxStatus.RELEASED
        return TxStatus.VALID

    @property
    def status_label(self) -> str:
        return str(TxStatus(self.status).label)


class TxAsset(NeverDeleted):
    """An asset of a transaction, with the same identifiers as a blocked asset (DOMAIN §11)."""

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="assets")
    position = models.PositiveSmallIntegerField(default=1)
    asset_type = models.CharField(_("asset type"), max_length=10, choices=AssetType)
    certificate_serial = models.CharField(_("certificate serial"), max_length=50, blank=True)
    parcel_number = models.CharField(_("parcel number"), max_length=30, blank=True)
    map_sheet = models.CharField(_("map sheet"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    plate = models.CharField(_("plate"), max_length=20, blank=True)
    frame_number = models.CharField(_("frame number"), max_length=50, blank=True)
    engine_number = models.CharField(_("engine number"), max_length=50, blank=True)
    description = models.TextField(_("description"), blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset of a transaction")
        verbose_name_plural = _("assets of transactions")
        ordering = ["transaction", "position", "id"]

    def __str__(self) -> str:
        return self.label()

    def label(self) -> str:
        """One line describing the asset, as notaries read it (as `blocking.Asset.label`)."""
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
                    ("số khung", self.frame_number),
                    ("số máy", self.engine_number),
                )
                if value
            ]
            return "; ".join(parts) or "—"
        return self.description or "—"


class TxParty(NeverDeleted):
    """A party to the contract with its role and identity document (DOMAIN §12: type + number)."""

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="parties")
    position = models.PositiveSmallIntegerField(default=1)
    role = models.CharField(_("role"), max_length=20, choices=PartyRole)
    name = models.CharField(_("full name"), max_length=200)
    id_type = models.CharField(
        _("identity document type"), max_length=10, choices=IdType, blank=True
    )
    id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["transaction", "position", "id"]

    def __str__(self) -> str:
        return self.name


class TxRevision(AppendOnlyModel):
    """What a transaction said before a correction or a cancellation (append-only history)."""

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="revisions")
    version = models.PositiveIntegerField()
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20)
    reason = models.TextField(_("reason"), blank=True)
    before = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("revision of a transaction")
        verbose_name_plural = _("revisions of transactions")
        ordering = ["transaction", "version", "id"]

    def __str__(self) -> str:
        return f"{self.transaction_id} v{self.version} {self.action}"


class TxKey(models.Model):
    """Search rows of transactions: the same kinds and normalisation as `blocking.SearchKey`.

    On PostgreSQL the value is in the "C" collation (migration 0002), as the blocks' keys."""

    # A derived index rebuilt by the services: no database constraints (bulk imports).
    asset = models.ForeignKey(
        TxAsset, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    transaction = models.ForeignKey(
        Transaction,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    kind = models.CharField(max_length=1, choices=KeyKind)
    value = models.CharField(max_length=100)

    # The record an asset's rows share, indexed (`blocking.search._any_order`).
    group_field = "transaction_id"

    class Meta:
        indexes = [
            # Covering (issue 16): a look-up's range reads the asset and the transaction from
            # the index alone (an index-only scan on PostgreSQL).
            models.Index(fields=["kind", "value", "asset", "transaction"], name="notary_key_value"),
            models.Index(fields=["transaction"], name="notary_key_tx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class ApiToken(models.Model):
    """A notary organisation's key for its own software (`Authorization: Bearer …`).

    Only a SHA-256 of the key is stored; the key is shown once when an administrator creates it."""

    office = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="notary_tokens", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("key prefix"), max_length=12, editable=False)
    key_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notary API token")
        verbose_name_plural = _("notary API tokens")

    def __str__(self) -> str:
        return f"{self.office} – {self.name} ({self.prefix}…)"
