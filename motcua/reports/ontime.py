"""Form II.06a (Circular 01/2020/TT-VPCP): dossiers received, settled early / on time / late, in
progress, and the on-time rate, for a period and a unit (DOMAIN §6).

Everything is computed in the database with ONE aggregate query (conditional counts), so a period
over a million dossiers takes well under a second on PostgreSQL and about a second on SQLite.

Definitions (period = [from, to], dates inclusive, Asia/Ho_Chi_Minh; start = from 00:00,
end = to + 1 day 00:00, exclusive):

- a dossier counts only once it has been *received* (`received_at` set); online submissions that were
  never received (status 1, or refused at intake before reception) are not in II.06a;
- (4)/(5) newly received: `received_at` in the period, online / at the counter or by post;
- (6) carried over: received before the start and neither settled (`finished_at`) nor closed apart
  (`closed_at`) before the start;
- (3) = (4) + (5) + (6): the dossiers to handle in the period;
- (7) settled: among (3), `finished_at` in the period and status 9/10; (8)/(9)/(10) by the
  timeliness rule of `motcua.dossiers.timeliness.classify` (expressed here in SQL, see
  `early_condition` / `on_time_condition`, and checked against `classify` by a property test);
- (11) in progress at the end: among (3), not settled and not closed apart before the end;
  (13) overdue when `due_at` < end, (12) within the deadline otherwise;
- closed apart: among (3), withdrawn (7), refused (3) or stopped (8) with `closed_at` in the period;
  reported in their own columns, so the identity is (3) = (7) + (11) + closed apart.

The identity is checked on every report: a dossier whose data contradicts itself (say a settling time
but a status that is not settled) falls in none of the columns; the report then has
`identity_ok = False` and `unaccounted` > 0, and every surface shows a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Value
from django.utils import timezone

from motcua.core.sqltime import LocalDate, LocalMonth, fixed_offset_minutes  # noqa: F401 (re-exported)
from motcua.dossiers.choices import CLOSED_APART, SETTLED, Channel, Status
from motcua.dossiers.models import Dossier

#: Comparison rules for "on time" (DOMAIN §6): the national default compares timestamps; some
#: provinces count anything on the due date as on time.
COMPARE_TIMESTAMP = "timestamp"
COMPARE_DATE = "date"
COMPARE_RULES = (COMPARE_TIMESTAMP, COMPARE_DATE)

#: Denominators of the rate (DOMAIN §6): settled dossiers (7) (national default) or dossiers that
#: fell due by the end of the period: settled (7) + still open and overdue (13).
DENOMINATOR_SETTLED = "settled"
DENOMINATOR_DUE = "due"
DENOMINATORS = (DENOMINATOR_SETTLED, DENOMINATOR_DUE)

#: Groupings of the grouped report.
GROUP_UNIT, GROUP_FIELD, GROUP_PROCEDURE = "unit", "field", "procedure"
GROUPINGS = (GROUP_UNIT, GROUP_FIELD, GROUP_PROCEDURE)

#: The counted columns (3)–(13) of the form, in its order.
FORM_COLUMNS = (
    "received_total",
    "received_online",
    "received_counter_post",
    "carried_over",
    "settled_total",
    "settled_early",
    "settled_on_time",
    "settled_late",
    "in_progress_total",
    "in_progress_within",
    "in_progress_overdue",
)

#: The columns of the JSON output, in the form's order (the CLI contract).
FIELDS = (*FORM_COLUMNS, "on_time_rate")

#: The stored counts of a report (everything else is derived from them).
COUNT_FIELDS = (
    "received_online",
    "received_counter_post",
    "carried_over",
    "settled_early",
    "settled_on_time",
    "settled_late",
    "in_progress_within",
    "in_progress_overdue",
    "withdrawn",
    "refused",
    "stopped",
    "population",
)


# --- the timeliness rule in SQL (mirror of motcua.dossiers.timeliness.classify) ---------------
# The local dates of settling and of the due time are stored columns of the dossier
# (`finished_on`, `due_on`, computed by the database), so the rule compares two dates per row
# instead of converting two timestamps to the local zone: II.06a over a year of 5M dossiers went
# from 2.5 s to under 1 s on PostgreSQL (bench/README.md).
def early_condition():
    """Early: settled on a date before the due date (a dossier without a due time is never early)."""
    return Q(due_at__isnull=False) & Q(finished_on__lt=F("due_on"))


def on_time_condition(compare: str = COMPARE_TIMESTAMP):
    """On time: on the due date and not after the due time (or no due time at all)."""
    same_day = Q(finished_on=F("due_on"))
    if compare == COMPARE_TIMESTAMP:
        same_day &= Q(finished_at__lte=F("due_at"))
    return Q(due_at__isnull=True) | (Q(due_at__isnull=False) & same_day)


def timeliness_case(compare: str = COMPARE_TIMESTAMP):
    """'early' / 'on_time' / 'late' as one SQL expression (for per-row checks and listings)."""
    from django.db.models import Case, CharField, When

    return Case(
        When(early_condition(), then=Value("early")),
        When(on_time_condition(compare), then=Value("on_time")),
        default=Value("late"),
        output_field=CharField(),
    )


# --- the report --------------------------------------------------------------------------------
def on_time_rate(early_and_on_time: int, settled: int) -> Decimal | None:
    """(8 + 9) / 7 × 100, two decimals (half up); None when nothing was settled (no rate exists)."""
    if settled <= 0:
        return None
    rate = Decimal(early_and_on_time) * 100 / Decimal(settled)
    return rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def period_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """[start, end) of the period: from 00:00 local to the day after `to` 00:00 local."""
    zone = timezone.get_default_timezone()
    start = datetime.combine(date_from, time.min, tzinfo=zone)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


@dataclass(frozen=True)
class OntimeReport:
    """The II.06a figures of one period (numbers of the form's columns in the comments)."""

    date_from: date
    date_to: date
    unit_codes: tuple[str, ...]  # empty: all units
    received_online: int  # (4)
    received_counter_post: int  # (5)
    carried_over: int  # (6)
    settled_early: int  # (8)
    settled_on_time: int  # (9)
    settled_late: int  # (10)
    in_progress_within: int  # (12)
    in_progress_overdue: int  # (13)
    withdrawn: int
    refused: int
    stopped: int
    population: int  # dossiers counted in (3) by the query itself (for the identity)
    compare: str = COMPARE_TIMESTAMP
    denominator: str = DENOMINATOR_SETTLED

    @property
    def received_total(self) -> int:  # (3)
        return self.received_online + self.received_counter_post + self.carried_over

    @property
    def settled_total(self) -> int:  # (7)
        return self.settled_early + self.settled_on_time + self.settled_late

    @property
    def in_progress_total(self) -> int:  # (11)
        return self.in_progress_within + self.in_progress_overdue

    @property
    def closed_apart(self) -> int:
        return self.withdrawn + self.refused + self.stopped

    @property
    def unaccounted(self) -> int:
        """Dossiers of (3) in no column: 0 when the identity (3) = (7) + (11) + closed apart holds."""
        return self.received_total - self.settled_total - self.in_progress_total - self.closed_apart

    @property
    def identity_ok(self) -> bool:
        return self.unaccounted == 0 and self.population == self.received_total

    @property
    def rate_denominator(self) -> int:
        """(7), or (7) + (13) when the rate is over the dossiers due (a provincial variant)."""
        if self.denominator == DENOMINATOR_DUE:
            return self.settled_total + self.in_progress_overdue
        return self.settled_total

    @property
    def on_time_rate(self) -> Decimal | None:
        return on_time_rate(self.settled_early + self.settled_on_time, self.rate_denominator)

    def __add__(self, other: OntimeReport) -> OntimeReport:
        """Two groups' figures summed (roll-ups, totals); the rules must be the same."""
        assert (self.compare, self.denominator) == (other.compare, other.denominator)
        counts = {name: getattr(self, name) + getattr(other, name) for name in COUNT_FIELDS}
        return replace(self, unit_codes=self.unit_codes + other.unit_codes, **counts)

    def as_json(self) -> dict:
        """The CLI's JSON: the contract's fields, then the period, unit and the closed-apart counts."""
        out: dict = {name: getattr(self, name) for name in FIELDS}
        rate = out["on_time_rate"]
        out["on_time_rate"] = float(rate) if rate is not None else None
        out.update(
            {
                "from": self.date_from.isoformat(),
                "to": self.date_to.isoformat(),
                "unit": ",".join(self.unit_codes) or None,
                "closed_apart": self.closed_apart,
                "withdrawn": self.withdrawn,
                "refused": self.refused,
                "stopped": self.stopped,
                "identity_ok": self.identity_ok,
                "unaccounted": self.unaccounted,
                "compare": self.compare,
                "denominator": self.denominator,
            }
        )
        return out


def ontime_queryset(
    date_from: date, date_to: date, unit_ids: list[int] | None = None
) -> QuerySet[Dossier]:
    """Column (3)'s dossiers: received before the end, not settled or closed before the start."""
    start, end = period_bounds(date_from, date_to)
    qs = Dossier.objects.filter(received_at__lt=end)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return qs.filter(Q(finished_at__isnull=True) | Q(finished_at__gte=start)).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=start)
    )


