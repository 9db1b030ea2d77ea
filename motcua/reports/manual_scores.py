"""Decision 766 sub-indicators entered by hand (DOMAIN §7): who may enter them, and the save.

The system cannot know some indicators (1.1 procedures published on time, 1.2 made public on the
national database on time: the publishing decisions are kept elsewhere), so a leader of the unit, or the province (`access.is_province`), enters their points each month in
`IndexManualScore`; `index766.compute_index` reads them. Deny by default: anyone else gets 404.

Rules of an entry (`save_manual_scores`), all checked before anything is written:
- the points are a number from 0 to the indicator's maximum, at most 2 decimals (the column's
  precision; "4,5" and "4.5" both read as 4.5);
- below the maximum, the evidence is required: it is the reason for the lost points, which the 766
  page shows in place of the failing dossiers of a computed indicator;
- no entry for a month that has not begun (a score of a month not yet lived is a guess).
One bad field and nothing is saved; every row that changes is one audit event with its old and new
points and evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.orgs.choices import Role
from motcua.orgs.models import Unit
from motcua.orgs.selectors import unit_ids_for

from .access import is_province
from .index766 import BY_CODE, INDICATORS, Indicator
from .models import IndexManualScore

NOTE_MAX_CHARS = 2000
TWO = Decimal("0.01")


@dataclass(frozen=True)
class ManualValue:
    """What the form sent for one indicator: the points as typed, and the evidence."""

    points: object = ""
    note: str = ""


@dataclass(frozen=True)
class ManualError:
    """One refusal: `indicator` and `field` ("points" or "note") name the field; "" the form."""

    indicator: str
    field: str
    message: str


def manual_indicators() -> list[Indicator]:
    """The sub-indicators entered by hand, in the index's order."""
    return [i for i in INDICATORS if i.manual]


def maximum_points(indicator: Indicator, year: int, settings=None) -> Decimal:
    """The most a hand-entered indicator can earn in `year`.

    The maxima are data per year (`IndexYear` / `IndexIndicatorSetting`, DOMAIN §7)."""
    from .index766 import year_settings

    maximum = (settings or year_settings(year)).of(indicator.id)[0]
    # Shown as "6", "4.5": never "6.00" or "1E+1".
    return maximum.quantize(Decimal(1)) if maximum == maximum.to_integral() else maximum.normalize()


# --- access -----------------------------------------------------------------------------------
def may_enter(user, unit: Unit | None) -> bool:
    """Whether `user` may enter the unit's hand-entered scores: its leader, or the province.

    Reuses the reports' rules (`access.is_province`, the membership cache of `unit_ids_for`), so
    after a report view has run this asks the database nothing."""
    if unit is None or not getattr(user, "is_authenticated", False):
        return False
    return is_province(user) or unit.pk in unit_ids_for(user, Role.LEADER)


def get_unit_for_entry(user, code: str) -> Unit:
    """The unit of `code` if `user` may enter its scores; 404 for "missing" and "not yours" alike."""
    code = (code or "").strip()
    if not code or not getattr(user, "is_authenticated", False):
        raise Http404
    if is_province(user):
        unit = Unit.objects.filter(code=code).first()
    else:
        ids = unit_ids_for(user, Role.LEADER)
        unit = Unit.objects.filter(pk__in=ids, code=code).first() if ids else None
    if unit is None:
        raise Http404
    return unit


def is_future_month(month: date, today: date | None = None) -> bool:
    """True for a month that has not begun (local time)."""
    today = today or timezone.localdate()
    return month.replace(day=1) > today.replace(day=1)


# --- reading ----------------------------------------------------------------------------------
def current_scores(unit: Unit, month: date) -> dict[str, IndexManualScore]:
    """The unit's entered scores of the month by indicator code (one query, with who entered)."""
    rows = IndexManualScore.objects.filter(unit=unit, month=month.replace(day=1)).select_related(
        "entered_by"
    )
    return {r.indicator: r for r in rows}


