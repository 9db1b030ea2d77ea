"""II.06a from daily figures: counts per unit, procedure and day kept as dossiers change, so a
report costs a few rows per group and bucket instead of a scan of every dossier ever stored.

Every II.06a column (DOMAIN §6, `motcua.reports.ontime`) compares a dossier's local dates with the
period [a, b]: received R, settled F (`finished_on`), closed C, due D (`due_on`). Each dossier adds
1 to a few *events* on days, by its current status (the profile decides per status at report
time, so one table serves every `RuleProfile`):

- IN at R (with the channel); OUT at X = F or C (the end of processing);
- DUE at max(R, D) and UNDUE at max(X, D): the dossiers received, not ended and past due by day b
  are DUE(≤ b) − UNDUE(≤ b), since [R ≤ b][X > b][D ≤ b] = [max(R,D) ≤ b] − [max(X,D) ≤ b];
- FIN at F with its timeliness class (early, same day in time, same day after the due time,
  late, no due time: both comparison rules of `classify`), CLOSE at C with its class, and
  CLOSED_DUE at C with D (per day only: read for the days of the period, and only when the
  profile counts a closed status in progress by its due time).

Then, for the dossiers with R ≤ X: carried over (6) = IN(< a) − OUT(< a); column (3)'s population
= IN(≤ b) − OUT(< a); open at the end = IN(≤ b) − OUT(≤ b); settled / closed apart / closed in
progress = FIN or CLOSE in [a, b] by status, class and D ≤ b. A dossier whose data contradicts
itself (ended before it was received, or both settled and closed) is an IRREGULAR event: a report
whose units have one is computed from the raw rows (`ontime`), so the figures are always those
of the raw path (`tests/reports/test_daily.py` proves it with hypothesis on both databases).

Buckets: every event is counted per day, per month and per year (`grain` d/m/y), so any span of
days is at most ~60 bucket rows per group and kind, and the opening balance (everything before a)
is one row per past year, 11 months and 30 days at most. A report's cost grows with the number
of groups and years, not with the number of dossiers.

Maintenance: `Dossier.save()` / `.delete()` (signals, the same transaction: the old row is read
before the write when the fields the report uses may change; the differences are inserted as
new rows, folded by `compact`), the dossier import (`apply`), and
`motcua report rebuild-daily` (the initial fill and the repair after writes that bypass them,
e.g. `QuerySet.update()` on these fields or a restore).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from django.db import connection, transaction
from django.db.models import Case, Exists, F, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from motcua.core.copy import copy_rows
from motcua.core.sqltime import local_zone
from motcua.dossiers.choices import SETTLED, Channel, Status

#: Bump when the events change: a stored table of another version is not used until rebuilt.
VERSION = 2

IN, OUT, DUE, UNDUE, FIN, CLOSE, CLOSED_DUE, IRREGULAR = 1, 2, 3, 4, 5, 6, 7, 9
#: Kinds counted per day only (their rows carry a due date, which months and years would multiply).
DAY_ONLY = frozenset({CLOSED_DUE})
#: Timeliness classes of an end of processing against the due time (`classify`, DOMAIN §6).
NO_CLASS, EARLY, SAME_DAY_IN_TIME, SAME_DAY_AFTER, LATE, NO_DUE = 0, 1, 2, 3, 4, 5
NO_DATE = date(9999, 12, 31)
GRAINS = ("d", "m", "y")

#: The dossier fields the events depend on (a write touching none of them changes nothing).
FIELDS = (
    "unit_id",
    "procedure_id",
    "channel",
    "status",
    "received_at",
    "due_at",
    "finished_at",
    "closed_at",
)
Key = tuple  # (unit, procedure, day, kind, status, channel, timeliness, due_on)


def _local(moment: datetime | None, zone: tzinfo) -> date | None:
    if moment is None:
        return None
    if moment.tzinfo is zone:
        # Parsed by the import in `core.sqltime.local_zone()`: already local wall-clock time (an
        # import computes this six times a row).
        return moment.date()
    # astimezone, not timezone.localtime: the same date for the aware datetimes stored here, at
    # a third of the cost.
    return moment.astimezone(timezone.get_default_timezone()).date()


def _timeliness(end: datetime, due: datetime | None, zone: tzinfo) -> int:
    """The class of an end of processing (the SQL of `early_condition` / `on_time_condition`)."""
    if due is None:
        return NO_DUE
    end_day, due_day = _local(end, zone), _local(due, zone)
    if end_day < due_day:  # type: ignore[operator]
        return EARLY
    if end_day == due_day:
        return SAME_DAY_IN_TIME if end <= due else SAME_DAY_AFTER
    return LATE


def events(row: dict) -> list[Key]:
    """The day events of one dossier (a dict of `FIELDS`); none before it is received."""
    zone = local_zone()
    received = _local(row["received_at"], zone)
    if received is None:
        return []
    u, p, s = row["unit_id"], row["procedure_id"], row["status"]
    finished, closed = _local(row["finished_at"], zone), _local(row["closed_at"], zone)
    end = finished or closed
    if (finished and closed) or (end is not None and end < received):
        return [(u, p, received, IRREGULAR, s, "", NO_CLASS, NO_DATE)]
    out = [(u, p, received, IN, s, row["channel"], NO_CLASS, NO_DATE)]
    due = _local(row["due_at"], zone)
    if end is not None:
        out.append((u, p, end, OUT, s, "", NO_CLASS, NO_DATE))
    if due is not None:
        out.append((u, p, max(received, due), DUE, s, "", NO_CLASS, NO_DATE))
        if end is not None:
            out.append((u, p, max(end, due), UNDUE, s, "", NO_CLASS, NO_DATE))
    if finished is not None:
        cls = _timeliness(row["finished_at"], row["due_at"], zone)
        out.append((u, p, finished, FIN, s, "", cls, NO_DATE))
    if closed is not None:
        cls = _timeliness(row["closed_at"], row["due_at"], zone)
        out.append((u, p, closed, CLOSE, s, "", cls, NO_DATE))
        if due is not None:
            out.append((u, p, closed, CLOSED_DUE, s, "", NO_CLASS, due))
    return out


def _bucket(day: date, grain: str) -> date:
    if grain == "m":
        return day.replace(day=1)
    if grain == "y":
        return day.replace(month=1, day=1)
    return day


def bucketed(day_counts: Counter) -> Counter:
    """Day events → rows of every grain: {(grain, *key with the bucket's first day): n}."""
    out: Counter = Counter()
    get = out.get  # not `out[key] += n`: Counter.__missing__ is a Python call per new key
    for (u, p, day, kind, *rest), n in day_counts.items():
        if n:
            for grain in ("d",) if kind in DAY_ONLY else GRAINS:
                key = (u, p, grain, _bucket(day, grain), kind, *rest)
                out[key] = get(key, 0) + n
    return out


_COLUMNS = "unit_id, procedure_id, grain, day, kind, status, channel, timeliness, due_on, n"


def _insert(rows: Counter) -> None:
    """Add the differences as new rows (one statement, both databases). Inserting, not updating a
    counter row, keeps concurrent dossier writes of one procedure and day from queueing behind
    each other until commit; `compact` folds the rows later."""
    from .models import DailyFigure

    items = [(*key, n) for key, n in rows.items() if n]
    if not items:
        return
    table = DailyFigure._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(items) > 50:
            # COPY: an import's differences are tens of thousands of rows (5× faster than
            # executemany's pipeline); in binary (core/copy.py).
            copy_rows(cursor, table, _COLUMNS, items)
            return
        sql = f"INSERT INTO {table} ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"  # nosec B608  # table from model _meta, values bound
        cursor.executemany(sql, items)


def compact() -> tuple[int, int]:
    """Fold the rows of each key into one (rows removed, rows written). Safe beside writers: one
    DELETE … RETURNING takes exactly the rows it sums, a write committed meanwhile stays apart."""
    from .models import DailyFigure

    table = DailyFigure._meta.db_table
    sums: Counter = Counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} RETURNING {_COLUMNS}")  # nosec B608  # model's table, constant columns
            removed = 0
            for *key, n in cursor.fetchall():
                removed += 1
                u, p, g, d, k, st, c, t, due = key
                d = date.fromisoformat(d) if isinstance(d, str) else d
                due = date.fromisoformat(due) if isinstance(due, str) else due
                sums[(u, p, g, d, k, st, c, t, due)] += n
        rows = [(*key, n) for key, n in sums.items() if n]
        DailyFigure.objects.bulk_create(
            (
                DailyFigure(
                    unit_id=u,
                    procedure_id=p,
                    grain=g,
                    day=d,
                    kind=k,
                    status=st,
                    channel=c,
                    timeliness=t,
                    due_on=due,
                    n=n,
                )
                for u, p, g, d, k, st, c, t, due, n in rows
            ),
            batch_size=5000,
        )
    return removed, len(rows)


def difference(old: Iterable[dict], new: Iterable[dict], delta: Counter | None = None) -> Counter:
    """The day events that move some dossiers from their `old` state to their `new` state, added
    to `delta` (a bulk writer sums many batches before `apply_difference`)."""
    delta = Counter() if delta is None else delta
    for row in new:
        delta.update(events(row))
    for row in old:
        delta.subtract(events(row))
    return delta


def apply_difference(delta: Counter) -> None:
    """Store the differences `difference` summed (in the caller's transaction)."""
    _insert(bucketed(delta))


def apply_bucketed(rows: Counter) -> None:
    """Store differences already `bucketed` (the dossier import buckets them on its reader
    thread, while its writer waits for PostgreSQL)."""
    _insert(rows)


def apply(old: Iterable[dict], new: Iterable[dict]) -> None:
    """Move the stored figures from the `old` state of some dossiers to their `new` state."""
    apply_difference(difference(old, new))


# --- maintenance through Dossier.save() / delete() ----------------------------------------------
def _row(instance) -> dict:
    return {name: getattr(instance, name) for name in FIELDS}


def _stored(pk) -> dict | None:
    from motcua.dossiers.models import Dossier

    return Dossier.objects.filter(pk=pk).values(*FIELDS).first()


def before_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    instance._daily_old, instance._daily_skip = None, False
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not (
        {f.removesuffix("_id") for f in FIELDS} & {f.removesuffix("_id") for f in update_fields}
    ):
        instance._daily_skip = True
        return
    instance._daily_old = _stored(instance.pk)


def after_save(sender, instance, created=False, raw=False, update_fields=None, **kwargs) -> None:
    if raw or getattr(instance, "_daily_skip", False):
        instance._daily_skip = False
        return
    old = getattr(instance, "_daily_old", None)
    if old is not None and update_fields is not None:
        # Fields not written keep their stored values, whatever the instance holds (and a
        # deferred field is not loaded for nothing).
        names = {f.removesuffix("_id") for f in update_fields}
        new = {
            k: (getattr(instance, k) if k.removesuffix("_id") in names else old[k]) for k in FIELDS
        }
    else:
        new = _row(instance)
    with transaction.atomic():
        apply([old] if old else [], [new])
    instance._daily_old = None


def before_delete(sender, instance, **kwargs) -> None:
    instance._daily_old = _stored(instance.pk) if instance.pk is not None else None


def after_delete(sender, instance, **kwargs) -> None:
    old = getattr(instance, "_daily_old", None)
    if old:
        apply([old], [])


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

    from motcua.dossiers.models import Dossier

    pre_save.connect(before_save, sender=Dossier, dispatch_uid="reports.daily.pre_save")
    post_save.connect(after_save, sender=Dossier, dispatch_uid="reports.daily.post_save")
    pre_delete.connect(before_delete, sender=Dossier, dispatch_uid="reports.daily.pre_delete")
    post_delete.connect(after_delete, sender=Dossier, dispatch_uid="reports.daily.post_delete")


# --- the initial fill and the repair -------------------------------------------------------------
def rebuild() -> int:
    """Recompute every daily figure from the dossiers (idempotent); returns the dossiers read.

    On PostgreSQL the dossier table is locked against writes meanwhile (SHARE mode), so no write
    falls between the read and the new figures."""
    from motcua.dossiers.models import Dossier

    from .models import DailyFigure, DailyFiguresState

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Dossier._meta.db_table} IN SHARE MODE")
        DailyFigure.objects.all().delete()
        read = Dossier.objects.filter(received_at__isnull=False).count()
        rows = bucketed(day_events_sql())
        DailyFigure.objects.bulk_create(
            (
                DailyFigure(
                    unit_id=u,
                    procedure_id=p,
                    grain=g,
                    day=d,
                    kind=k,
                    status=s,
                    channel=c,
                    timeliness=t,
                    due_on=due,
                    n=n,
                )
                for (u, p, g, d, k, s, c, t, due), n in rows.items()
                if n
            ),
            batch_size=5000,
        )
        DailyFiguresState.objects.all().delete()
        DailyFiguresState.objects.create(version=VERSION, built_at=timezone.now(), dossiers=read)
    return read


