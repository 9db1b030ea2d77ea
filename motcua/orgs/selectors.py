"""Which units a user works in, and with which roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from .models import Membership


def unit_ids_for(user: AbstractBaseUser | AnonymousUser, *roles: str) -> set[int]:
    """Ids of the units where the user holds any of `roles` (any role if none given)."""
    if not user.is_authenticated:
        return set()
    cache = getattr(user, "_motcua_memberships", None)
    if cache is None:
        cache = list(Membership.objects.filter(user_id=user.pk).values_list("unit_id", "role"))
        user._motcua_memberships = cache  # type: ignore[attr-defined]
    return {unit for unit, role in cache if not roles or role in roles}


def roles_in(user: AbstractBaseUser | AnonymousUser, unit_id: int) -> set[str]:
    if not user.is_authenticated:
        return set()
    unit_ids_for(user)
    return {role for unit, role in user._motcua_memberships if unit == unit_id}  # type: ignore[attr-defined]


def is_staff_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(unit_ids_for(user))
