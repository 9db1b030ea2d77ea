"""Stored monthly figures ("rollups"): what the monthly job writes and the dashboard reads.

For each unit and each finished month, `MonthlyReport.figures` keeps *counts*, never ratios:
the II.06a columns, the named counts behind the 766 indicators (`index766.counts.ALL_COUNTS`:
received, synced, late under rule 2.1, …), and per procedure
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

from .index766 import ALL_COUNTS, last_day, month_bounds, period_counts
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

#: 3: the 766 counts of the national formula, and the II.06a counts per rule profile
#: (`"rules"` = `Rules.key()`), not per comparison (issue 11).
VERSION = 3


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
    index_counts = period_counts(month, last_day(month), None, by_unit=True)
    for uid in units:
        found = index_counts.get(uid, {})
        out[uid]["index"] = {name: found.get(name, 0) for name in ALL_COUNTS}
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
            "index": dict.fromkeys(ALL_COUNTS, 0),
            "procedures": defaultdict(lambda: [0, 0]),
        }
        for f in items:
            for k, v in f["ontime"].items():
                total["ontime"][k] += v
            for k, v in f["index"].items():
                if k in total["index"]:
                    total["index"][k] += v
            for k, (a, b) in f["procedures"].items():
                total["procedures"][k][0] += a
                total["procedures"][k][1] += b
        out[month] = total
    return out
