from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    """Agencies, units and staff roles."""

    name = "motcua.orgs"
    verbose_name = _("Organisation")
