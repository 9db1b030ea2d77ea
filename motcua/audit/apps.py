from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Append-only audit trail and personal-data access log."""

    name = "motcua.audit"
    verbose_name = _("Audit")
