from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Statistics: form II.06a (on-time report) and, later, the service index and dashboards."""

    name = "motcua.reports"
    verbose_name = _("reports")

    def ready(self) -> None:
        # The daily II.06a figures follow every Dossier.save() / delete() (motcua.reports.daily).
        from . import daily

        daily.connect()
