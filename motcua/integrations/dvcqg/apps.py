from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DvcqgConfig(AppConfig):
    """Sync of dossiers to the national public-service portal (DVCQG) and pull-back of ratings."""

    name = "motcua.integrations.dvcqg"
    label = "dvcqg"
    verbose_name = _("national portal (DVCQG) sync")
