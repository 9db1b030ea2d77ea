"""Form II.06a (Circular 01/2020/TT-VPCP): dossiers received, settled early / on time / late, in
progress, and the on-time rate, for a period and a unit (DOMAIN §6).

Everything is computed in the database with ONE aggregate query (conditional counts), so a period
over a million dossiers takes well under a second on PostgreSQL and about a second on SQLite.
Once `motcua report rebuild-daily` has filled them, the same counts come from the daily figures
per unit, procedure and day (`motcua.reports.daily`): a few bucket rows per group, whatever the
stored history; the raw rows answer when the figures cannot (not filled, data contradicting
itself) and for the drill-down (`column_queryset`). Both give the same figures (property test).

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

Rule profiles (DOMAIN §6): how statuses 3 (refused after reception), 5, 6, 7 and 8 count, the
comparison (dates or timestamps) and the rate's denominator are a named profile stored as data
(`RuleProfile`, seeded "national", "provincial", "motcua-2023"); `Rules` is its plain copy used
here. A refused / withdrawn / stopped dossier ends at `closed_at`; closed in the period it is
reported apart, settled on time, settled early / on time / late by its end date, or in progress
(within, or by its due time) as its profile says. Waiting dossiers (5, 6) stay in progress, within
the deadline or by their due time. The defaults of `Rules` are the rule motcua used before
profiles existed ("motcua-2023"); reports read the department's default profile.

The identity is checked on every report: a dossier whose data contradicts itself (say a settling time
but a status that is not settled) falls in none of the columns; the report then has
`identity_ok = False` and `unaccounted` > 0, and every surface shows a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.lookups import Exact, LessThan
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

#: How a profile counts a status (values of `motcua.reports.models.StatusRule`, DOMAIN §6).
APART = "apart"
SETTLED_ON_TIME = "settled_on_time"
SETTLED_BY_DATE = "settled_by_date"
IN_PROGRESS_WITHIN = "in_progress_within"
IN_PROGRESS_BY_DUE = "in_progress_by_due"
STATUS_RULES = (APART, SETTLED_ON_TIME, SETTLED_BY_DATE, IN_PROGRESS_WITHIN, IN_PROGRESS_BY_DUE)
#: Waiting dossiers have no end of processing: they can only be in progress.
WAITING_RULES = (IN_PROGRESS_WITHIN, IN_PROGRESS_BY_DUE)

#: The profile fields of each status the profiles treat (closed ones end at `closed_at`).
CLOSED_STATUS_FIELDS = {
    Status.REFUSED: "refused",
    Status.WITHDRAWN: "withdrawn",
    Status.STOPPED: "stopped",
}
WAITING_STATUS_FIELDS = {
    Status.WAITING_SUPPLEMENT: "waiting_supplement",
    Status.WAITING_PAYMENT: "waiting_payment",
}


@dataclass(frozen=True)
class Rules:
    """The counting rules of one II.06a report: a plain copy of a `RuleProfile` (DOMAIN §6).

    The defaults are motcua's rule before profiles existed (the seeded "motcua-2023")."""

    code: str = "motcua-2023"
    name: str = "motcua 2023"
    refused: str = APART
    waiting_supplement: str = IN_PROGRESS_BY_DUE
    waiting_payment: str = IN_PROGRESS_BY_DUE
    withdrawn: str = APART
    stopped: str = APART
    compare: str = "timestamp"
    denominator: str = "settled"

    @classmethod
    def of(cls, profile) -> Rules:
        """The rules of a `RuleProfile` row (or anything with the same attributes)."""
        return cls(**{f.name: getattr(profile, f.name) for f in fields(cls)})

    def status_rule(self, status: int) -> str:
        name = CLOSED_STATUS_FIELDS.get(status) or WAITING_STATUS_FIELDS[status]  # type: ignore[index]
        return getattr(self, name)

    def key(self) -> str:
        """Everything the counts depend on, for stored figures (the name is not part of it)."""
        return "|".join(str(getattr(self, f.name)) for f in fields(self) if f.name != "name")

    def check(self) -> None:
        """ValueError when a rule is unknown (a bad row or a bad call)."""
        if self.compare not in COMPARE_RULES:
            raise ValueError(f"unknown comparison rule {self.compare!r}")
        if self.denominator not in DENOMINATORS:
            raise ValueError(f"unknown denominator {self.denominator!r}")
        for name in CLOSED_STATUS_FIELDS.values():
            if getattr(self, name) not in STATUS_RULES:
                raise ValueError(f"unknown rule {getattr(self, name)!r} for {name}")
        for name in WAITING_STATUS_FIELDS.values():
            if getattr(self, name) not in WAITING_RULES:
                raise ValueError(f"a waiting dossier is in progress, not {getattr(self, name)!r}")


