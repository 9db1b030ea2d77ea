from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Fee payment through pluggable providers (pay at the counter; a test provider)."""

    name = "motcua.payments"
    verbose_name = _("Payments")
