"""The named II.06a rule profiles of DOMAIN §6, as data the department can edit or add to."""

from django.db import migrations

PROFILES = [
    {
        "code": "national",
        "name": "Quốc gia (Cổng DVCQG, chỉ số 766 – 2.1)",
        "description": (
            "DOMAIN §6–§7: the national portal's rule 2.1 applied to the II.06a columns. Refused "
            "(after reception), stopped and withdrawn received dossiers count as settled, early / "
            "on time / late by their end date; waiting for supplement or payment stays in "
            "progress; dates are compared (settled on the due date = on time)."
        ),
        "refused": "settled_by_date",
        "waiting_supplement": "in_progress_by_due",
        "waiting_payment": "in_progress_by_due",
        "withdrawn": "settled_by_date",
        "stopped": "settled_by_date",
        "compare": "date",
        "denominator": "settled",
        "is_default": False,
    },
    {
        "code": "provincial",
        "name": "Thực tiễn cấp tỉnh (hệ thống một cửa tỉnh)",
        "description": (
            "DOMAIN §6 (practice, a real provincial system): withdrawn dossiers count as settled "
            "on time; waiting for supplement or payment and stopped dossiers count as in progress "
            "within the deadline; refused dossiers are reported apart; dates are compared."
        ),
        "refused": "apart",
        "waiting_supplement": "in_progress_within",
        "waiting_payment": "in_progress_within",
        "withdrawn": "settled_on_time",
        "stopped": "in_progress_within",
        "compare": "date",
        "denominator": "settled",
        "is_default": True,
    },
    {
        "code": "motcua-2023",
        "name": "motcua 2023 (trước khi có hồ sơ quy tắc)",
        "description": (
            "The rule motcua used before profiles existed: refused, withdrawn and stopped "
            "dossiers reported apart; waiting dossiers in progress, overdue if past the due time; "
            "timestamps compared (settled on the due date but after the due time = late)."
        ),
        "refused": "apart",
        "waiting_supplement": "in_progress_by_due",
        "waiting_payment": "in_progress_by_due",
        "withdrawn": "apart",
        "stopped": "apart",
        "compare": "timestamp",
        "denominator": "settled",
        "is_default": False,
    },
]


def forwards(apps, schema_editor):
    RuleProfile = apps.get_model("reports", "RuleProfile")
    for row in PROFILES:
        RuleProfile.objects.update_or_create(code=row["code"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_ruleprofile")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
