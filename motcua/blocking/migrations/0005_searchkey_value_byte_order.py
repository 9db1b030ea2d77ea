"""PostgreSQL: the search values compare in byte order whatever the database's default collation.

Prefix look-ups are ranges (`value >= 'nguyen van' AND value < 'nguyen vao'`, `'19' .. '1:'`).
Under an ICU or en_US collation spaces and punctuation are ignored at first level, so such ranges
miss rows; with the column in the "C" collation the ranges and the b-tree agree everywhere.
SQLite compares bytes already (BINARY). If a later migration alters this field, keep the
collation (Django does not know about it).
"""

from django.db import migrations

FORWARD = 'ALTER TABLE blocking_searchkey ALTER COLUMN value TYPE varchar(100) COLLATE "C"'
BACKWARD = "ALTER TABLE blocking_searchkey ALTER COLUMN value TYPE varchar(100) COLLATE \"default\""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("blocking", "0004_asset_owner_withdrawal")]
    operations = [migrations.RunPython(forward, backward)]
