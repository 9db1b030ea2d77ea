from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    """The catalogue of administrative procedures."""

    name = "motcua.procedures"
    verbose_name = _("Procedures")