#: The rule motcua used before profiles (and the fallback when no profile is stored).
LEGACY = Rules()


def profile_rules(code: str | None = None) -> Rules:
    """The rules of the profile `code`, or of the department's default (`RuleProfile.is_default`).

    LookupError for an unknown code; the legacy rules when no profile is stored at all."""
    from .models import RuleProfile

    if code:
        row = RuleProfile.objects.filter(code=code).first()
        if row is None:
            raise LookupError(code)
        return Rules.of(row)
    row = RuleProfile.objects.filter(is_default=True).first()
    return Rules.of(row) if row is not None else LEGACY


def pick_rules(profiles, code: str | None) -> Rules | None:
    """Among loaded `RuleProfile` rows: `code`'s, else the default's (None: unknown code)."""
    rows = list(profiles)
    if code:
        found = [p for p in rows if p.code == code]
        return Rules.of(found[0]) if found else None
    default = [p for p in rows if p.is_default]
    return Rules.of(default[0]) if default else LEGACY


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
def _end_date(end: str):
    """The local date of the end of processing: the stored `finished_on`, else computed."""
    return "finished_on" if end == "finished_at" else LocalDate(end)


def early_condition(end: str = "finished_at"):
    """Early: ended on a date before the due date (a dossier without a due time is never early).

    `end` is the column holding the end of processing: `finished_at` (settled, 9/10) or
    `closed_at` (refused, withdrawn, stopped: DOMAIN §7, 2.1)."""
    day = _end_date(end)
    if isinstance(day, str):
        return Q(due_at__isnull=False) & Q(**{f"{day}__lt": F("due_on")})
    return Q(due_at__isnull=False) & Q(LessThan(day, F("due_on")))


def on_time_condition(compare: str = COMPARE_TIMESTAMP, end: str = "finished_at"):
    """On time: on the due date and not after the due time (or no due time at all)."""
    day = _end_date(end)
    same_day = Q(**{day: F("due_on")}) if isinstance(day, str) else Q(Exact(day, F("due_on")))
    if compare == COMPARE_TIMESTAMP:
        same_day &= Q(**{f"{end}__lte": F("due_at")})
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
    rules: Rules = LEGACY

    @property
    def compare(self) -> str:
        return self.rules.compare

    @property
    def denominator(self) -> str:
        return self.rules.denominator

    @property
    def profile(self) -> str:
        """The code of the rule profile the figures were counted with (every report states it)."""
        return self.rules.code

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
        assert self.rules == other.rules
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
                "profile": self.profile,
                "profile_name": self.rules.name,
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


_NEVER = Q(pk__isnull=True)


def _any(conditions: list[Q]) -> Q:
    """OR of the conditions; never true for none."""
    if not conditions:
        return _NEVER
    out = conditions[0]
    for c in conditions[1:]:
        out |= c
    return out


