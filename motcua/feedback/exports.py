"""Excel exports of the PAKN list and the satisfaction report: the same rows and figures as the
pages, with the same access (404 for those who may not see the page), audited.

Shares are numbers (e.g. 97.5 in a column headed "(%)"), counts integers: nothing numeric is text.
The PAKN list has no sender's details (name, phone, e-mail): they stay on the feedback's page,
where each reading is logged."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from motcua.audit.exports import export_record
from motcua.core.http import client_ip
from motcua.core.listsheet import (
    DATETIME,
    DECIMAL,
    INTEGER,
    Column,
    Table,
    list_workbook,
    made_at_note,
    tables_workbook,
    xlsx_response,
)
from motcua.core.people import full_name
from motcua.orgs.models import Unit

from .views import stats_context, worklist_filtered


@login_required
@require_GET
def worklist_xlsx(request):
    """Every feedback of the list (all pages, ?open=1 kept), as .xlsx."""
    qs, ids = worklist_filtered(request)
    now = timezone.now()
    rows = [
        [
            f.code,
            f.get_kind_display(),
            f.get_topic_display() if f.topic else "",
            str(f.unit),
            f.get_status_display(),
            f.received_at,
            f.due_at,
            f.answered_at,
            _("yes") if f.is_open and f.due_at < now else "",
            full_name(f.assignee) if f.assignee_id else "",
        ]
        for f in qs.iterator(chunk_size=2000)
    ]
    columns = [
        Column(_("Reference"), 18),
        Column(_("Kind"), 14),
        Column(_("Classification"), 22),
        Column(_("Unit"), 12),
        Column(_("Status"), 18),
        Column(_("Received"), 17, DATETIME),
        Column(_("Answer due"), 17, DATETIME),
        Column(_("Answered at"), 17, DATETIME),
        Column(_("Overdue"), 10),
        Column(_("Officer"), 22),
    ]
    names = ", ".join(str(u) for u in Unit.objects.filter(pk__in=ids).order_by("code"))
    which = _("Only those not answered yet") if request.GET.get("open") else _("All")
    content = list_workbook(
        title=_("Citizen feedback (PAKN)"),
        notes=[_("Units: %(scope)s") % {"scope": names}, which, made_at_note()],
        columns=columns,
        rows=rows,
    )
    export_record(
        actor=request.user,
        action="feedback.list_export",
        subject_type="feedback.worklist",
        rows=len(rows),
        units=ids,
        filters=request.GET,
        ip=client_ip(request),
    )
    return xlsx_response(content, f"phan-anh-kien-nghi-{timezone.localdate():%Y%m%d}.xlsx")


def _rating_columns(first: str) -> list[Column]:
    return [
        Column(first, 40),
        Column(_("Ratings"), 10, INTEGER),
        Column(_("Without 'not satisfied'") + " (%)", 14, DECIMAL),
        Column(_("SIPAS-style share") + " (%)", 14, DECIMAL),
        Column(_("Nine indices, share of points") + " (%)", 14, DECIMAL),
    ]


def _rating_row(label, r) -> list:
    return [label, r.ratings, r.satisfied_share, r.sipas_share, r.index_share]


@login_required
@require_GET
def stats_xlsx(request):
    """The satisfaction report of ?year= and ?unit= as .xlsx: one sheet per table of the page."""
    ctx = stats_context(request)
    unit = ctx["unit"]
    scope = f"{unit.code} – {unit}" if unit else ", ".join(str(u) for u in ctx["units"])
    notes = [
        _("Year: %(year)s") % {"year": ctx["year"]},
        _("Units: %(scope)s") % {"scope": scope},
        made_at_note(),
    ]
    title = _("Satisfaction")
    total = ctx["total"]
    pakn = ctx["pakn"]
    pakn_columns = [
        Column(_("Unit"), 30),
        Column(pgettext("count", "Received"), 10, INTEGER),
        Column(_("Answered"), 10, INTEGER),
        Column(_("Answered on time") + " (%)", 14, DECIMAL),
        Column(_("Overdue, not answered"), 12, INTEGER),
        Column(_("Answers without 'not satisfied'") + " (%)", 14, DECIMAL),
    ]

    def pakn_row(label, r):
        return [
            label,
            r.received,
            r.answered,
            r.on_time_share,
            r.open_overdue,
            r.satisfied_share,
        ]

    tables = [
        Table(
            f"{title} – {_('By quarter')}",
            notes,
            _rating_columns(_("Quarter")),
            [_rating_row(_("Total"), total)] + [_rating_row(r.key, r) for r in ctx["by_quarter"]],
            _("By quarter"),
        ),
        Table(
            f"{title} – {_('By unit')}",
            notes,
            _rating_columns(_("Unit")),
            [_rating_row(str(u) if u else "—", r) for u, r in ctx["by_unit"]],
            _("By unit"),
        ),
        Table(
            f"{title} – {_('By procedure')}",
            notes,
            _rating_columns(_("Procedure")),
            [_rating_row(p.name if p else "—", r) for p, r in ctx["by_procedure"]],
            _("By procedure"),
        ),
        Table(
            _("Citizen feedback (PAKN)"),
            notes,
            pakn_columns,
            [pakn_row(_("Total"), pakn)]
            + [pakn_row(str(u) if u else "—", r) for u, r in ctx["pakn_by_unit"]],
            "PAKN",
        ),
    ]
    content = tables_workbook(tables)
    export_record(
        actor=request.user,
        action="feedback.satisfaction_export",
        subject_type="feedback.satisfaction",
        rows=total.ratings,
        units=ctx["unit_ids"],
        filters=request.GET,
        ip=client_ip(request),
    )
    return xlsx_response(content, f"hai-long-{ctx['year']}.xlsx")
