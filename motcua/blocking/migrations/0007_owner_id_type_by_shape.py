"""Existing owners' ID numbers get a document type by their shape (DOMAIN §12): 12 digits CCCD,
9 digits CMND (until now the registry accepted nothing else), anything else "other"."""

from django.db import migrations

from motcua.core.identity import guess_id_type

BATCH = 5000


def type_owners_by_shape(apps, schema_editor):
    """Set `id_type` on every owner that has a number and no type yet (idempotent)."""
    Owner = apps.get_model("blocking", "Owner")
    by_type: dict[str, list[int]] = {}
    rows = Owner.objects.exclude(id_number="").filter(id_type="")
    for pk, number in rows.values_list("pk", "id_number").iterator(chunk_size=BATCH):
        by_type.setdefault(guess_id_type(number), []).append(pk)
    for kind, pks in by_type.items():
        for i in range(0, len(pks), BATCH):
            # A queryset update: Owner.delete() refuses, save() is not needed.
            Owner.objects.filter(pk__in=pks[i : i + BATCH]).update(id_type=kind)


class Migration(migrations.Migration):
    dependencies = [("blocking", "0006_owner_id_type")]

    operations = [migrations.RunPython(type_owners_by_shape, migrations.RunPython.noop)]
