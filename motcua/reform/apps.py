from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReformConfig(AppConfig):
    """Administrative-reform scorecards, ranking, compliance cost and simplification plans."""

    name = "motcua.reform"
    verbose_name = _("Administrative reform")