# --- checking ---------------------------------------------------------------------------------
def parse_points(value: object) -> Decimal | None:
    """'' / None → None; a finite number with at most 2 decimals; ValueError otherwise."""
    if value is None or str(value).strip() == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
        exact = number.is_finite() and number == number.quantize(TWO)
    except InvalidOperation as exc:  # not a number, or too large to carry 2 decimals
        raise ValueError(value) from exc
    if not exact:
        raise ValueError(value)
    return number


def _check(
    indicator: Indicator,
    value: ManualValue,
    existing: IndexManualScore | None,
    year: int,
    settings=None,
) -> tuple[Decimal | None, str, list[ManualError]]:
    """(points, note, errors) of one indicator; points None means "leave it not entered"."""
    code = indicator.code
    maximum = maximum_points(indicator, year, settings)
    note = (value.note or "").strip()
    errors: list[ManualError] = []
    try:
        points = parse_points(value.points)
    except ValueError:
        errors.append(
            ManualError(code, "points", _("Enter a number with at most 2 decimals, e.g. 4.5."))
        )
        points = None
    else:
        if points is None:
            if existing is not None or note:
                # An entered score is corrected, never silently dropped; evidence needs points.
                errors.append(
                    ManualError(
                        code, "points", _("Enter the points (0 to %(max)s).") % {"max": maximum}
                    )
                )
        elif not Decimal(0) <= points <= maximum:
            errors.append(
                ManualError(
                    code,
                    "points",
                    _("The points must be between 0 and %(max)s.") % {"max": maximum},
                )
            )
        elif points < maximum and not note:
            errors.append(
                ManualError(
                    code,
                    "note",
                    _(
                        "Evidence is required when the points are below the maximum: "
                        "say why points were lost."
                    ),
                )
            )
    if len(note) > NOTE_MAX_CHARS:
        errors.append(
            ManualError(
                code,
                "note",
                _("The evidence is too long (at most %(limit)s characters).")
                % {"limit": NOTE_MAX_CHARS},
            )
        )
    return points, note, errors


# --- writing ----------------------------------------------------------------------------------
def save_manual_scores(
    actor,
    *,
    unit: Unit,
    month: date,
    values: Mapping[str, ManualValue],
    ip: str | None = None,
) -> list[ManualError]:
    """Save the hand-entered scores of a unit and month, all or nothing; the errors, or [].

    `values` maps indicator codes to what was typed; indicators left out stay as they are. A row
    is written (and audited, old and new values) only when its points or evidence change."""
    if not may_enter(actor, unit):
        raise Http404
    month = month.replace(day=1)
    if is_future_month(month):
        return [ManualError("", "", _("Scores cannot be entered for a month that has not begun."))]
    with transaction.atomic():
        # One writer per unit at a time: two leaders saving the same month never race on the
        # unique (unit, month, indicator) row.
        Unit.objects.select_for_update().filter(pk=unit.pk).exists()
        existing = {
            r.indicator: r
            for r in IndexManualScore.objects.select_for_update().filter(unit=unit, month=month)
        }
        errors: list[ManualError] = []
        checked: list[tuple[Indicator, Decimal, str]] = []
        from .index766 import year_settings

        settings = year_settings(month.year)
        for code, value in values.items():
            indicator = BY_CODE.get(code)
            if indicator is None or not indicator.manual:
                errors.append(
                    ManualError("", "", _("%(code)s is not entered by hand.") % {"code": code})
                )
                continue
            points, note, found = _check(indicator, value, existing.get(code), month.year, settings)
            errors.extend(found)
            if not found and points is not None:
                checked.append((indicator, points, note))
        if errors:
            return errors
        for indicator, points, note in checked:
            row = existing.get(indicator.code)
            old = None if row is None else {"points": str(row.points), "note": row.note}
            if row is not None and row.points == points and row.note == note:
                continue
            if row is None:
                row = IndexManualScore(unit=unit, month=month, indicator=indicator.code)
            row.points, row.note, row.entered_by = points, note, actor
            row.save()
            audit_record(
                actor=actor,
                action="reports.index766_manual_save",
                obj=row,
                note=str(row),
                data={
                    "unit": unit.code,
                    "month": month.strftime("%Y-%m"),
                    "indicator": indicator.code,
                    "old": old,
                    "new": {"points": str(points.quantize(TWO)), "note": note},
                },
                ip=ip,
            )
    return []