def _aggregates(date_from: date, date_to: date, compare: str) -> dict:
    """The conditional counts of one II.06a row (the same expressions for totals and groups)."""
    start, end = period_bounds(date_from, date_to)
    new = Q(received_at__gte=start)
    settled = Q(finished_at__gte=start, finished_at__lt=end, status__in=list(SETTLED))
    open_at_end = (Q(finished_at__isnull=True) | Q(finished_at__gte=end)) & (
        Q(closed_at__isnull=True) | Q(closed_at__gte=end)
    )
    overdue = Q(due_at__lt=end)
    within = Q(due_at__isnull=True) | Q(due_at__gte=end)

    def closed(status: Status) -> Q:
        assert status in CLOSED_APART
        return Q(closed_at__gte=start, closed_at__lt=end, status=status)

    return {
        "population": Count("pk"),
        "received_online": Count("pk", filter=new & Q(channel=Channel.ONLINE)),
        "received_counter_post": Count(
            "pk", filter=new & Q(channel__in=[Channel.COUNTER, Channel.POST])
        ),
        "carried_over": Count("pk", filter=Q(received_at__lt=start)),
        "settled_total": Count("pk", filter=settled),
        "settled_early": Count("pk", filter=settled & early_condition()),
        "settled_on_time": Count("pk", filter=settled & on_time_condition(compare)),
        "in_progress_within": Count("pk", filter=open_at_end & within),
        "in_progress_overdue": Count("pk", filter=open_at_end & overdue),
        "withdrawn": Count("pk", filter=closed(Status.WITHDRAWN)),
        "refused": Count("pk", filter=closed(Status.REFUSED)),
        "stopped": Count("pk", filter=closed(Status.STOPPED)),
    }


