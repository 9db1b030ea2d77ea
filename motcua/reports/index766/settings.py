"""The 766 scoring settings of a year: data, versioned (DOMAIN §7).

A version (`IndexYear`) is valid from its year until the next version; a year before every
version uses the defaults of `definitions.DEFAULTS` (the same values the seed migration stores).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .definitions import BY_ID, DEFAULTS, GROUPS, INDICATORS


@dataclass(frozen=True)
class YearSettings:
    year: int | None  # the version's year; None = the built-in defaults
    empty_full_points: bool = True
    values: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)

    def of(self, indicator_id: str) -> tuple[Decimal, Decimal]:
        """(max points, target %) of an indicator."""
        return self.values.get(indicator_id) or DEFAULTS[indicator_id]


def year_settings(year: int) -> YearSettings:
    """The settings valid in `year` (two queries)."""
    from ..models import IndexYear

    row = IndexYear.objects.filter(year__lte=year).order_by("-year").first()
    if row is None:
        return YearSettings(None)
    values = {
        r.indicator: (r.max_points, r.target)
        for r in row.indicators.all()  # type: ignore[attr-defined]
    }
    return YearSettings(row.year, row.empty_full_points, values)


def check_maxima(maxima: dict[str, Decimal]) -> list[str]:
    """Vietnamese-translated reasons why a version's maxima are wrong; [] when they are right.

    Every indicator once, known ids only, and each group's maxima summing to the group's maximum
    of the decision (18 / 20 / 22 / 22 / 18)."""
    errors = []
    unknown = sorted(set(maxima) - set(BY_ID))
    if unknown:
        errors.append(_("Unknown indicator(s): %(ids)s.") % {"ids": ", ".join(unknown)})
    missing = [i.id for i in INDICATORS if i.id not in maxima]
    if missing:
        errors.append(
            _("Every indicator needs a row; missing: %(ids)s.") % {"ids": ", ".join(missing)}
        )
        return errors
    for key, label, maximum in GROUPS:
        total = sum((maxima[i.id] for i in INDICATORS if i.group == key), Decimal(0))
        if total != maximum:
            errors.append(
                _(
                    "Group %(group)s (%(label)s): the maxima add up to %(total)s points, "
                    "the decision gives the group %(max)s."
                )
                % {"group": key, "label": label, "total": total, "max": maximum}
            )
    return errors
