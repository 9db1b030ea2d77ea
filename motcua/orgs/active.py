"""The active unit of a session: a person with several units (memberships) works in one at a time.

Chosen in the header (`orgs.views.switch_unit`, written by `orgs.services.active_unit_choose`),
it narrows the worklist, the dashboard and the navigation's counts to that unit. It only ever
narrows: a page reads it through `narrow`, which keeps it only when it is one of the units the page
already allows; a unit where the person holds no role for that page is ignored there (the page
shows all the units it allows). Access decisions never rely on it.
"""

from __future__ import annotations

from collections.abc import Collection

SESSION_KEY = "_motcua_active_unit"


def stored_unit_id(user, session) -> int | None:
    """The unit stored in `session` for `user` (not checked against the memberships)."""
    if session is None or not getattr(user, "is_authenticated", False):
        return None
    stored = session.get(SESSION_KEY)
    if isinstance(stored, dict) and stored.get("user") == user.pk:
        unit = stored.get("unit")
        return unit if isinstance(unit, int) else None
    return None


def narrow(unit_ids: Collection[int], active: int | None) -> set[int]:
    """`unit_ids` narrowed to the active unit when it is among them; unchanged otherwise."""
    if active is not None and active in unit_ids:
        return {active}
    return set(unit_ids)


def active_unit_id(request) -> int | None:
    """The active unit of `request`'s session, if the user is (still) a member of it."""
    from .selectors import unit_ids_for

    user = request.user
    active = stored_unit_id(user, getattr(request, "session", None))
    if active is None or active not in unit_ids_for(user):
        return None
    return active


def narrow_for_request(request, unit_ids: Collection[int]) -> set[int]:
    """`unit_ids` (what a page allows) narrowed to the session's active unit."""
    return narrow(unit_ids, active_unit_id(request))
