"""The one page-less action of the workspace: switching the active unit (a POST from the header)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from motcua.core.http import client_ip, safe_next

from .access import get_unit_for_user, switchable_unit_ids
from .navigation import landing_url
from .services import active_unit_choose


@login_required
@require_POST
def switch_unit(request):
    """Set (``unit=<id>``) or clear (``unit=``) the session's active unit, then go back."""
    if not switchable_unit_ids(request.user):
        raise Http404
    raw = (request.POST.get("unit") or "").strip()
    if raw:
        try:
            unit_id = int(raw)
        except ValueError as exc:
            raise Http404 from exc
        unit = get_unit_for_user(request.user, unit_id)
    else:
        unit = None
    active_unit_choose(
        actor=request.user, session=request.session, unit=unit, ip=client_ip(request)
    )
    return redirect(safe_next(request, landing_url(request.user)))
