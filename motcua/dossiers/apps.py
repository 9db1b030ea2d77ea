from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    """Dossiers: intake, workflow with legal deadlines, forms and tracking."""

    name = "motcua.dossiers"
    verbose_name = _("Dossiers")