def _conditions(date_from: date, date_to: date, rules: Rules) -> dict[str, Q]:
    """The condition of every II.06a column (and the apart ones) under `rules` (DOMAIN §6).

    Among column (3)'s dossiers (`ontime_queryset`); shared by the aggregate and the drill-down."""
    start, end = period_bounds(date_from, date_to)
    compare = rules.compare
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

    def closed_by(rule: str) -> Q:
        # Refused (after reception), withdrawn, stopped in the period: end = closed_at.
        return _any(
            [
                closed(st)
                for st, name in CLOSED_STATUS_FIELDS.items()
                if getattr(rules, name) == rule
            ]
        )

    def apart(status: Status) -> Q:
        return closed(status) if rules.status_rule(status) == APART else _NEVER

    waiting_within = [
        st
        for st, name in WAITING_STATUS_FIELDS.items()
        if getattr(rules, name) == IN_PROGRESS_WITHIN
    ]
    always_within = Q(status__in=waiting_within) if waiting_within else _NEVER
    by_date = closed_by(SETTLED_BY_DATE)
    on_time_closed = closed_by(SETTLED_ON_TIME)
    by_due = closed_by(IN_PROGRESS_BY_DUE)
    early_f, on_time_f = early_condition(), on_time_condition(compare)
    early_c, on_time_c = early_condition("closed_at"), on_time_condition(compare, "closed_at")
    return {
        "received_total": Q(),
        "received_online": new & Q(channel=Channel.ONLINE),
        "received_counter_post": new & Q(channel__in=[Channel.COUNTER, Channel.POST]),
        "carried_over": Q(received_at__lt=start),
        "settled_total": settled | by_date | on_time_closed,
        "settled_early": (settled & early_f) | (by_date & early_c),
        "settled_on_time": (settled & on_time_f) | (by_date & on_time_c) | on_time_closed,
        "settled_late": (settled & ~early_f & ~on_time_f) | (by_date & ~early_c & ~on_time_c),
        "in_progress_total": open_at_end | closed_by(IN_PROGRESS_WITHIN) | by_due,
        "in_progress_within": (open_at_end & (always_within | within))
        | closed_by(IN_PROGRESS_WITHIN)
        | (by_due & within),
        "in_progress_overdue": (open_at_end & ~always_within & overdue) | (by_due & overdue),
        "withdrawn": apart(Status.WITHDRAWN),
        "refused": apart(Status.REFUSED),
        "stopped": apart(Status.STOPPED),
    }


#: The counts the aggregate query computes (late is settled − early − on time).
_AGGREGATED = (
    "received_online",
    "received_counter_post",
    "carried_over",
    "settled_total",
    "settled_early",
    "settled_on_time",
    "in_progress_within",
    "in_progress_overdue",
    "withdrawn",
    "refused",
    "stopped",
)


def _aggregates(date_from: date, date_to: date, rules: Rules) -> dict:
    """The conditional counts of one II.06a row (the same expressions for totals and groups)."""
    conditions = _conditions(date_from, date_to, rules)
    out = {"population": Count("pk")}
    out.update({name: Count("pk", filter=conditions[name]) for name in _AGGREGATED})
    return out


def _figures(row: dict) -> dict:
    """A database row of `_aggregates` → the OntimeReport counts (late = settled − the others)."""
    out = {name: row[name] for name in COUNT_FIELDS if name != "settled_late"}
    out["settled_late"] = row["settled_total"] - row["settled_early"] - row["settled_on_time"]
    return out


def _check(date_from: date, date_to: date, rules: Rules) -> None:
    if date_from > date_to:
        raise ValueError("date_from is after date_to")
    rules.check()


def _rules(rules: Rules | str | None) -> Rules:
    """A `Rules`, a profile code, or None (the department's default profile)."""
    if isinstance(rules, Rules):
        return rules
    return profile_rules(rules)


#: Where a report's counts come from: the daily figures when they can answer, else the raw rows
#: ("auto"); always the raw rows ("raw"); the daily figures or LookupError ("daily").
SOURCES = ("auto", "raw", "daily")


