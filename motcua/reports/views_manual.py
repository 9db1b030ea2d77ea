"""/bao-cao/chi-so-766/nhap/: a unit leader (or the province) enters the 766 sub-indicators the
system cannot know, for one unit and month. Thin: access and the rules live in `manual_scores`."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core.http import client_ip

from .manual_scores import (
    ManualValue,
    current_scores,
    get_unit_for_entry,
    is_future_month,
    manual_indicators,
    maximum_points,
    save_manual_scores,
)


def _month(text: str | None) -> date:
    """?month=YYYY-MM (this month when absent); 404 when malformed, as on the 766 page."""
    if not text:
        return timezone.localdate().replace(day=1)
    try:
        year, month = (int(x) for x in text.split("-"))
        return date(year, month, 1)
    except ValueError as exc:
        raise Http404 from exc


def _rows(unit, month: date, submitted: dict[str, ManualValue] | None, errors) -> list[dict]:
    """One row per hand-entered indicator: maximum, stored entry, the values shown, its errors."""
    from .index766 import year_settings

    stored = current_scores(unit, month)
    settings = year_settings(month.year)
    rows = []
    for indicator in manual_indicators():
        entry = stored.get(indicator.code)
        if submitted is not None and indicator.code in submitted:
            value = submitted[indicator.code]
            points, note = str(value.points or ""), value.note or ""
        else:
            points = "" if entry is None else f"{entry.points.normalize():f}"
            note = "" if entry is None else entry.note
        rows.append(
            {
                "indicator": indicator,
                "maximum": maximum_points(indicator, month.year, settings),
                "entry": entry,
                "points": points,
                "note": note,
                "points_errors": [
                    e.message
                    for e in errors
                    if e.indicator == indicator.code and e.field == "points"
                ],
                "note_errors": [
                    e.message for e in errors if e.indicator == indicator.code and e.field == "note"
                ],
            }
        )
    return rows


def index766_url(unit, month: date) -> str:
    return (
        reverse("reports:index766")
        + "?"
        + urlencode({"month": month.strftime("%Y-%m"), "unit": unit.code})
    )


@login_required
@require_http_methods(["GET", "POST"])
def index766_manual(request):
    """The hand-entered 766 scores of one unit and month; a POST saves them all or none."""
    unit = get_unit_for_entry(request.user, request.GET.get("unit", ""))
    month = _month(request.GET.get("month"))
    context = {"unit": unit, "month": month, "back_url": index766_url(unit, month)}
    if is_future_month(month):
        return render(
            request,
            "reports/index766_manual.html",
            {**context, "refused": _("Scores cannot be entered for a month that has not begun.")},
            status=400,
        )
    submitted, errors = None, []
    if request.method == "POST":
        submitted = {
            i.code: ManualValue(
                request.POST.get(f"points-{i.code}", ""), request.POST.get(f"note-{i.code}", "")
            )
            for i in manual_indicators()
            if f"points-{i.code}" in request.POST or f"note-{i.code}" in request.POST
        }
        errors = save_manual_scores(
            request.user,
            unit=unit,
            month=month,
            values=submitted,
            ip=client_ip(request),
        )
        if not errors:
            messages.success(
                request,
                _("Scores entered by hand saved for %(unit)s, month %(month)s.")
                % {"unit": unit, "month": month.strftime("%m/%Y")},
            )
            return redirect(context["back_url"])
    return render(
        request,
        "reports/index766_manual.html",
        {
            **context,
            "rows": _rows(unit, month, submitted, errors),
            "form_errors": [e.message for e in errors if not e.indicator],
            "has_errors": bool(errors),
        },
        status=400 if errors else 200,
    )
