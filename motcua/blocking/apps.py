from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlockingConfig(AppConfig):
    """Notarization blocking registry: requests, assets, owners, releases and notaries' look-ups."""

    name = "motcua.blocking"
    verbose_name = _("Notarization blocking registry")
