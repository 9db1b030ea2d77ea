"""`motcua check --database default --deploy`: the audit trail's database guard is in place.

On PostgreSQL every append-only table must carry the trigger refusing UPDATE and DELETE, and the
application's database role must be unable to switch it off: not a superuser, not the owner of
the tables (docs/deploy.md, "Database roles"). Run with `--database default` (a check that needs
the database only runs when asked to).
"""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import connections


@register(Tags.database, deploy=True)
def check_append_only_guard(app_configs=None, databases=None, **kwargs):
    from motcua.audit.chain import expected_guarded_tables, guarded_tables

    messages = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        missing = sorted(expected_guarded_tables() - guarded_tables(alias))
        if missing:
            messages.append(
                Warning(
                    f"Append-only tables without the guard trigger: {', '.join(missing)}.",
                    hint="Run `motcua migrate` as the owner role; it installs the triggers.",
                    id="motcua.W101",
                )
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.rolsuper, t.tableowner = current_user FROM pg_roles r, pg_tables t "
                "WHERE r.rolname = current_user AND t.tablename = 'audit_auditevent'"
            )
            row = cursor.fetchone()
        if row and (row[0] or row[1]):
            messages.append(
                Warning(
                    "The application's database role is a superuser or owns the audit tables, "
                    "so it could disable the append-only trigger.",
                    hint="Run the application as a role with only SELECT, INSERT, UPDATE and "
                    "DELETE rights (docs/deploy.md, 'Database roles').",
                    id="motcua.W102",
                )
            )
    return messages