def _figures(row: dict) -> dict:
    """A database row of `_aggregates` → the OntimeReport counts (late = settled − the others)."""
    out = {name: row[name] for name in COUNT_FIELDS if name != "settled_late"}
    out["settled_late"] = row["settled_total"] - row["settled_early"] - row["settled_on_time"]
    return out


def _check_rules(date_from: date, date_to: date, compare: str, denominator: str) -> None:
    if date_from > date_to:
        raise ValueError("date_from is after date_to")
    if compare not in COMPARE_RULES:
        raise ValueError(f"unknown comparison rule {compare!r}")
    if denominator not in DENOMINATORS:
        raise ValueError(f"unknown denominator {denominator!r}")


def compute_ontime(
    date_from: date,
    date_to: date,
    *,
    units=None,
    compare: str = COMPARE_TIMESTAMP,
    denominator: str = DENOMINATOR_SETTLED,
) -> OntimeReport:
    """The II.06a figures for [date_from, date_to] over `units` (Unit objects; None: all units).

    One query whatever the number of dossiers.
    """
    _check_rules(date_from, date_to, compare, denominator)
    unit_list = None if units is None else list(units)
    unit_ids = None if unit_list is None else [u.pk for u in unit_list]
    qs = ontime_queryset(date_from, date_to, unit_ids)
    row = qs.aggregate(**_aggregates(date_from, date_to, compare))
    return OntimeReport(
        date_from=date_from,
        date_to=date_to,
        unit_codes=tuple(u.code for u in unit_list) if unit_list is not None else (),
        compare=compare,
        denominator=denominator,
        **_figures(row),
    )


@dataclass(frozen=True)
class ReportRow:
    """One line of a grouped report: what it is about, and its figures."""

    key: int | None  # unit / field / procedure id (None: "no field")
    code: str
    label: str
    report: OntimeReport
    historical: bool = False  # a unit that no longer exists (shown as it was)
    merged: tuple[str, ...] = ()  # codes of historical units rolled up into this one


@dataclass(frozen=True)
class GroupedReport:
    """A II.06a table: one row per group, the total, and whether every identity holds."""

    group_by: str
    rows: list[ReportRow]
    total: OntimeReport
    rollup: bool

    @property
    def identity_ok(self) -> bool:
        """Every row's identity, the total's, and the rows adding up to the total (DOMAIN §6)."""
        if not self.total.identity_ok or not all(r.report.identity_ok for r in self.rows):
            return False
        return all(
            sum(getattr(r.report, name) for r in self.rows) == getattr(self.total, name)
            for name in COUNT_FIELDS
        )


def successor_map(unit_ids) -> dict[int, int]:
    """unit id → id of the unit it rolled up into (following successors; itself if none).

    Two queries for the whole graph instead of `Unit.successor_root` per unit.
    """
    from motcua.orgs.models import Unit

    through = Unit.predecessors.through
    # A row (from_unit=successor, to_unit=predecessor): the predecessor's successor.
    nxt: dict[int, int] = {}
    for successor, predecessor in through.objects.order_by("from_unit_id").values_list(
        "from_unit_id", "to_unit_id"
    ):
        nxt.setdefault(predecessor, successor)  # lowest successor id, like successor_root
    out = {}
    for uid in unit_ids:
        seen, cur = {uid}, uid
        while cur in nxt and nxt[cur] not in seen:
            cur = nxt[cur]
            seen.add(cur)
        out[uid] = cur
    return out


