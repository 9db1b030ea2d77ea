"""Stored monthly figures ("rollups"): what the monthly job writes and the dashboard reads.

For each unit and each finished month, `MonthlyReport.figures` keeps *counts*, never ratios:
the II.06a columns, for every computed 766 indicator (measured, failing), and per procedure
(settled, early or on time). Counts add up across units, so any set of units is a sum of rows;
ratios and points are derived afterwards exactly as the live computation derives them. A property
test checks that the sums equal the raw computation.

The current month is always computed live; a finished month without stored rows (the job has
not run yet) is computed live too, so the dashboard is never wrong, only slower.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import Count

from motcua.dossiers.choices import SETTLED
from motcua.orgs.models import Unit

from .index766 import INDICATORS, counts_many, last_day, month_bounds
from .models import MonthlyReport
from .ontime import (
    COMPARE_TIMESTAMP,
    COUNT_FIELDS,
    Rules,
    compute_grouped,
    early_condition,
    on_time_condition,
    profile_rules,
)

#: 2: the II.06a counts are per rule profile (`"rules"` = `Rules.key()`), not per comparison.
VERSION = 2


def procedure_counts(month: date, *, unit_ids=None, compare: str = COMPARE_TIMESTAMP) -> dict:
    """{(unit id, procedure id): (settled, early or on time)} for the month — one query."""
    from motcua.dossiers.models import Dossier

    s, e = month_bounds(month)
    qs = Dossier.objects.order_by().filter(
        finished_at__gte=s, finished_at__lt=e, status__in=list(SETTLED)
    )
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    rows = qs.values("unit_id", "procedure_id").annotate(
        settled=Count("pk"), ok=Count("pk", filter=early_condition() | on_time_condition(compare))
    )
    return {(r["unit_id"], r["procedure_id"]): (r["settled"], r["ok"]) for r in rows}


def month_figures(month: date, *, rules: Rules) -> dict[int, dict]:
    """{unit id: figures} of one month for every unit, computed raw (about a dozen queries)."""
    units = list(Unit.objects.values_list("pk", flat=True))
    grouped = compute_grouped(month, last_day(month), group_by="unit", rules=rules)
    compare = rules.compare
    out: dict[int, dict] = {
        uid: {
            "v": VERSION,
            "rules": rules.key(),
            "profile": rules.code,
            "ontime": dict.fromkeys(COUNT_FIELDS, 0),
            "index": {},
            "procedures": {},
        }
        for uid in units
    }
    for row in grouped.rows:
        out[row.key]["ontime"] = {name: getattr(row.report, name) for name in COUNT_FIELDS}
    computed = [i for i in INDICATORS if not i.manual]
    all_counts = counts_many(computed, None, [month], by_unit=True)
    for indicator in computed:
        for uid in units:
            found = all_counts[indicator.code].get((month, uid), (0, 0))
            out[uid]["index"][indicator.code] = list(found)
    for (uid, pid), (settled, ok) in procedure_counts(month, compare=compare).items():
        out[uid]["procedures"][str(pid)] = [settled, ok]
    return out


@transaction.atomic
def store_month(month: date, *, rules: Rules | None = None) -> int:
    """(Re)write the month's rows for every unit with `rules` (default: the department's default
    profile); idempotent. Returns the number of rows."""
    month = month.replace(day=1)
    figures = month_figures(month, rules=rules or profile_rules())
    for uid, data in figures.items():
        MonthlyReport.objects.update_or_create(month=month, unit_id=uid, defaults={"figures": data})
    return len(figures)


def stored(months: list[date], unit_ids, rules: Rules) -> dict[date, dict]:
    """Summed stored figures of the months fully stored for the units with `rules` (others left
    out: a month stored under another profile is computed live)."""
    qs = MonthlyReport.objects.filter(month__in=months, unit__isnull=False)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    expected = len(list(unit_ids)) if unit_ids is not None else Unit.objects.count()
    rows: dict[date, list] = defaultdict(list)
    for month, figures in qs.values_list("month", "figures"):
        if figures.get("v") == VERSION and figures.get("rules") == rules.key():
            rows[month].append(figures)
    out = {}
    for month, items in rows.items():
        if len(items) != expected:
            continue  # a unit missing: not fully stored, compute live
        total = {
            "ontime": dict.fromkeys(COUNT_FIELDS, 0),
            "index": defaultdict(lambda: [0, 0]),
            "procedures": defaultdict(lambda: [0, 0]),
        }
        for f in items:
            for k, v in f["ontime"].items():
                total["ontime"][k] += v
            for section in ("index", "procedures"):
                for k, (a, b) in f[section].items():
                    total[section][k][0] += a
                    total[section][k][1] += b
        out[month] = total
    return out