def day_events_sql() -> Counter:
    """`events` of every dossier, counted per day by the database (seven grouped queries): the
    same events as the Python function (the property test compares the two through `rebuild`)."""
    from django.db.models import Count
    from django.db.models.functions import Coalesce, Greatest

    from motcua.core.sqltime import LocalDate
    from motcua.dossiers.models import Dossier

    received, closed = LocalDate("received_at"), LocalDate("closed_at")
    base = Dossier.objects.order_by().filter(received_at__isnull=False)
    base = base.annotate(r=received, c=closed, x=Coalesce(F("finished_on"), closed))
    weird = Q(finished_at__isnull=False, closed_at__isnull=False) | Q(x__lt=F("r"))
    regular = base.filter(
        (Q(finished_at__isnull=True) | Q(closed_at__isnull=True))
        & (Q(x__isnull=True) | Q(x__gte=F("r")))
    )

    def cls(end: str, day):
        return Case(
            When(due_at__isnull=True, then=Value(NO_DUE)),
            When(Q(**{f"{day}__lt": F("due_on")}), then=Value(EARLY)),
            When(
                Q(**{day: F("due_on")}, **{f"{end}__lte": F("due_at")}),
                then=Value(SAME_DAY_IN_TIME),
            ),
            When(Q(**{day: F("due_on")}), then=Value(SAME_DAY_AFTER)),
            default=Value(LATE),
            output_field=IntegerField(),
        )

    no = {"channel": Value(""), "t": Value(NO_CLASS), "due": Value(NO_DATE)}
    queries = [
        (IRREGULAR, base.filter(weird), {"day": F("r"), **no}),
        (IN, regular, {"day": F("r"), **no, "channel": F("channel")}),
        (OUT, regular.filter(x__isnull=False), {"day": F("x"), **no}),
        (DUE, regular.filter(due_at__isnull=False), {"day": Greatest("r", "due_on"), **no}),
        (
            UNDUE,
            regular.filter(due_at__isnull=False, x__isnull=False),
            {"day": Greatest("x", "due_on"), **no},
        ),
        (
            FIN,
            regular.filter(finished_at__isnull=False),
            {"day": F("finished_on"), **no, "t": cls("finished_at", "finished_on")},
        ),
        (
            CLOSE,
            regular.filter(closed_at__isnull=False),
            {"day": F("c"), **no, "t": cls("closed_at", "c")},
        ),
        (
            CLOSED_DUE,
            regular.filter(closed_at__isnull=False, due_at__isnull=False),
            {"day": F("c"), **no, "due": F("due_on")},
        ),
    ]
    out: Counter = Counter()
    for kind, qs, columns in queries:
        rows = (
            qs.values(
                "unit_id", "procedure_id", "status", **{f"e_{k}": v for k, v in columns.items()}
            )
            .annotate(n=Count("pk"))
            .values_list(
                "unit_id", "procedure_id", "e_day", "status", "e_channel", "e_t", "e_due", "n"
            )
        )
        for u, p, day, status, channel, t, due, n in rows:
            if isinstance(day, str):  # SQLite returns a computed date as text
                day = date.fromisoformat(day)
            if isinstance(due, str):
                due = date.fromisoformat(due)
            out[(u, p, day, kind, status, channel, t, due)] += n
    return out


