from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotaryConfig(AppConfig):
    """Notarized contracts and transactions sent by the notary organisations (DOMAIN §11)."""

    name = "motcua.notary"
    verbose_name = _("Notarized transactions")
