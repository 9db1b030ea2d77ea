"""The dossier register (Sổ theo dõi hồ sơ: form 06 of Circular 01/2018, form 07 of Circular
03/2025) as an Excel workbook (openpyxl) and as a printable page.

Column (1) is the entry number of the unit's register book (DOMAIN §5, numbered per book, not per
day); rows without a book entry (imported legacy dossiers) are numbered in order. Walk-in
applicants refused at the counter are in the register too (form 03, never received).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from motcua.core.spreadsheet import workbook_bytes
from motcua.dossiers.choices import Status
from motcua.dossiers.formsets import FormKind, form_by_kind
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.selectors import DOSSIER_ROLES
from motcua.orgs.models import Unit
from motcua.orgs.selectors import unit_ids_for

#: Longest period one export may cover: a register is kept per year.
MAX_DAYS = 366

# Official column headings of form 06 (legal text, never translated).
COLUMNS = [
    ("STT", 6),
    ("Mã hồ sơ", 28),
    ("Tên thủ tục hành chính", 40),
    ("Số lượng hồ sơ (bộ)", 10),
    ("Tên cá nhân, tổ chức", 26),
    ("Địa chỉ, số điện thoại", 32),
    ("Cơ quan chủ trì giải quyết", 24),
    ("Ngày, tháng, năm nhận hồ sơ", 17),
    ("Ngày, tháng, năm hẹn trả kết quả", 17),
    ("Ngày, tháng, năm chuyển hồ sơ", 17),
    ("Ngày, tháng, năm có kết quả", 17),
    ("Ngày, tháng, năm trả kết quả", 17),
    ("Ghi chú", 30),
]
HEADINGS = [name for name, _width in COLUMNS]


class RegisterError(ValueError):
    """Bad period: the message is shown to the user as it is."""


def _parse_day(raw: str | None, which: str) -> date:
    if not raw or not raw.strip():
        raise RegisterError(_("Give the %(which)s date as YYYY-MM-DD.") % {"which": which})
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise RegisterError(
            _("“%(value)s” is not a date; use YYYY-MM-DD.") % {"value": raw.strip()[:20]}
        ) from None


def parse_period(raw_from: str | None, raw_to: str | None) -> tuple[date, date]:
    start = _parse_day(raw_from, _("start"))
    end = _parse_day(raw_to, _("end"))
    if end < start:
        raise RegisterError(_("The end date is before the start date."))
    if (end - start).days >= MAX_DAYS:
        raise RegisterError(_("The period may cover at most %(days)d days.") % {"days": MAX_DAYS})
    return start, end


def _day(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def register_rows(user, start: date, end: date, units: set[int] | None = None):
    """The dossiers received in [start, end] (local dates) in the user's units, oldest first.

    `units` replaces the user's units (the command line, run by an operator for one unit)."""
    units = set(units) if units is not None else unit_ids_for(user, *DOSSIER_ROLES)
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    # "Ngày chuyển hồ sơ": when the intake desk handed the dossier on (its first step finished).
    handed_over = (
        DossierStep.objects.filter(dossier=OuterRef("pk"))
        .order_by("started_at", "id")
        .values("finished_at")[:1]
    )
    entered = Q(received_at__gte=since, received_at__lt=until) | Q(
        received_at__isnull=True, status=Status.REFUSED, closed_at__gte=since, closed_at__lt=until
    )
    queryset = (
        Dossier.objects.filter(entered, unit_id__in=units)
        .exclude(received_at__isnull=True, register_book__isnull=True)
        .select_related("procedure", "unit", "register_book")
        .annotate(
            handed_over_at=Subquery(handed_over), entered_at=Coalesce("received_at", "closed_at")
        )
        .order_by("entered_at", "id")
    )
    return units, queryset


def register_title(end: date) -> tuple[str, str]:
    """(number, title) of the register form in force at the end of the period."""
    from motcua.dossiers.services import rule_version_for

    version = rule_version_for(
        datetime.combine(end, time(12), tzinfo=timezone.get_current_timezone())
    )
    spec = form_by_kind(version, FormKind.REGISTER)
    if spec is None:
        return "", "SỔ THEO DÕI HỒ SƠ"
    return spec.number, spec.title.upper()