def ready() -> bool:
    """Whether the daily figures are filled (of this version): the reports may use them."""
    from .models import DailyFiguresState

    return DailyFiguresState.objects.filter(version=VERSION).exists()


# --- a period from the buckets ----------------------------------------------------------------
def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def span(first: date, last: date) -> Q:
    """The bucket rows covering exactly the days [first, last] (days, then months, then years)."""
    pieces: list[tuple[str, date, date]] = []
    day = first
    while day <= last:
        if day.month == 1 and day.day == 1 and date(day.year, 12, 31) <= last:
            grain, following = "y", date(day.year + 1, 1, 1)
        elif day.day == 1 and _next_month(day) - timedelta(days=1) <= last:
            grain, following = "m", _next_month(day)
        else:
            grain, following = "d", day + timedelta(days=1)
        if pieces and pieces[-1][0] == grain:
            pieces[-1] = (grain, pieces[-1][1], day)
        else:
            pieces.append((grain, day, day))
        day = following
    out = Q(grain="-")  # no row: an empty span
    for grain, lo, hi in pieces:
        out |= Q(grain=grain, day__gte=lo, day__lte=hi)
    return out


def before(day: date) -> Q:
    """The bucket rows covering exactly every day before `day`."""
    year, month = date(day.year, 1, 1), day.replace(day=1)
    return (
        Q(grain="y", day__lt=year)
        | Q(grain="m", day__gte=year, day__lt=month)
        | Q(grain="d", day__gte=month, day__lt=day)
    )


