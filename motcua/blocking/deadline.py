"""The blocking procedure's service time, read from the procedure catalogue (DOMAIN §11).

"Service time from receipt of the document to publication: 16 working hours (the article); the same
procedure covers release, so a release is also due 16 working hours after its document arrives. The
service time is procedure data, not a constant." The procedure is the catalogue entry whose code is
`settings.MOTCUA_BLOCKING_PROCEDURE_CODE` (demo: DEMO-NC-01, 16 working hours); its time value and
unit are counted on the registry unit's working calendar. No fallback: without that procedure an
entry, a release or an import is refused with a message saying what to set.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from motcua.orgs.models import Unit
from motcua.procedures.deadlines import procedure_due
from motcua.procedures.models import Procedure
from motcua.worktime import Calendar, WorktimeError, get_calendar

from .errors import BlockingError


def blocking_procedure() -> Procedure:
    """The catalogue's blocking procedure, or BlockingError naming the setting."""
    code = settings.MOTCUA_BLOCKING_PROCEDURE_CODE
    procedure = Procedure.objects.select_related("unit").filter(code=code).first()
    if procedure is None:
        raise BlockingError(
            _(
                "The blocking procedure %(code)s is not in the procedure catalogue, so its time "
                "limit is unknown: add it to the catalogue or set MOTCUA_BLOCKING_PROCEDURE_CODE "
                "to its code."
            )
            % {"code": code}
        )
    return procedure


def unit_calendar(unit: Unit) -> Calendar:
    try:
        return get_calendar(unit.calendar_name or "hue")
    except WorktimeError as exc:
        raise BlockingError(exc.message(get_language() or "vi")) from exc  # reader's language


def due_after(
    received_at: datetime, calendar: Calendar, procedure: Procedure | None = None
) -> datetime:
    """The procedure's time limit after `received_at` on `calendar` (entry or release)."""
    try:
        return procedure_due(procedure or blocking_procedure(), received_at, calendar=calendar)
    except WorktimeError as exc:
        raise BlockingError(exc.message(get_language() or "vi")) from exc


def due_for(unit: Unit, received_at: datetime, procedure: Procedure | None = None) -> datetime:
    """Due time of a document of `unit` received at `received_at` (publication or release)."""
    return due_after(received_at, unit_calendar(unit), procedure)


def service_time_text() -> str:
    """ "16 working hours", as the pages state the time limit; "—" when the procedure is missing."""
    try:
        procedure = blocking_procedure()
    except BlockingError:
        return "—"
    value = procedure.time_value.normalize()
    return f"{value:f} {procedure.get_time_unit_display()}"