def _values(index: int, dossier: Dossier) -> list:
    contact = ", ".join(p for p in (dossier.applicant_address, dossier.applicant_phone) if p)
    return [
        dossier.register_number if dossier.register_book_id else index,
        dossier.code,
        dossier.procedure.name,
        dossier.sets_count,
        dossier.applicant_name,
        contact,
        dossier.unit.name,
        _day(dossier.received_at),
        _day(dossier.due_at),
        _day(dossier.handed_over_at),
        _day(dossier.finished_at),
        _day(dossier.returned_at),
        _note(dossier),
    ]


def register_page_context(
    user, start: date, end: date, units: set[int] | None = None
) -> dict | None:
    """What the register page shows; None when the user has no unit (`units`: see
    `register_rows`; the signed register covers the units the user leads)."""
    units, queryset = register_rows(user, start, end, units)
    if not units:
        return None
    number, title = register_title(end)
    return {
        "title": title,
        "number": number,
        "headings": HEADINGS,
        "rows": [_values(i, d) for i, d in enumerate(queryset, start=1)],
        "unit_names": list(
            Unit.objects.filter(pk__in=units).order_by("name").values_list("name", flat=True)
        ),
        "start": start,
        "end": end,
        "unit_ids": units,
    }


def _note(dossier: Dossier) -> str:
    parts = []
    if dossier.status == Status.REFUSED and dossier.received_at is None:
        parts.append("Từ chối tiếp nhận tại quầy (mẫu 03)")
    elif dossier.status == Status.REFUSED:
        parts.append("Từ chối giải quyết sau khi tiếp nhận (mẫu 03)")
    elif dossier.status in (Status.WITHDRAWN, Status.STOPPED):
        parts.append(dossier.get_status_display())
    if dossier.supplement_requests:
        parts.append(f"Yêu cầu bổ sung: {dossier.supplement_requests} lần")
    if dossier.new_appointment_at:
        parts.append(f"Hẹn lại: {_day(dossier.new_appointment_at)}")
    if dossier.is_historical:
        parts.append("Dữ liệu chuyển đổi")
    return "; ".join(str(p) for p in parts)


def build_register(
    user, start: date, end: date, units: set[int] | None = None
) -> tuple[bytes | None, int, set[int]]:
    """The workbook bytes, the number of dossiers, and the units; None if the user has no unit."""
    units, queryset = register_rows(user, start, end, units)
    if not units:
        return None, 0, units
    unit_names = list(
        Unit.objects.filter(pk__in=units).order_by("name").values_list("name", flat=True)
    )

    wb = Workbook()
    ws = wb.active
    ws.title = "So theo doi ho so"
    last = get_column_letter(len(COLUMNS))
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)

    ws.merge_cells(f"A1:{last}1")
    number, title = register_title(end)
    ws["A1"] = f"{title} (Mẫu số {number})" if number else title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = centre
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = "Cơ quan: " + ", ".join(unit_names)
    ws["A2"].alignment = centre
    ws.merge_cells(f"A3:{last}3")
    ws["A3"] = f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
    ws["A3"].alignment = centre

    for col, (name, width) in enumerate(COLUMNS, start=1):
        head = ws.cell(row=5, column=col, value=name)
        head.font, head.alignment, head.border = bold, centre, box
        number = ws.cell(row=6, column=col, value=f"({col})")
        number.alignment, number.border = centre, box
        ws.column_dimensions[get_column_letter(col)].width = width

    count = 0
    for count, dossier in enumerate(queryset.iterator(chunk_size=2000), start=1):
        values = _values(count, dossier)
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=6 + count, column=col, value=value)
            cell.alignment, cell.border = wrap, box
    ws.freeze_panes = "A7"
    ws.print_title_rows = "5:6"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    return workbook_bytes(wb), count, units
