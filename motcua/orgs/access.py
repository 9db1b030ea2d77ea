"""Which units a person may make their active unit (deny by default; 404 for "missing" and
"not yours" alike)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from .models import Unit
from .selectors import unit_ids_for

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser


def switchable_unit_ids(user: AnyUser) -> set[int]:
    """The units `user` is a member of (in any role): the only ones they may work in."""
    return unit_ids_for(user)


def get_unit_for_user(user: AnyUser, unit_id: int) -> Unit:
    """The unit `unit_id` if `user` is a member of it; 404 otherwise (a unit that does not exist
    and a unit of someone else look the same)."""
    if unit_id not in switchable_unit_ids(user):
        raise Http404
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit
