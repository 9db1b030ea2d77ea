"""Writes of the orgs app: the active unit of a session (audited)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.http import Http404

from motcua.audit.services import audit_record

from .active import SESSION_KEY, stored_unit_id
from .selectors import unit_ids_for

if TYPE_CHECKING:
    from .models import Unit


def active_unit_choose(
    *, actor: Any, session: Any, unit: Unit | None, ip: str | None = None
) -> None:
    """Work in `unit` from now on in this session (None: in all of the person's units).

    The unit must be one of the actor's (checked again here, after `orgs.access`); one audit event
    records the change, from which unit to which."""
    if not unit_ids_for(actor) or (unit is not None and unit.pk not in unit_ids_for(actor)):
        raise Http404
    previous = stored_unit_id(actor, session)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="orgs.active_unit",
            object_type="orgs.unit",
            object_id=unit.pk if unit is not None else "",
            from_state=str(previous or ""),
            to_state=str(unit.pk if unit is not None else ""),
            ip=ip,
        )
    if unit is None:
        session.pop(SESSION_KEY, None)
    else:
        session[SESSION_KEY] = {"user": actor.pk, "unit": unit.pk}
