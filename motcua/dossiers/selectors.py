"""Reads on dossiers, already restricted to what the user may see (deny by default)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from motcua.orgs.choices import Role
from motcua.orgs.selectors import unit_ids_for

from .models import Dossier

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser

#: Roles that may see a unit's dossiers (the notary role is for the blocking registry only).
DOSSIER_ROLES = (Role.INTAKE_CLERK, Role.SPECIALIST, Role.LEADER, Role.AUDITOR)


def dossiers_for_user(user: AnyUser) -> QuerySet[Dossier]:
    """Staff: their own units' dossiers; citizens: their own; everyone else: nothing."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    units = unit_ids_for(user, *DOSSIER_ROLES)
    if units:
        return Dossier.objects.filter(unit_id__in=units)
    return Dossier.objects.filter(applicant_user=user)


def staff_dossiers(user: AnyUser) -> QuerySet[Dossier]:
    """Only the staff view: citizens get nothing here, even of their own dossiers."""
    units = unit_ids_for(user, *DOSSIER_ROLES) if user.is_authenticated else set()
    return Dossier.objects.filter(unit_id__in=units)
