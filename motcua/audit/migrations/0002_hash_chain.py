"""Issue 13 gap 4: the hash chain of the audit tables; existing rows are chained in id order."""

from django.db import migrations, models


# The fields hashed, as of this migration (motcua/audit/models.py, CHAIN_FIELDS).
CHAIN_FIELDS = {
    "AuditEvent": (
        "at", "actor_id", "action", "object_type", "object_id",
        "from_state", "to_state", "note", "data", "ip",
    ),
    "PersonalDataAccess": ("at", "who_id", "subject_type", "subject_id", "purpose", "ip"),
}  # fmt: skip


def chain_existing(apps, schema_editor):
    from motcua.audit.chain import row_hash

    for name, fields in CHAIN_FIELDS.items():
        model = apps.get_model("audit", name)
        model.CHAIN_FIELDS = fields
        manager = model._base_manager.using(schema_editor.connection.alias)
        prev, batch = "", []
        for seq, row in enumerate(manager.order_by("at", "id").iterator(chunk_size=2000), 1):
            row.seq, row.prev_hash = seq, prev
            row.hash = prev = row_hash(row)
            batch.append(row)
            if len(batch) >= 2000:
                manager.bulk_update(batch, ["seq", "prev_hash", "hash"])
                batch = []
        if batch:
            manager.bulk_update(batch, ["seq", "prev_hash", "hash"])


def _fields(model_name):
    return [
        migrations.AddField(
            model_name=model_name,
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, null=True, verbose_name="sequence"),
        ),
        migrations.AddField(
            model_name=model_name,
            name="prev_hash",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=64, verbose_name="previous hash"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name=model_name,
            name="hash",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=64, verbose_name="hash"
            ),
            preserve_default=False,
        ),
    ]


def _unique(model_name):
    return migrations.AlterField(
        model_name=model_name,
        name="seq",
        field=models.PositiveBigIntegerField(editable=False, unique=True, verbose_name="sequence"),
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        *_fields("auditevent"),
        *_fields("personaldataaccess"),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        _unique("auditevent"),
        _unique("personaldataaccess"),
    ]
