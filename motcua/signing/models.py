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


class DocumentKind(models.TextChoices):
    FORM = "form", _("printed form of a dossier")
    REGISTER = "register", _("dossier register")
    BLOCKING_CERTIFICATE = "blocking_certificate", _("blocking look-up certificate")
    REFORM_RESULTS = "reform_results", _("published reform results")


class SignedDocument(models.Model):
    """A document signed in motcua with the agency's key (a form, a look-up certificate, the
    published reform results); the file is handed out, its hash is kept for the QR page."""

    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind)
    #: What was signed, e.g. "000.00.12.H57-250314-0007 mẫu 01", "tra cứu 42", "2023 sở".
    reference = models.CharField(_("reference"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, null=True, blank=True, related_name="signed_documents"
    )
    public_id = models.CharField(max_length=32, unique=True)
    sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signer = models.CharField(_("signer"), max_length=300)
    subject = models.CharField(_("certificate subject"), max_length=500)

    class Meta:
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"
