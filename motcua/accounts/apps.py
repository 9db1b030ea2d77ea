from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Citizens' profiles (users are Django's)."""

    name = "motcua.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from motcua.core.people import install

        from . import signals  # noqa: F401

        install()  # Vietnamese name order for every user (issue 14)
