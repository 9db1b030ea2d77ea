"""Writes on citizens' profiles (one audit event per call)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from motcua.audit.services import audit_record

from .models import CitizenProfile

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
