"""Who may sign with which key, and the signed results that the public verification page shows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Attachment, Dossier


class KeyKind(models.TextChoices):
    PKCS11 = "pkcs11", _("token or HSM (PKCS#11)")
    PKCS12 = "pkcs12", _("certificate file (PKCS#12)")


class SignerProfile(models.Model):
    """A leader's signing key and what the visible signature says about them.

    The PIN (or the PKCS#12 password) is never stored: the leader types it when signing."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signer_profile"
    )
    display_name = models.CharField(_("name in the signature"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    agency = models.CharField(_("agency"), max_length=300, blank=True)
    kind = models.CharField(_("key kind"), max_length=10, choices=KeyKind, default=KeyKind.PKCS11)
    pkcs11_module = models.CharField(
        _("PKCS#11 module"),
        max_length=500,
        blank=True,
        help_text=_("Empty: the module of MOTCUA_SIGN_PKCS11_MODULE."),
    )
    token_label = models.CharField(_("token label"), max_length=100, blank=True)
    key_label = models.CharField(_("key label"), max_length=100, blank=True)
    pkcs12_path = models.CharField(_("PKCS#12 file on the server"), max_length=500, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("signer profile")
        verbose_name_plural = _("signer profiles")

    def __str__(self) -> str:
        return self.display_name


class SignedResult(models.Model):
    """An electronic result signed in motcua; its `public_id` is in the QR code of the result."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="signed_results")
    attachment = models.OneToOneField(
        Attachment, on_delete=models.CASCADE, related_name="signed_result"
    )
    source = models.ForeignKey(
        Attachment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    public_id = models.CharField(max_length=32, unique=True)
    result_number = models.CharField(_("result number"), max_length=100)
    sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    #: [{"role": "leader"|"agency", "name", "position", "agency", "subject"}], in signing order.
    signers = models.JSONField(default=list)

    class Meta:
        verbose_name = _("signed result")
        verbose_name_plural = _("signed results")
        ordering = ["dossier", "signed_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.result_number}"
