"""The officers' list of blocking requests as Excel, with the page's filters and search.

Same access as the page (officers and auditors of the registry's units, else 404); audited and
logged as personal-data access (senders' names and summaries name people)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.audit.exports import export_record
from motcua.core.http import client_ip
from motcua.core.listsheet import (
    DATE,
    DATETIME,
    Column,
    list_workbook,
    made_at_note,
    xlsx_response,
)
from motcua.orgs.models import Unit

from .choices import RequestStatus
from .views import worklist_filtered

EXPORT_PURPOSE = "xuất danh sách yêu cầu ngăn chặn"
OPEN = (RequestStatus.ENTERED, RequestStatus.APPROVED)


def _columns() -> list[Column]:
    return [
        Column(_("Register no."), 16),
        Column(_("Unit"), 12),
        Column(_("Kind"), 14),
        Column(_("Sending authority"), 32),
        Column(_("Document number"), 18),
        Column(_("Document date"), 12, DATE),
        Column(_("Sender (person)"), 22),
        Column(_("Received"), 17, DATETIME),
        Column(_("Publish by"), 17, DATETIME),
        Column(_("Published at"), 17, DATETIME),
        Column(_("Status"), 16),
        Column(_("Overdue"), 10),
        Column(_("Summary"), 50),
    ]


@login_required
@require_GET
def worklist_xlsx(request):
    """Every request of the list (all pages) with its filters, as .xlsx."""
    queryset, units, status, q = worklist_filtered(request)
    now = timezone.now()
    rows = []
    for r in queryset.select_related("unit").iterator(chunk_size=2000):
        overdue = r.status in OPEN and r.due_at is not None and r.due_at < now
        rows.append(
            [
                r.request_no,
                str(r.unit),
                r.get_kind_display(),
                r.authority_name,
                r.document_number,
                r.document_date,
                r.sender_person,
                r.received_at,
                r.due_at,
                r.published_at,
                r.get_status_display(),
                _("yes") if overdue else "",
                r.summary,
            ]
        )
    filters = []
    if status:
        filters.append(f"{_('Status')}: {RequestStatus(status).label}")
    if request.GET.get("overdue"):
        filters.append(_("overdue only"))
    if q:
        filters.append(f"{_('Search')}: {q}")
    names = ", ".join(str(u) for u in Unit.objects.filter(pk__in=units).order_by("code"))
    content = list_workbook(
        title=_("Blocking requests"),
        notes=[
            _("Units: %(scope)s") % {"scope": names},
            _("Filters: %(filters)s") % {"filters": "; ".join(filters) or _("none")},
            made_at_note(),
        ],
        columns=_columns(),
        rows=rows,
    )
    export_record(
        actor=request.user,
        action="blocking.list_export",
        subject_type="blocking.worklist",
        rows=len(rows),
        units=units,
        filters=request.GET,
        ip=client_ip(request),
        personal_purpose=EXPORT_PURPOSE,
    )
    return xlsx_response(content, f"ngan-chan-{timezone.localdate():%Y%m%d}.xlsx")
