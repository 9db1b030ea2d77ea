"""Project-wide system checks (`motcua check`)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import connections
from django.db.utils import DatabaseError


def journal_mode_messages(alias: str, mode: str) -> list[Error]:
    """An error unless the journal mode is WAL."""
    if mode == "wal":
        return []
    return [
        Error(
            f"SQLite database {alias!r} uses journal_mode={mode}, not WAL.",
            hint="Keep 'PRAGMA journal_mode=WAL;' in DATABASES OPTIONS init_command.",
            id="motcua.E001",
        )
    ]


@register(Tags.database)
def check_sqlite_wal(app_configs=None, databases=None, **kwargs):
    """SQLite must run in WAL mode so readers do not block the writer (settings init_command)."""
    messages = []
    for alias in databases or []:
        conn = connections[alias]
        if conn.vendor != "sqlite":
            continue
        if conn.is_in_memory_db():
            continue
        try:
            with conn.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                mode = str(cursor.fetchone()[0]).lower()
        except DatabaseError as exc:
            messages.append(
                Warning(
                    f"Cannot read the SQLite journal mode of {alias!r}: {exc}", id="motcua.W001"
                )
            )
            continue
        messages.extend(journal_mode_messages(alias, mode))
    if not settings.DEBUG and settings.SECRET_KEY.startswith("django-insecure"):
        messages.append(Error("SECRET_KEY is an insecure development key.", id="motcua.E002"))
    return messages
