"""The leaders' dashboard figures; each function is one query whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from motcua.dossiers.choices import OPEN, SETTLED
from motcua.dossiers.models import Dossier

from .index766 import month_bounds
from .ontime import (
    COMPARE_TIMESTAMP,
    LocalMonth,
    early_condition,
    on_time_condition,
    on_time_rate,
    period_bounds,
)


@dataclass(frozen=True)
class MonthRate:
    month: date
    settled: int
    early_or_on_time: int

    @property
    def late(self) -> int:
        return self.settled - self.early_or_on_time

    @property
    def rate(self) -> Decimal | None:
        return on_time_rate(self.early_or_on_time, self.settled)


def _dossiers(unit_ids):
    qs = Dossier.objects.order_by()
    return qs if unit_ids is None else qs.filter(unit_id__in=list(unit_ids))


def monthly_rates(
    months: list[date], *, unit_ids=None, compare: str = COMPARE_TIMESTAMP
) -> list[MonthRate]:
    """Settled dossiers per month (by settling time) and how many were early or on time."""
    start, _ = month_bounds(months[0])
    _, end = month_bounds(months[-1])
    rows = (
        _dossiers(unit_ids)
        .filter(finished_at__gte=start, finished_at__lt=end, status__in=list(SETTLED))
        .values(m=LocalMonth("finished_at"))
        .annotate(
            settled=Count("pk"),
            ok=Count("pk", filter=early_condition() | on_time_condition(compare)),
        )
        .order_by()
    )
    found = {r["m"]: r for r in rows}
    out = []
    for m in months:
        r = found.get(m.strftime("%Y-%m"), {"settled": 0, "ok": 0})
        out.append(MonthRate(m, r["settled"], r["ok"]))
    return out


@dataclass
class Workload:
    """Open dossiers overdue now or due later today, by current step and by officer."""

    by_step: list[dict]
    by_officer: list[dict]
    overdue: int
    due_today: int


def end_of_today(now: datetime) -> datetime:
    today = timezone.localtime(now).date()
    return datetime.combine(
        today + timedelta(days=1), time.min, tzinfo=timezone.localtime(now).tzinfo
    )


def workload(now: datetime, *, unit_ids=None) -> Workload:
    """One grouped query over the open dossiers due before the end of today."""
    eod = end_of_today(now)
    rows = list(
        _dossiers(unit_ids)
        .filter(status__in=list(OPEN), due_at__lt=eod)
        .values(
            "current_step__name",
            "current_step__assignee_id",
            "current_step__assignee__username",
            "current_step__assignee__first_name",
            "current_step__assignee__last_name",
        )
        .annotate(
            overdue=Count("pk", filter=Q(due_at__lt=now)),
            due_today=Count("pk", filter=Q(due_at__gte=now)),
        )
        .order_by()
    )
    steps: dict[str, dict] = {}
    officers: dict[int | None, dict] = {}
    for r in rows:
        step = r["current_step__name"] or ""
        s = steps.setdefault(step, {"step": step, "overdue": 0, "due_today": 0})
        uid = r["current_step__assignee_id"]
        name = " ".join(
            x
            for x in (
                r["current_step__assignee__last_name"],
                r["current_step__assignee__first_name"],
            )
            if x
        ) or (r["current_step__assignee__username"] or "")
        o = officers.setdefault(
            uid, {"officer_id": uid, "name": name, "overdue": 0, "due_today": 0}
        )
        for key in ("overdue", "due_today"):
            s[key] += r[key]
            o[key] += r[key]
    order = lambda d: (-d["overdue"], -d["due_today"], str(d.get("step", d.get("name"))))  # noqa: E731
    by_step = sorted(steps.values(), key=order)
    by_officer = sorted(officers.values(), key=order)
    return Workload(
        by_step=by_step,
        by_officer=by_officer,
        overdue=sum(d["overdue"] for d in by_step),
        due_today=sum(d["due_today"] for d in by_step),
    )


def late_procedures(
    date_from: date,
    date_to: date,
    *,
    unit_ids=None,
    compare: str = COMPARE_TIMESTAMP,
    limit: int = 10,
) -> list[dict]:
    """Procedures with the most dossiers settled late in the period (with their on-time rate)."""
    start, end = period_bounds(date_from, date_to)
    ok = early_condition() | on_time_condition(compare)
    rows = (
        _dossiers(unit_ids)
        .filter(finished_at__gte=start, finished_at__lt=end, status__in=list(SETTLED))
        .values("procedure_id", "procedure__code", "procedure__name")
        .annotate(settled=Count("pk"), ok=Count("pk", filter=ok))
        .order_by()
    )
    out = []
    for r in rows:
        late = r["settled"] - r["ok"]
        if late:
            out.append({**r, "late": late, "rate": on_time_rate(r["ok"], r["settled"])})
    out.sort(key=lambda r: (-r["late"], r["procedure__code"]))
    return out[:limit]


@dataclass
class Trend:
    rates: list[MonthRate]
    index: list  # IndexResult per month
    late: list[dict]
    stored_months: int


def trend(months: list[date], *, unit_ids=None, rules=None) -> Trend:
    """12-month figures: stored monthly rows for finished months, live for the rest.

    The monthly rate is over dossiers settled with a result (9, 10) by the profile's comparison,
    the same for stored and live months (`rules`: a `Rules`; None: the legacy rules)."""
    from motcua.procedures.models import Procedure

    from .index766 import YearSettings, compute_index, index_from_counts, last_day, year_settings
    from .models import IndexManualScore
    from .ontime import LEGACY
    from .rollup import procedure_counts, stored

    rules = rules or LEGACY
    compare = rules.compare
    store = stored(months[:-1], unit_ids, rules)
    live = [m for m in months if m not in store]
    # Live months (usually only the current one): one grouped query per month gives both the
    # month's rate (the sum over procedures) and the late procedures.
    live_procs = {m: procedure_counts(m, unit_ids=unit_ids, compare=compare) for m in live}
    live_rates = {
        m: MonthRate(m, sum(s for s, _ok in c.values()), sum(ok for _s, ok in c.values()))
        for m, c in live_procs.items()
    }
    live_index = {m: compute_index(m, last_day(m), unit_ids=unit_ids) for m in live}
    manual: dict = {}
    if unit_ids is not None and len(list(unit_ids)) == 1 and store:
        for row in IndexManualScore.objects.filter(
            unit_id__in=list(unit_ids), month__in=list(store)
        ):
            manual.setdefault(row.month, {})[row.indicator] = row
    rates, index = [], []
    years: dict[int, YearSettings] = {}  # the 766 settings: two queries per year, not per month
    per_procedure: dict[int, list[int]] = {}
    for m in months:
        if m in store:
            # The per-procedure counts (results only), as the live months: the II.06a counts
            # may include withdrawn or stopped dossiers, depending on the profile.
            procs = store[m]["procedures"].values()
            rates.append(MonthRate(m, sum(s for s, _ok in procs), sum(ok for _s, ok in procs)))
            if m.year not in years:
                years[m.year] = year_settings(m.year)
            index.append(
                index_from_counts(
                    m, last_day(m), dict(store[m]["index"]), manual.get(m), years[m.year]
                )
            )
            for pid, (s, ok) in store[m]["procedures"].items():
                acc = per_procedure.setdefault(int(pid), [0, 0])
                acc[0] += s
                acc[1] += ok
        else:
            rates.append(live_rates[m])
            index.append(live_index[m])
            for (_uid, pid), (s, ok) in live_procs[m].items():
                acc = per_procedure.setdefault(pid, [0, 0])
                acc[0] += s
                acc[1] += ok
    late_ids = [pid for pid, (s, ok) in per_procedure.items() if s > ok]
    names = Procedure.objects.in_bulk(late_ids) if late_ids else {}
    late = [
        {
            "procedure_id": pid,
            "procedure__code": names[pid].code if pid in names else "",
            "procedure__name": names[pid].name if pid in names else "",
            "settled": s,
            "ok": ok,
            "late": s - ok,
            "rate": on_time_rate(ok, s),
        }
        for pid, (s, ok) in per_procedure.items()
        if s > ok
    ]
    late.sort(key=lambda r: (-r["late"], r["procedure__code"]))
    return Trend(rates=rates, index=index, late=late[:10], stored_months=len(store))
