"""Writes on citizens' profiles (one audit event per call)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from motcua.audit.services import audit_record

from .models import CitizenProfile
from .sessions import end_all

if TYPE_CHECKING:
    from motcua.core.typing import User


@transaction.atomic
def profile_save(
    *,
    actor: User,
    user: User,
    full_name: str,
    id_number: str = "",
    phone: str = "",
    address: str = "",
) -> CitizenProfile:
    """Create or update the citizen's profile; values were validated by the form."""
    profile, created = CitizenProfile.objects.select_for_update().get_or_create(
        user=user, defaults={"full_name": full_name}
    )
    profile.full_name = full_name
    profile.id_number = id_number
    profile.phone = phone
    profile.address = address or profile.address
    profile.save()
    # Only which fields changed is recorded, not the personal data itself.
    audit_record(
        actor=actor,
        action="account.profile_create" if created else "account.profile_update",
        obj=profile,
        data={"has_id_number": bool(id_number), "has_phone": bool(phone)},
    )
    return profile


@transaction.atomic
def mfa_reset(*, actor: User, user: User, reason: str = "") -> int:
    """Remove every second factor of ``user`` (a lost phone or key) and end their sessions.

    The user signs in again with the password only; staff are then sent to set up a new factor
    (MOTCUA_STAFF_MFA=required). Returns the number of factors removed; one audit event.
    """
    from allauth.mfa.models import Authenticator  # type: ignore[import-untyped]

    factors = Authenticator.objects.filter(user=user)
    types = sorted(set(factors.values_list("type", flat=True)))
    removed, _ = factors.delete()
    ended = end_all(user.pk)
    audit_record(
        actor=actor,
        action="account.mfa_reset",
        obj=user,
        note=reason[:200],
        data={"types": types, "factors_removed": removed, "sessions_ended": ended},
    )
    return removed