def compute_grouped(
    date_from: date,
    date_to: date,
    *,
    units=None,
    group_by: str = GROUP_UNIT,
    rollup: bool = False,
    compare: str = COMPARE_TIMESTAMP,
    denominator: str = DENOMINATOR_SETTLED,
) -> GroupedReport:
    """II.06a with one row per unit, field or procedure: one aggregate query plus the labels.

    With `rollup`, rows of historical units are added to their successor's (DOMAIN §14); without
    it every unit is shown as it was when it received the dossiers.
    """
    from motcua.orgs.models import Unit
    from motcua.procedures.models import Field, Procedure

    _check_rules(date_from, date_to, compare, denominator)
    if group_by not in GROUPINGS:
        raise ValueError(f"unknown grouping {group_by!r}")
    unit_list = None if units is None else list(units)
    unit_ids = None if unit_list is None else [u.pk for u in unit_list]
    column = {GROUP_UNIT: "unit_id", GROUP_FIELD: "procedure__field_id"}.get(
        group_by, "procedure_id"
    )
    qs = ontime_queryset(date_from, date_to, unit_ids).order_by()
    rows = list(
        qs.values(key=F(column)).annotate(**_aggregates(date_from, date_to, compare)).order_by()
    )
    common = {
        "date_from": date_from,
        "date_to": date_to,
        "compare": compare,
        "denominator": denominator,
    }
    reports = {
        row["key"]: OntimeReport(unit_codes=(), **common, **_figures(row))
        for row in rows
        if row["population"]
    }
    out: list[ReportRow] = []
    if group_by == GROUP_UNIT:
        roots = successor_map(reports) if rollup else {k: k for k in reports}
        merged: dict[int, OntimeReport] = {}
        members: dict[int, list[int]] = {}
        for key, report in reports.items():
            root = roots[key]
            merged[root] = merged[root] + report if root in merged else report
            members.setdefault(root, []).append(key)
        info = Unit.objects.in_bulk([*merged, *reports])
        for root, report in merged.items():
            unit = info[root]
            extra = tuple(sorted(info[k].code for k in members[root] if k != root))
            out.append(
                ReportRow(
                    key=root,
                    code=unit.code,
                    label=str(unit),
                    report=replace(report, unit_codes=(unit.code, *extra)),
                    historical=bool(unit.valid_to or unit.is_historical),
                    merged=extra,
                )
            )
    else:
        model = Field if group_by == GROUP_FIELD else Procedure
        info = model.objects.in_bulk([k for k in reports if k is not None])
        for key, report in reports.items():
            obj = info.get(key)
            out.append(
                ReportRow(
                    key=key,
                    code=getattr(obj, "code", ""),
                    label=getattr(obj, "name", "") or "—",
                    report=report,
                )
            )
    out.sort(key=lambda r: (r.code, r.label))
    total_counts = {name: sum(getattr(r.report, name) for r in out) for name in COUNT_FIELDS}
    total = OntimeReport(
        unit_codes=tuple(u.code for u in unit_list) if unit_list is not None else (),
        **common,
        **total_counts,
    )
    return GroupedReport(group_by=group_by, rows=out, total=total, rollup=rollup)


#: II.06a columns a figure can be drilled into (the dossiers behind the number).
DRILL_COLUMNS = (*FORM_COLUMNS, "withdrawn", "refused", "stopped")


def column_queryset(
    column: str,
    date_from: date,
    date_to: date,
    *,
    unit_ids=None,
    compare: str = COMPARE_TIMESTAMP,
    procedure_id: int | None = None,
    field_id: int | None = None,
) -> QuerySet[Dossier]:
    """The dossiers counted in one column of the report (same conditions as `_aggregates`)."""
    if column not in DRILL_COLUMNS:
        raise ValueError(f"unknown column {column!r}")
    start, end = period_bounds(date_from, date_to)
    qs = ontime_queryset(date_from, date_to, None if unit_ids is None else list(unit_ids))
    if procedure_id is not None:
        qs = qs.filter(procedure_id=procedure_id)
    if field_id is not None:
        qs = qs.filter(procedure__field_id=field_id)
    new = Q(received_at__gte=start)
    settled = Q(finished_at__gte=start, finished_at__lt=end, status__in=list(SETTLED))
    open_at_end = (Q(finished_at__isnull=True) | Q(finished_at__gte=end)) & (
        Q(closed_at__isnull=True) | Q(closed_at__gte=end)
    )
    conditions = {
        "received_total": Q(),
        "received_online": new & Q(channel=Channel.ONLINE),
        "received_counter_post": new & Q(channel__in=[Channel.COUNTER, Channel.POST]),
        "carried_over": Q(received_at__lt=start),
        "settled_total": settled,
        "settled_early": settled & early_condition(),
        "settled_on_time": settled & on_time_condition(compare),
        "settled_late": settled & ~early_condition() & ~on_time_condition(compare),
        "in_progress_total": open_at_end,
        "in_progress_within": open_at_end & (Q(due_at__isnull=True) | Q(due_at__gte=end)),
        "in_progress_overdue": open_at_end & Q(due_at__lt=end),
        "withdrawn": Q(closed_at__gte=start, closed_at__lt=end, status=Status.WITHDRAWN),
        "refused": Q(closed_at__gte=start, closed_at__lt=end, status=Status.REFUSED),
        "stopped": Q(closed_at__gte=start, closed_at__lt=end, status=Status.STOPPED),
    }
    return qs.filter(conditions[column])
