"""Seed the Decision 766 maxima and targets (DOMAIN §7), valid from 2022 (the decision's year).

Confirmed in public summaries: 1.2 = 4 and 5.4 = 6 points; targets 80 % (3.1, 3.5, 4.2, 4.3),
50 % (3.3), 90 % (5.4). The other maxima split the group maxima (18/20/22/22/18) and the other
targets are 100 %: unconfirmed, edit them in the admin (a new version per year). Existing versions
(the old step thresholds) get the same rows.
"""

from decimal import Decimal

from django.db import migrations

DEFAULTS = {
    "1.1": (4, 100),
    "1.2": (4, 100),
    "1.3": (4, 100),
    "1.4": (6, 100),
    "2.1": (20, 100),
    "2.2": (0, 100),
    "3.1": (4, 80),
    "3.2": (4, 100),
    "3.3": (6, 50),
    "3.5": (4, 80),
    "3.6": (4, 100),
    "4.1": (5, 100),
    "4.2": (5, 80),
    "4.3": (4, 80),
    "4.4": (4, 100),
    "4.5": (4, 100),
    "5.1": (4, 100),
    "5.2": (4, 100),
    "5.3": (4, 100),
    "5.4": (6, 90),
}


def seed(apps, schema_editor):
    IndexYear = apps.get_model("reports", "IndexYear")
    Setting = apps.get_model("reports", "IndexIndicatorSetting")
    IndexYear.objects.get_or_create(
        year=2022,
        defaults={"note": "Quyết định 766/QĐ-TTg; giá trị mặc định khi cài đặt (xem docs/bao-cao.md)"},
    )
    for row in IndexYear.objects.all():
        have = set(Setting.objects.filter(index_year=row).values_list("indicator", flat=True))
        Setting.objects.bulk_create(
            Setting(index_year=row, indicator=k, max_points=Decimal(m), target=Decimal(t))
            for k, (m, t) in DEFAULTS.items()
            if k not in have
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_index_indicator_settings")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
