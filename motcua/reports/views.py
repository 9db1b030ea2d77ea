"""Staff report pages: /bao-cao/dung-han/ (form II.06a and the on-time rate)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from motcua.orgs.choices import Role
from motcua.orgs.models import Unit
from motcua.orgs.selectors import unit_ids_for

from .forms import OntimeForm
from .ontime import compute_ontime

#: Who reads statistics: unit leaders and auditors of their units; superusers everything.
REPORT_ROLES = (Role.LEADER, Role.AUDITOR)


def report_units(user) -> list[Unit]:
    """The units whose figures `user` may read (deny by default: none)."""
    if user.is_superuser:
        return list(Unit.objects.order_by("code"))
    ids = unit_ids_for(user, *REPORT_ROLES)
    return list(Unit.objects.filter(pk__in=ids).order_by("code")) if ids else []


@login_required
@require_GET
def ontime(request):
    """The II.06a table for a period; constant queries whatever the number of dossiers."""
    units = report_units(request.user)
    if not units:
        raise Http404  # citizens and staff without a reporting role: nothing to see here
    by_code = {u.code: u for u in units}
    choices = [(u.code, f"{u.code} – {u}") for u in units]
    data = request.GET if "date_from" in request.GET else None
    form = OntimeForm(
        data,
        unit_choices=choices,
        initial=OntimeForm.default_period(timezone.localdate()),
    )
    requested = (request.GET.get("unit") or "").strip()
    if requested and requested not in by_code:
        raise Http404  # another unit's figures answer like a missing unit
    report, status = None, 200
    if form.is_bound:
        if form.is_valid():
            chosen = [by_code[requested]] if requested else None
            # Superusers without a choice see every unit; others all of their own units.
            if chosen is None and not request.user.is_superuser:
                chosen = units
            report = compute_ontime(
                form.cleaned_data["date_from"], form.cleaned_data["date_to"], units=chosen
            )
        else:
            status = 400
    return render(
        request,
        "reports/ontime.html",
        {"form": form, "report": report, "unit": by_code.get(requested)},
        status=status,
    )
