"""Seed the editable message templates with the built-in texts (administrators edit these rows)."""

from django.db import migrations


def seed(apps, schema_editor):
    from motcua.notifications.defaults import DEFAULTS

    model = apps.get_model("notifications", "MessageTemplate")
    for key, languages in DEFAULTS.items():
        for language, (subject, body) in languages.items():
            model.objects.get_or_create(
                key=key, language=language, defaults={"subject": subject, "body_text": body}
            )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
