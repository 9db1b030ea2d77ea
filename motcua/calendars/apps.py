from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    """Working calendars and official day overrides stored in the database."""

    name = "motcua.calendars"
    verbose_name = _("Working calendars")

    def ready(self) -> None:
        from motcua import worktime

        from . import provider

        worktime.configure(
            provider=provider.spec_for, names=provider.names, revision=provider.revision
        )
