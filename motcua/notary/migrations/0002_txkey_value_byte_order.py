"""PostgreSQL: transaction search values compare in byte order (as blocking 0005 for the blocks'
keys): prefix look-ups are ranges that need the "C" collation. SQLite compares bytes already."""

from django.db import migrations

FORWARD = 'ALTER TABLE notary_txkey ALTER COLUMN value TYPE varchar(100) COLLATE "C"'
BACKWARD = 'ALTER TABLE notary_txkey ALTER COLUMN value TYPE varchar(100) COLLATE "default"'


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("notary", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
