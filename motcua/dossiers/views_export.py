"""The worklist as Excel: the rows the page shows with the same filters and unit, every page of
them. Same access as the page (404 for non-staff); audited, and logged as personal-data access
(the applicants' names)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.audit.exports import export_record
from motcua.core.http import client_ip
from motcua.core.listsheet import (
    DATETIME,
    INTEGER,
    Column,
    list_workbook,
    made_at_note,
    xlsx_response,
)
from motcua.core.people import full_name
from motcua.orgs.models import Unit

from .views import _due_info, worklist, worklist_filtered

EXPORT_PURPOSE = "xuất danh sách hồ sơ cần xử lý"


def _columns() -> list[Column]:
    return [
        Column(_("Dossier code"), 28),
        Column(_("Applicant"), 26),
        Column(_("Procedure"), 40),
        Column(_("Status"), 18),
        Column(_("Channel"), 14),
        Column(_("Current step"), 18),
        Column(_("Officer"), 22),
        Column(_("Received"), 17, DATETIME),
        Column(_("Due"), 17, DATETIME),
        Column(_("Due state"), 14),
        Column(_("Supplement requests"), 12, INTEGER),
    ]


def _filters_note(form) -> str:
    """The filters in words (“Status: …; Procedure: …”), or that there are none."""
    if not form.is_bound or not form.is_valid():
        return _("Filters: none")
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", False):
            continue
        if value is True:
            parts.append(str(field.label))
            continue
        shown = dict(field.choices).get(value, value) if hasattr(field, "choices") else value
        if name == "procedure":
            shown = value.name
        parts.append(f"{field.label}: {shown}")
    return _("Filters: %(filters)s") % {"filters": "; ".join(parts) or _("none")}


@login_required
@require_GET
def worklist_xlsx(request):
    """Every row of the worklist with the page's filters (and active unit), as .xlsx."""
    now = timezone.now()
    form, queryset, units = worklist_filtered(request, now)
    if form.errors:
        return worklist(request)  # the page with the errors, 400
    rows = []
    for dossier in queryset.iterator(chunk_size=2000):
        due = _due_info(dossier, now)
        step = dossier.current_step
        open_step = step if step is not None and step.finished_at is None else None
        rows.append(
            [
                dossier.code,
                dossier.applicant_name,
                dossier.procedure.name,
                dossier.get_status_display(),
                dossier.get_channel_display(),
                open_step.name if open_step else "",
                full_name(open_step.assignee) if open_step and open_step.assignee else "",
                dossier.received_at,
                due.due_at,
                str(due.label).capitalize() if due.label else "",
                dossier.supplement_requests,
            ]
        )
    names = ", ".join(str(u) for u in Unit.objects.filter(pk__in=units).order_by("code"))
    content = list_workbook(
        title=_("Dossiers to process"),
        notes=[
            _("Units: %(scope)s") % {"scope": names},
            _filters_note(form),
            made_at_note(),
        ],
        columns=_columns(),
        rows=rows,
    )
    export_record(
        actor=request.user,
        action="dossier.worklist_export",
        subject_type="dossiers.worklist",
        rows=len(rows),
        units=units,
        filters=request.GET,
        ip=client_ip(request),
        personal_purpose=EXPORT_PURPOSE,
    )
    return xlsx_response(content, f"ho-so-can-xu-ly-{timezone.localdate():%Y%m%d}.xlsx")
