"""Seed the editable list of authority types (DOMAIN §11)."""

from django.db import migrations

TYPES = [
    ("court", "Tòa án", True, 1),
    ("procuracy", "Viện kiểm sát", True, 2),
    ("enforcement", "Cơ quan thi hành án dân sự", True, 3),
    ("police", "Cơ quan công an", True, 4),
    ("certificate_body", "Cơ quan cấp, thu hồi giấy chứng nhận", True, 5),
    ("other", "Tổ chức, cá nhân khác", False, 9),
]


def seed(apps, schema_editor):
    AuthorityType = apps.get_model("blocking", "AuthorityType")
    for code, name, competent, order in TYPES:
        AuthorityType.objects.get_or_create(
            code=code, defaults={"name": name, "competent": competent, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("blocking", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
