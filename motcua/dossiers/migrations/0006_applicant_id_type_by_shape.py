"""Existing applicants' ID numbers get a document type by their shape (DOMAIN §12)."""

from django.db import migrations

from motcua.core.identity import guess_id_type


def forwards(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    rows = Dossier.objects.exclude(applicant_id_number="").filter(applicant_id_type="")
    batch = []
    for pk, number in rows.values_list("pk", "applicant_id_number").iterator(chunk_size=5000):
        batch.append((pk, guess_id_type(number)))
    by_type: dict[str, list[int]] = {}
    for pk, kind in batch:
        by_type.setdefault(kind, []).append(pk)
    for kind, pks in by_type.items():
        for i in range(0, len(pks), 5000):
            Dossier.objects.filter(pk__in=pks[i : i + 5000]).update(applicant_id_type=kind)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0005_index_marks_identity_register_book")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
