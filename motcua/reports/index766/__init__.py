"""Decision 766/QĐ-TTg real-time service index, as the national portal computes it (DOMAIN §7).

- `definitions`: the indicators (ids as the portal's: "2.1"), groups, default maxima and targets;
- `settings`: the maxima and targets of a year (data, versioned, `IndexYear`);
- `rules21`: indicator 2.1 in SQL and its pure-Python reference `classify_21`;
- `counts`: the counts of a period (four queries) and the items that cost points;
- `compute`: values, proportional points, the total;
- `export`: Excel and PDF of the whole index.
"""

from __future__ import annotations

from datetime import date, datetime

from ..ontime import period_bounds
from .compute import (
    IndexResult,
    IndicatorResult,
    compute_index,
    index_from_counts,
    manual_entries,
    measure,
    score,
)
from .counts import ALL_COUNTS, failing_queryset, period_counts
from .definitions import BY_CODE, BY_ID, DEFAULTS, GROUPS, INDICATORS, Indicator
from .rules21 import Window, classify_21
from .settings import YearSettings, check_maxima, year_settings

__all__ = [
    "ALL_COUNTS",
    "BY_CODE",
    "BY_ID",
    "DEFAULTS",
    "GROUPS",
    "INDICATORS",
    "IndexResult",
    "Indicator",
    "IndicatorResult",
    "Window",
    "YearSettings",
    "check_maxima",
    "classify_21",
    "compute_index",
    "failing_queryset",
    "index_from_counts",
    "last_day",
    "manual_entries",
    "measure",
    "month_bounds",
    "months_back",
    "period_counts",
    "score",
    "year_settings",
]


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[first day 00:00, first day of next month 00:00) local time."""
    first = month.replace(day=1)
    return period_bounds(first, last_day(first))


def last_day(month: date) -> date:
    """The last calendar day of the month."""
    nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def months_back(last: date, count: int) -> list[date]:
    """`count` first-of-month dates ending with `last`'s month, oldest first."""
    y, m = last.year, last.month
    out = []
    for _i in range(count):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]
