from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Email and SMS notifications to applicants; templates editable in the admin; delivery log."""

    name = "motcua.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from motcua.dossiers import services as dossier_services

        from .services import notify_status_change

        if notify_status_change not in dossier_services.status_listeners:
            dossier_services.status_listeners.append(notify_status_change)
