from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared code: text folding, validators, management commands, rate-limit counters."""

    name = "motcua.core"
    verbose_name = "motcua core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from motcua import checks  # noqa: F401  (registers the project checks)
        from motcua.core import lookups  # noqa: F401  (registers `__any_of`)

        # post_migrate is sent only for apps with models (core has none): hook on the audit app,
        # which every installation has.
        post_migrate.connect(_create_cache_table, dispatch_uid="motcua-create-cache-table")


def _create_cache_table(sender, using="default", verbosity=1, **kwargs) -> None:
    """With MOTCUA_CACHE_URL=db, `migrate` also creates the cache table (idempotent)."""
    from django.conf import settings
    from django.core.management import call_command

    if sender.name != "motcua.audit":
        return
    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)
