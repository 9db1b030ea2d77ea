"""Append-only records: who did what to which object, and who looked at whose personal data."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on an attempt to change or delete an append-only record."""


class AppendOnlyQuerySet(models.QuerySet):
    """Queryset that refuses bulk update and delete."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only; update refused.")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only; delete refused.")


class AppendOnlyModel(models.Model):
    """Base for rows that may be inserted but never changed or deleted (ASVS 7.3.3)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only; update refused.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only; delete refused.")


class ChainedModel(AppendOnlyModel):
    """An append-only row that also carries the hash of the previous row of its table.

    Issue 13 gap 4: `hash` is SHA-256 over a canonical JSON of `CHAIN_FIELDS` and `prev_hash`
    (motcua/audit/chain.py); `seq` numbers the chain without gaps. A changed, removed or inserted
    row breaks the chain, and `motcua audit verify` names the first broken one.
    """

    CHAIN_FIELDS: tuple[str, ...] = ()

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only; update refused.")
        from motcua.audit.chain import append

        # One INSERT that reads the chain's tail itself (issue 17); no pre/post_save receivers
        # exist for the chained tables.
        append(self, using=kwargs.get("using"))


class AuditEvent(ChainedModel):
    """One action by an actor (or the system) on an object, with the state change it made."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    from_state = models.CharField(_("from state"), max_length=50, blank=True)
    to_state = models.CharField(_("to state"), max_length=50, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    CHAIN_FIELDS = (
        "at", "actor_id", "action", "object_type", "object_id",
        "from_state", "to_state", "note", "data", "ip",
    )  # fmt: skip

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_event_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"


class PersonalDataAccess(ChainedModel):
    """A look at a person's data: who, when, whose, and why (Law 91/2025/QH15 accountability)."""

    who = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    subject_type = models.CharField(_("subject type"), max_length=100)
    subject_id = models.CharField(_("subject ID"), max_length=64)
    purpose = models.CharField(_("purpose"), max_length=255)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    CHAIN_FIELDS = ("at", "who_id", "subject_type", "subject_id", "purpose", "ip")

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="audit_pda_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.subject_type}:{self.subject_id} ({self.purpose})"
