"""Demo data for the core app: the demo administrator account."""

from django.contrib.auth import get_user_model

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "admin"  # noqa: S105  (demo only; printed warning below)  # nosec B105


def load(stdout) -> None:
    """Create the demo superuser admin/admin if it does not exist (idempotent)."""
    user_model = get_user_model()
    if user_model.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
        stdout.write(f"Demo administrator '{DEMO_ADMIN_USERNAME}' already exists.")
        return
    user_model.objects.create_superuser(
        username=DEMO_ADMIN_USERNAME, email="", password=DEMO_ADMIN_PASSWORD
    )
    stdout.write(
        "WARNING: created demo administrator admin/admin. "
        "Never run `motcua demo` on a machine reachable by others; "
        "change or delete this account before real use."
    )
