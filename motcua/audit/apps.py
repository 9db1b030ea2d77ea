from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_guards(sender, using="default", apps=None, **kwargs):
    # After every migrate (and test-database creation): the append-only trigger on each
    # append-only table and the chain's lock function (PostgreSQL only; see audit/chain.py).
    from motcua.audit.chain import install_guards

    install_guards(using=using)


class AuditConfig(AppConfig):
    """Append-only audit trail and personal-data access log."""

    name = "motcua.audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from motcua.audit import checks  # noqa: F401 - registers the deploy check
        from motcua.audit.chain import register_sqlite_functions

        connection_created.connect(
            register_sqlite_functions, dispatch_uid="motcua.audit.sqlite_sha256"
        )
        post_migrate.connect(_install_guards, sender=self, dispatch_uid="motcua.audit.guards")
