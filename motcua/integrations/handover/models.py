"""API clients (other systems), their short-lived access tokens, and the dossiers they handed over."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.orgs.models import Unit


class Scope(models.TextChoices):
    HANDOVER = "handover", _("hand over dossiers and read their status and result")


class ApiClient(models.Model):
    """Another system (e.g. the provincial one-stop system) allowed to call motcua's API.

    The secret is never stored: only its SHA-256 (it is 256 random bits, so a fast hash is enough;
    ASVS 2.4 targets low-entropy passwords). Calls act as `user`, a service account with no password
    and no role, so every dossier event and audit event names the client.
    """

    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="api_clients")
    client_id = models.CharField(_("client id"), max_length=40, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.CharField(
        _("scopes"), max_length=200, default=Scope.HANDOVER, help_text=_("Separated by spaces.")
    )
    active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_client",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())


class AccessToken(models.Model):
    """An OAuth2 bearer token (client-credentials grant); only its SHA-256 is stored."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.CharField(max_length=200)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="api_token_expiry")]

    def __str__(self) -> str:
        return f"{self.client_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class Handover(models.Model):
    """Which client handed a dossier over, and a digest of what it sent (for idempotent repeats)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="handover"
    )
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="handovers")
    payload_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("handed-over dossier")
        verbose_name_plural = _("handed-over dossiers")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} ← {self.client_id}"
