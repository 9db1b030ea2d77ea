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
        # A calendar edited in this process applies to its next deadline, not seconds later.
        from django.db.models.signals import post_delete, post_save

        from . import models

        for model in (models.WorkCalendar, models.SchedulePeriod, models.DayOverride):
            post_save.connect(provider.invalidate, sender=model, dispatch_uid=f"cal-{model}")
            post_delete.connect(provider.invalidate, sender=model, dispatch_uid=f"cal-del-{model}")
