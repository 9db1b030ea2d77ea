from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Model-free shared code: text folding, validators, management commands."""

    name = "motcua.core"
    verbose_name = "motcua core"

    def ready(self) -> None:
        from motcua import checks  # noqa: F401  (registers the project checks)
