"""Demo: a citizen account `congdan` / `demo` (email confirmed, profile filled), and whether
staff must use a second factor (MOTCUA_STAFF_MFA)."""

from django.conf import settings
from django.contrib.auth import get_user_model

CITIZEN_USERNAME = "congdan"
CITIZEN_EMAIL = "congdan@example.org"
CITIZEN_PASSWORD = "demo"  # noqa: S105  (demo only; a warning is printed)  # nosec B105


def load_citizen(stdout) -> None:
    """The demo citizen who signs in on the portal (issue 14), idempotent."""
    from allauth.account.models import EmailAddress

    from .services import profile_save

    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=CITIZEN_USERNAME, defaults={"email": CITIZEN_EMAIL}
    )
    if not created:
        stdout.write(f"Demo citizen '{CITIZEN_USERNAME}' already exists.")
        return
    user.set_password(CITIZEN_PASSWORD)
    user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=CITIZEN_EMAIL, defaults={"verified": True, "primary": True}
    )
    profile_save(
        actor=user,
        user=user,
        full_name="Nguyễn Thị Mai",
        id_number="046190012345",
        phone="0905111222",
        address="10 Lê Lợi, phường Thuận Hóa, Huế",
    )
    stdout.write(
        f"WARNING: created the demo citizen account {CITIZEN_USERNAME} ({CITIZEN_EMAIL}) with "
        f"the password '{CITIZEN_PASSWORD}' (sign in at /tai-khoan/login/); demo only."
    )


def load(stdout) -> None:
    load_citizen(stdout)
    if settings.STAFF_MFA == "required":
        stdout.write("Two-factor authentication is REQUIRED for staff and administrators.")
    else:
        stdout.write(
            "NOTE: two-factor authentication is OPTIONAL for staff in this demo "
            "(MOTCUA_STAFF_MFA=optional, the default without HTTPS). Production over HTTPS "
            "(MOTCUA_HTTPS=1) requires it; staff can add one at /tai-khoan/2fa/."
        )
