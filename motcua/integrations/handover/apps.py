from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoverConfig(AppConfig):
    """Dossiers handed over by the public-administration service centre (TTPVHCC) through an API."""

    name = "motcua.integrations.handover"
    label = "handover"
    verbose_name = _("Service-centre hand-over")
