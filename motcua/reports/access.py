"""Who reads statistics (deny by default; 404 for "missing" and "not yours" alike).

- a unit **leader** (or **auditor**) reads the figures of their own units;
- the **province** reads every unit: Django superusers, and users given a `ProvinceViewer` row
  in the admin (a provincial office that is not a unit of this system);
- anyone else — citizens, clerks, specialists, notaries — gets 404 on every report page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest

from motcua.orgs.choices import Role
from motcua.orgs.models import Unit
from motcua.orgs.selectors import unit_ids_for

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser

REPORT_ROLES = (Role.LEADER, Role.AUDITOR)


def is_province(user: AnyUser) -> bool:
    """Superusers and province-wide readers see every unit."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_motcua_province", None)
    if cached is None:
        from .models import ProvinceViewer

        cached = ProvinceViewer.objects.filter(user=user).exists()
        # A per-request cache on the user object, not a model field (as in orgs.selectors).
        user._motcua_province = cached  # type: ignore[attr-defined]
    return cached


def report_units(user: AnyUser) -> list[Unit]:
    """The units whose figures `user` may read (deny by default: none)."""
    if is_province(user):
        return list(Unit.objects.order_by("code"))
    ids = unit_ids_for(user, *REPORT_ROLES)
    return list(Unit.objects.filter(pk__in=ids).order_by("code")) if ids else []


def units_or_404(user: AnyUser) -> list[Unit]:
    units = report_units(user)
    if not units:
        raise Http404
    return units


def scope_unit_ids(user: AnyUser, units: list[Unit], requested: Unit | None) -> list[int] | None:
    """The unit ids a query covers: the requested unit, all (None) for the province, else own."""
    if requested is not None:
        return [requested.pk]
    return None if is_province(user) else [u.pk for u in units]


def pick_unit(units: list[Unit], code: str) -> Unit | None:
    """The unit of ?unit=CODE among the reader's units; 404 if not theirs (or missing)."""
    code = (code or "").strip()
    if not code:
        return None
    for unit in units:
        if unit.code == code:
            return unit
    raise Http404


def pick_unit_or_active(request: HttpRequest, units: list[Unit]) -> Unit | None:
    """`pick_unit` of ?unit=CODE; without the parameter, the session's active unit when it is one
    of the reader's units (orgs.active), else None (all of them). ``?unit=`` (empty) means all."""
    if "unit" in request.GET:
        return pick_unit(units, request.GET.get("unit", ""))
    from motcua.orgs.active import active_unit_id

    active = active_unit_id(request)
    return next((u for u in units if u.pk == active), None)