def _daily(date_from, date_to, rules: Rules, unit_ids, key, source: str) -> dict | None:
    """{group: counts} from `motcua.reports.daily`, or None for the raw path (same figures)."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    if source == "raw":
        return None
    from . import daily

    found = daily.grouped_figures(date_from, date_to, rules, unit_ids=unit_ids, key=key)
    if found is None and source == "daily":
        if not daily.ready() or daily.irregular(unit_ids):
            raise LookupError("the daily figures cannot answer (not built, or irregular dossiers)")
        return {}  # filled, and nothing ever received in these units
    return found


def compute_ontime(
    date_from: date,
    date_to: date,
    *,
    units=None,
    rules: Rules | str | None = None,
    source: str = "auto",
) -> OntimeReport:
    """The II.06a figures for [date_from, date_to] over `units` (Unit objects; None: all units).

    `rules`: a `Rules`, a profile code, or None for the department's default profile (one more
    small query). From the daily figures (`motcua.reports.daily`: two small queries, cost by
    groups and years) when they are filled, else one aggregate query over the dossiers; the
    figures are the same (`source` forces one path).
    """
    rules = _rules(rules)
    _check(date_from, date_to, rules)
    unit_list = None if units is None else list(units)
    unit_ids = None if unit_list is None else [u.pk for u in unit_list]
    daily = _daily(date_from, date_to, rules, unit_ids, None, source)
    if daily is not None:
        counts = daily.get(0) or dict.fromkeys(COUNT_FIELDS, 0)
    else:
        qs = ontime_queryset(date_from, date_to, unit_ids)
        counts = _figures(qs.aggregate(**_aggregates(date_from, date_to, rules)))
    return OntimeReport(
        date_from=date_from,
        date_to=date_to,
        unit_codes=tuple(u.code for u in unit_list) if unit_list is not None else (),
        rules=rules,
        **counts,
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
    rules: Rules | str | None = None,
    source: str = "auto",
) -> GroupedReport:
    """II.06a with one row per unit, field or procedure: one aggregate query plus the labels.

    With `rollup`, rows of historical units are added to their successor's (DOMAIN §14); without
    it every unit is shown as it was when it received the dossiers.
    """
    from motcua.orgs.models import Unit
    from motcua.procedures.models import Field, Procedure

    rules = _rules(rules)
    _check(date_from, date_to, rules)
    if group_by not in GROUPINGS:
        raise ValueError(f"unknown grouping {group_by!r}")
    unit_list = None if units is None else list(units)
    unit_ids = None if unit_list is None else [u.pk for u in unit_list]
    column = {GROUP_UNIT: "unit_id", GROUP_FIELD: "procedure__field_id"}.get(
        group_by, "procedure_id"
    )
    common = {
        "date_from": date_from,
        "date_to": date_to,
        "rules": rules,
    }
    daily = _daily(date_from, date_to, rules, unit_ids, column, source)
    if daily is None:
        qs = ontime_queryset(date_from, date_to, unit_ids).order_by()
        rows = qs.values(key=F(column)).annotate(**_aggregates(date_from, date_to, rules))
        daily = {row["key"]: _figures(row) for row in rows.order_by()}
    reports = {
        key: OntimeReport(unit_codes=(), **common, **counts)
        for key, counts in daily.items()
        if counts["population"]
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
    rules: Rules | str | None = None,
    procedure_id: int | None = None,
    field_id: int | None = None,
) -> QuerySet[Dossier]:
    """The dossiers counted in one column of the report (same conditions as `_aggregates`)."""
    if column not in DRILL_COLUMNS:
        raise ValueError(f"unknown column {column!r}")
    rules = _rules(rules)
    qs = ontime_queryset(date_from, date_to, None if unit_ids is None else list(unit_ids))
    if procedure_id is not None:
        qs = qs.filter(procedure_id=procedure_id)
    if field_id is not None:
        qs = qs.filter(procedure__field_id=field_id)
    return qs.filter(_conditions(date_from, date_to, rules)[column])
