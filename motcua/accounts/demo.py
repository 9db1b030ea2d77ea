"""Demo: nothing to load; says whether staff must use a second factor (MOTCUA_STAFF_MFA)."""

from django.conf import settings


def load(stdout) -> None:
    if settings.STAFF_MFA == "required":
        stdout.write("Two-factor authentication is REQUIRED for staff and administrators.")
    else:
        stdout.write(
            "NOTE: two-factor authentication is OPTIONAL for staff in this demo "
            "(MOTCUA_STAFF_MFA=optional, the default without HTTPS). Production over HTTPS "
            "(MOTCUA_HTTPS=1) requires it; staff can add one at /tai-khoan/2fa/."
        )
