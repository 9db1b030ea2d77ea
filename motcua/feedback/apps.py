from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Satisfaction ratings of dossiers and citizen feedback and petitions (PAKN)."""

    name = "motcua.feedback"
    verbose_name = _("satisfaction and feedback")