@dataclass
class _Sums:
    """The summed events of one group, split by what the profile decides at report time."""

    in_before: int = 0
    out_before: int = 0
    received: dict | None = None  # channel → IN in the period
    open: dict | None = None  # status → IN(≤ b) − OUT(≤ b)
    overdue: dict | None = None  # status → DUE(≤ b) − UNDUE(≤ b)
    ends: dict | None = None  # (kind, status, class) → n, in the period
    closed_overdue: dict | None = None  # status → closed in the period, due by its end
    irregular: int = 0

    def __post_init__(self):
        self.received, self.open, self.overdue, self.ends, self.closed_overdue = (
            defaultdict(int),
            defaultdict(int),
            defaultdict(int),
            defaultdict(int),
            defaultdict(int),
        )


def _rows(date_from: date, date_to: date, unit_ids, key: str | None, by_due: bool = False):
    """One grouped query over the bucket rows of the opening balance and of the period (and the
    period's CLOSED_DUE day rows when `by_due`)."""
    from .models import DailyFigure, DailyFiguresState

    opening, period = before(date_from), span(date_from, date_to)
    # No rows at all unless the figures are filled: the readiness check costs no query of its own.
    filled = Exists(DailyFiguresState.objects.filter(version=VERSION))
    wanted = opening | period | Q(grain="y", kind=IRREGULAR)  # irregular: at every grain
    if by_due:
        wanted |= Q(grain="d", day__gte=date_from, day__lte=date_to, kind=CLOSED_DUE)
    qs = DailyFigure.objects.order_by().filter(filled, wanted)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    group = {"g": F(key)} if key else {"g": Value(0)}
    return (
        qs.values(
            **group,
            k=F("kind"),
            s=F("status"),
            c=F("channel"),
            t=F("timeliness"),
            side=Case(When(opening, then=Value(0)), default=Value(1), output_field=IntegerField()),
            passed=Case(
                When(due_on__lte=date_to, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .annotate(n=Sum("n"))
        .values_list("g", "k", "s", "c", "t", "side", "passed", "n")
    )


def _sums(rows) -> dict:
    """{group: _Sums} from the rows of `_rows`."""
    out: dict = defaultdict(_Sums)
    for g, kind, status, channel, cls, side, passed, n in rows:
        if not n:
            continue
        sums = out[g]
        if kind == IRREGULAR:
            sums.irregular += n
        elif kind == IN:
            sums.open[status] += n
            if side == 0:
                sums.in_before += n
            else:
                sums.received[channel] += n
        elif kind == OUT:
            sums.open[status] -= n
            if side == 0:
                sums.out_before += n
        elif kind == DUE:
            sums.overdue[status] += n
        elif kind == UNDUE:
            sums.overdue[status] -= n
        elif kind == CLOSED_DUE:
            if side == 1 and passed:
                sums.closed_overdue[status] += n
        elif side == 1:  # FIN, CLOSE: only those in the period count
            sums.ends[(kind, status, cls)] += n
    return out


def figures(sums: _Sums, rules) -> dict:
    """The OntimeReport counts of one group under a profile (the rules of `ontime._conditions`)."""
    from .ontime import (
        APART,
        CLOSED_STATUS_FIELDS,
        COMPARE_DATE,
        IN_PROGRESS_BY_DUE,
        IN_PROGRESS_WITHIN,
        SETTLED_BY_DATE,
        SETTLED_ON_TIME,
        WAITING_STATUS_FIELDS,
    )

    on_time = {SAME_DAY_IN_TIME, NO_DUE} | (
        {SAME_DAY_AFTER} if rules.compare == COMPARE_DATE else set()
    )
    always_within = {
        st
        for st, name in WAITING_STATUS_FIELDS.items()
        if getattr(rules, name) == IN_PROGRESS_WITHIN
    }
    closed_rule = {st: getattr(rules, name) for st, name in CLOSED_STATUS_FIELDS.items()}
    out = dict.fromkeys(
        (
            "settled_early",
            "settled_on_time",
            "settled_late",
            "in_progress_within",
            "in_progress_overdue",
            "withdrawn",
            "refused",
            "stopped",
        ),
        0,
    )
    out["received_online"] = sums.received.get(Channel.ONLINE, 0)
    out["received_counter_post"] = sums.received.get(Channel.COUNTER, 0) + sums.received.get(
        Channel.POST, 0
    )
    out["carried_over"] = sums.in_before - sums.out_before
    out["population"] = sums.in_before + sum(sums.received.values()) - sums.out_before
    overdue_open = sum(n for st, n in sums.overdue.items() if st not in always_within)
    out["in_progress_overdue"] = overdue_open
    out["in_progress_within"] = sum(sums.open.values()) - overdue_open
    apart_names = {
        Status.WITHDRAWN: "withdrawn",
        Status.REFUSED: "refused",
        Status.STOPPED: "stopped",
    }
    for status, n in sums.closed_overdue.items():
        if closed_rule.get(status) == IN_PROGRESS_BY_DUE:
            out["in_progress_overdue"] += n
            out["in_progress_within"] -= n  # counted within below with all of the status
    for (kind, status, cls), n in sums.ends.items():
        if kind == FIN:
            if status not in SETTLED:
                continue
            rule = SETTLED_BY_DATE
        else:
            rule = closed_rule.get(status)
        if rule == SETTLED_BY_DATE:
            name = (
                "settled_early"
                if cls == EARLY
                else "settled_on_time"
                if cls in on_time
                else "settled_late"
            )
            out[name] += n
        elif rule == SETTLED_ON_TIME:
            out["settled_on_time"] += n
        elif rule == IN_PROGRESS_WITHIN:
            out["in_progress_within"] += n
        elif rule == IN_PROGRESS_BY_DUE:
            out["in_progress_within"] += n
        elif rule == APART:
            out[apart_names[status]] += n
    return out


def grouped_figures(date_from: date, date_to: date, rules, *, unit_ids=None, key=None):
    """{group: counts} from the daily figures (one query), or None when the raw rows must answer:
    the table is not filled, a dossier in these units contradicts itself, or nothing was ever
    received in them (then the raw rows answer as cheaply, and not filled looks the same)."""
    from .ontime import CLOSED_STATUS_FIELDS, IN_PROGRESS_BY_DUE

    by_due = any(getattr(rules, f) == IN_PROGRESS_BY_DUE for f in CLOSED_STATUS_FIELDS.values())
    sums = _sums(_rows(date_from, date_to, unit_ids, key, by_due))
    if not sums or any(s.irregular for s in sums.values()):
        return None
    return {g: figures(s, rules) for g, s in sums.items()}


def irregular(unit_ids=None) -> bool:
    """Whether a dossier of these units contradicts itself (the raw rows must answer)."""
    from .models import DailyFigure

    qs = DailyFigure.objects.filter(kind=IRREGULAR, grain="y")
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return (qs.aggregate(n=Sum("n"))["n"] or 0) > 0
