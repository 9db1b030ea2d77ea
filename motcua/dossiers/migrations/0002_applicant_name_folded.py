from django.db import migrations, models


def fill_folded(apps, schema_editor):
    from motcua.core.text import fold

    Dossier = apps.get_model("dossiers", "Dossier")
    batch = []
    for dossier in Dossier.objects.only("pk", "applicant_name").iterator(chunk_size=2000):
        dossier.applicant_name_folded = fold(dossier.applicant_name)
        batch.append(dossier)
        if len(batch) >= 2000:
            Dossier.objects.bulk_update(batch, ["applicant_name_folded"])
            batch = []
    if batch:
        Dossier.objects.bulk_update(batch, ["applicant_name_folded"])


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="applicant_name_folded",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.RunPython(fill_folded, migrations.RunPython.noop),
    ]
