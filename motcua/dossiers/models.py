"""Dossiers and what happens to them: steps, events, documents, attachments, transfers."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Replace, Upper
from django.utils.translation import gettext_lazy as _

from motcua.audit.models import AppendOnlyModel
from motcua.core.identity import IdType
from motcua.core.sqltime import LocalDate
from motcua.core.text import fold
from motcua.orgs.choices import Role
from motcua.orgs.models import Unit
from motcua.procedures.choices import DocumentForm
from motcua.procedures.models import Procedure

from .choices import AttachmentKind, Channel, ResultDelivery, Status
from .formsets import FormKind

#: The statuses on the staff worklist (forms.WORKLIST_STATUSES is this tuple).
OPEN_STATUSES = (
    Status.SUBMITTED_ONLINE,
    Status.RECEIVED,
    Status.IN_PROGRESS,
    Status.WAITING_SUPPLEMENT,
    Status.WAITING_PAYMENT,
    Status.RESULT_READY,
)


class Dossier(models.Model):
    """An applicant's dossier for one procedure; its code never changes (DOMAIN §4, §5)."""

    code = models.CharField(_("dossier code"), max_length=40, unique=True)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers")
    # The unit as it was at reception (DOMAIN §14): never rewritten by a reorganisation.
    # No index of its own: `dossier_worklist` starts with it.
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="dossiers", db_index=False
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    status = models.PositiveSmallIntegerField(_("status"), choices=Status)
    rule_version = models.CharField(_("rule version"), max_length=20, default="118/2025")

    applicant_name = models.CharField(_("applicant name"), max_length=200)
    # Diacritics-folded copy of the name for the staff worklist search ("nguyen van an").
    applicant_name_folded = models.CharField(max_length=200, blank=True, editable=False)
    # DOMAIN §12: an identity is a document type and a number (CCCD, CMND, passport, org code…).
    applicant_id_type = models.CharField(
        _("identity document type"), max_length=10, choices=IdType, blank=True
    )
    applicant_id_number = models.CharField(_("identity document number"), max_length=20, blank=True)
    # The number's search key (core.validators.id_search_key: uppercase, no spaces, dots or
    # dashes), kept by the database itself: "the same person" when digitised documents are
    # offered for reuse at intake (issue 15; DOMAIN §7, 4.3). Stored numbers are canonical per
    # type (ASCII), so these three replacements are the whole normalisation.
    applicant_id_key = models.GeneratedField(
        expression=Upper(
            Replace(
                Replace(
                    Replace("applicant_id_number", Value(" "), Value("")), Value("."), Value("")
                ),
                Value("-"),
                Value(""),
            )
        ),
        output_field=models.CharField(max_length=20),
        db_persist=True,
    )
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("email"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=300, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        db_index=False,  # partial index below
    )

    sets_count = models.PositiveSmallIntegerField(_("number of sets"), default=1)
    result_delivery = models.CharField(
        _("result delivery"), max_length=10, choices=ResultDelivery, default=ResultDelivery.DESK
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    intake_due_at = models.DateTimeField(
        _("accept or return online dossier by"), null=True, blank=True
    )
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    # The worklist's sort key (issue 17): an online dossier not yet received is due by its intake
    # limit, any other by its due time. Stored and kept by the database itself (no service has to
    # maintain it), so the worklist's first page is a range scan of `dossier_open_by_due`.
    worklist_due = models.GeneratedField(
        expression=models.Case(
            models.When(status=Status.SUBMITTED_ONLINE, then=models.F("intake_due_at")),
            default=models.F("due_at"),
        ),
        output_field=models.DateTimeField(null=True),
        db_persist=True,
    )
    # The appointment given at reception (form 01), before any pause for a supplement moved
    # `due_at`: the national scorer compares against it and subtracts the waiting time instead
    # (DOMAIN §7, 2.1). Null for legacy rows that only know `due_at`.
    initial_due_at = models.DateTimeField(
        _("appointment given at reception"), null=True, blank=True
    )
    # Pause mode (DOMAIN §4): when the clock stopped; the due time shifts on resumption.
    clock_paused_at = models.DateTimeField(null=True, blank=True)
    new_appointment_at = models.DateTimeField(_("new appointment"), null=True, blank=True)
    apology_reason = models.TextField(_("reason for the delay"), blank=True)
    finished_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("result returned at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_reason = models.TextField(_("reason"), blank=True)
    # Local calendar dates of settling and of the due time, computed and stored by the database
    # from the two timestamps (never written by the code): the timeliness rule of the reports
    # (DOMAIN §6, early = settled on a date before the due date) compares them directly.
    finished_on = models.GeneratedField(
        expression=LocalDate("finished_at"), output_field=models.DateField(), db_persist=True
    )
    due_on = models.GeneratedField(
        expression=LocalDate("due_at"), output_field=models.DateField(), db_persist=True
    )
    # Supplements after reception (DOMAIN §4, §7 2.1): how many were requested, and the last
    # request and completion (the citizen's waiting time is completed − requested).
    supplement_requests = models.PositiveSmallIntegerField(
        _("supplement requests after reception"), default=0
    )
    supplement_requested_at = models.DateTimeField(
        _("supplement requested at"), null=True, blank=True
    )
    supplement_completed_at = models.DateTimeField(
        _("supplement completed at"), null=True, blank=True
    )
    # What the national index (DOMAIN §7) reads besides the lifecycle: when the national portal
    # received the dossier (1.4), the electronic result (3.3, 4.1), digitisation and reuse marks
    # (4.2–4.5, summaries of the documents' own marks), online payment and the fee (3.6).
    synced_at = models.DateTimeField(_("synced to the national portal at"), null=True, blank=True)
    result_number = models.CharField(_("result number"), max_length=100, blank=True)
    electronic_result = models.BooleanField(_("electronic result issued"), default=False)
    digitised = models.BooleanField(_("documents digitised"), default=False)
    reused_data = models.BooleanField(_("reuses digitised data"), default=False)
    from_data_store = models.BooleanField(
        _("uses the citizen's national data store"), default=False
    )
    vneid_verified = models.BooleanField(_("applicant account verified with VNeID"), default=False)
    paid_online = models.BooleanField(_("fee paid online"), default=False)
    fee = models.DecimalField(
        _("fee charged (VND)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    # Register book (sổ theo dõi, DOMAIN §5): numbered per book (unit and year), not per day.
    register_book = models.ForeignKey(
        "RegisterBook",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        db_index=False,  # partial index below
    )
    register_number = models.PositiveIntegerField(_("register entry number"), null=True)
    current_step = models.ForeignKey(
        "DossierStep",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # partial index below
    )
    is_historical = models.BooleanField(_("imported from a legacy system"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["unit", "status", "due_at"], name="dossier_worklist"),
            models.Index(fields=["received_at"], name="dossier_received"),
            models.Index(fields=["finished_at"], name="dossier_finished"),
            models.Index(fields=["applicant_id_key"], name="dossier_applicant_id_key"),
            # Open dossiers only (the worklist's statuses, dossiers/forms.py WORKLIST_STATUSES).
            models.Index(
                fields=["unit", "worklist_due", "id"],
                name="dossier_open_by_due",
                condition=Q(status__in=OPEN_STATUSES),
            ),
            # Foreign keys most dossiers leave empty (every imported one; a counter dossier has no
            # applicant account; a settled one no current step): only the rows that have one are
            # indexed. `col = x` and `col IN (…)` imply `IS NOT NULL`, so look-ups and the
            # database's own foreign-key checks use them (issue 17: each index costs every insert).
            *(
                models.Index(
                    fields=[name], name=f"dossier_{name}", condition=Q(**{f"{name}__isnull": False})
                )
                for name in ("applicant_user", "register_book", "current_step")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_at__isnull=True)
                | Q(due_at__isnull=True)
                | Q(due_at__gte=models.F("received_at")),
                name="dossier_due_after_received",
            )
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        # A derived search column, not business logic; bulk_create callers set it themselves.
        self.applicant_name_folded = fold(self.applicant_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "applicant_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "applicant_name_folded"}
        super().save(*args, **kwargs)

    @property
    def status_label(self) -> str:
        return Status(self.status).label


class RegisterBook(models.Model):
    """A register book (sổ theo dõi hồ sơ) of a unit and year, with its own entry counter."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="register_books")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("book number"), default=1)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("register book")
        verbose_name_plural = _("register books")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="register_book_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} #{self.number}: {self.last}"


class DossierSequence(models.Model):
    """Per agency and reception day, the last sequence number used in dossier codes."""

    agency_code = models.CharField(max_length=20)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency_code", "day"], name="dossier_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_code} {self.day}: {self.last}"


class DossierStep(models.Model):
    """One internal step of a dossier (form 05 line): who had it, from when, until when."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255)
    role = models.CharField(max_length=20, choices=Role)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "started_at", "id"]
        indexes = [models.Index(fields=["unit", "finished_at", "due_at"], name="step_open")]

    def __str__(self) -> str:
        return f"{self.dossier.code} #{self.order} {self.name}"


class DossierEvent(AppendOnlyModel):
    """Append-only timeline of a dossier; `public` events are shown on the tracking page."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # partial index below: imports and the system's own lines have none
    )
    action = models.CharField(max_length=40)
    from_status = models.PositiveSmallIntegerField(null=True, choices=Status)
    to_status = models.PositiveSmallIntegerField(null=True, choices=Status)
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True)

    class Meta:
        ordering = ["dossier", "at", "id"]
        indexes = [
            models.Index(
                fields=["actor"], name="dossierevent_actor", condition=Q(actor__isnull=False)
            )
        ]


class DossierDocument(models.Model):
    """A document on the intake checklist of a dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(max_length=500)
    form = models.CharField(max_length=20, choices=DocumentForm)
    count = models.PositiveSmallIntegerField(default=1)
    # DOMAIN §7, 4.2–4.4: the component has a file (digitised), was reused from digitised data,
    # or was taken from the citizen's data store on the national portal.
    digitised = models.BooleanField(_("digitised"), default=False)
    reused = models.BooleanField(_("reused from digitised data"), default=False)
    from_data_store = models.BooleanField(_("from the citizen's data store"), default=False)

    class Meta:
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.name


class Attachment(models.Model):
    """An uploaded file; stored under a generated name, downloaded only through an access check."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10, choices=AttachmentKind, default=AttachmentKind.SUBMITTED)
    original_name = models.CharField(max_length=255)
    storage_name = models.CharField(max_length=100, unique=True)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # DOMAIN §7, 4.2–4.3 (issue 15): the component of the dossier this file digitises, and the
    # earlier file of the same person it was reused from (a copy: the old one may be deleted).
    document = models.ForeignKey(
        DossierDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("component"),
    )
    reused_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reused from"),
    )

    class Meta:
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.original_name


class Transfer(models.Model):
    """Inter-agency processing (liên thông): the coordinating agency's own time slot (DOMAIN §4)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="transfers")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    due_at = models.DateTimeField()
    returned_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "sent_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.to_unit_id}"


class FormTemplate(models.Model):
    """A printed form of one rule version (number, title, legal basis); law is data (DOMAIN §5).

    Rows override the built-in sets of `formsets.py`; seeded by migration 0007.
    """

    rule_version = models.CharField(_("rule version"), max_length=20)
    kind = models.CharField(_("form"), max_length=20, choices=FormKind)
    number = models.CharField(_("form number"), max_length=4)
    title = models.CharField(_("title"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("form template")
        verbose_name_plural = _("form templates")
        ordering = ["rule_version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["rule_version", "kind"], name="form_template_kind"),
            models.UniqueConstraint(fields=["rule_version", "number"], name="form_template_number"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_version} · {self.number} {self.title}"
