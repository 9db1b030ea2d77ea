"""Demo: the Department of Justice's last twelve months, ending yesterday (issue 14).

The 2023 history (`demo.py`) reproduces the article; on its own it leaves today's dashboard, its
charts and the 766 index empty. This adds, relative to the day the demo is loaded, the months of
`months_back(today, 12)` (from the first day of the month eleven months ago to yesterday):

- about `PER_MONTH` dossiers received a month (busier before Tết and in summer), each settled in
  its month with an on-time rate that improves over the year (≈ 96.5 % → 99.3 %), a few withdrawn
  or stopped — built by `demo.build` month by month, so every settled one is checked by
  `timeliness.classify`; nothing is left in progress (the live worklist stays the few current
  dossiers of `dossiers/demo.py`);
- ratings for about one settled dossier in twenty-five (mostly satisfied);
- a few PAKN a month, answered and published on time, except for the last weeks' still open.

All rows are `is_historical=True` and inserted in bulk; the finished months' figures are then
stored as the monthly job stores them (`rollup.store_month`). Loading again the same day adds nothing;
loading later tops the history up to the new yesterday. Codes and register numbers continue
after what the day's and the year's counters already hold (the live demo dossiers).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.choices import Status
from motcua.dossiers.models import Dossier, DossierSequence, RegisterBook
from motcua.orgs.models import Unit
from motcua.worktime import get_calendar

from . import demo
from .index766 import last_day, months_back
from .rollup import store_month

#: Dossiers received in an average month (the article's year: about 1,430 a month).
PER_MONTH = 900
#: Month-of-year weights: busier before Tết (January) and in the summer.
SEASON = {1: 1.25, 2: 0.7, 3: 1.0, 4: 1.0, 5: 1.05, 6: 1.1, 7: 1.15, 8: 1.1, 9: 0.95, 10: 1.0}
#: The import events' note; it names the last day covered, which the next load starts after.
NOTE = "Dữ liệu minh họa (12 tháng gần nhất, đến {last:%d/%m/%Y})"
NOTE_PREFIX = NOTE.split("{", 1)[0]
SEED = 766


def window(today: date) -> tuple[date, date]:
    """(first day, last day) of the recent history for a demo loaded on `today`."""
    return months_back(today, 12)[0], today - timedelta(days=1)


def month_counts(n: int, progress: float, working_days: int) -> demo.DemoCounts:
    """The columns of `n` dossiers of a month `progress` (0 → 1) through the year.

    A short month (the current one) has only dossiers settled early: a deadline of several
    working days cannot fall due inside a few days, and withdrawals need a little history."""
    if working_days < 8:
        return demo.DemoCounts(n, 0, 0, 0, 0, 0, 0)
    rate = 0.965 + 0.028 * progress  # early or on time, of the settled
    # demo.build draws withdrawals from all but the last ten working days.
    withdrawn = max(1, round(n * 0.003)) if working_days > 11 else 0
    stopped = 1 if n >= 300 and working_days > 11 else 0
    settled = n - withdrawn - stopped
    late = max(1, round(settled * (1 - rate)))
    on_time = round(settled * 0.11)
    return demo.DemoCounts(settled - late - on_time, on_time, late, 0, 0, withdrawn, stopped)


def _segments(first: date, last: date, today: date) -> list[tuple[date, date]]:
    out = []
    for month in months_back(today, 12):
        start, end = max(month, first), min(last_day(month), last)
        if start <= end:
            out.append((start, end))
    return out


def build_recent(
    unit: Unit, *, today: date, first: date | None = None, per_month: int = PER_MONTH
) -> list[Dossier]:
    """Unsaved dossiers from `first` (default: the window's start) to yesterday."""
    start, last = window(today)
    first = max(first or start, start)
    cal = get_calendar(unit.calendar_name)
    procedures = demo._procedures(unit)
    segments = _segments(first, last, today)
    dossiers: list[Dossier] = []
    for index, (seg_first, seg_last) in enumerate(segments):
        days = (seg_last - seg_first).days + 1
        working = sum(cal.is_working_day(seg_first + timedelta(days=i)) for i in range(days))
        if not working:
            continue
        month_days = last_day(seg_first).day
        n = max(1, round(per_month * SEASON.get(seg_first.month, 1.0) * days / month_days))
        progress = index / max(len(segments) - 1, 1)
        counts = month_counts(n, progress, working)
        seed = SEED + seg_first.toordinal()
        dossiers += demo.build(
            unit, counts, period=(seg_first, seg_last), seed=seed, procedures=procedures
        )
    return dossiers


def _renumber(unit: Unit, dossiers: list[Dossier]) -> None:
    """Codes after the day's counter and register numbers after the year's book."""
    if not dossiers:
        return
    days = {timezone.localtime(d.received_at).date() for d in dossiers}
    offset = dict(
        DossierSequence.objects.filter(agency_code=unit.code, day__in=days).values_list(
            "day", "last"
        )
    )
    years = {day.year for day in days}
    register = dict(
        RegisterBook.objects.filter(unit=unit, year__in=years, number=1).values_list("year", "last")
    )
    per_day: dict[date, int] = {}
    for d in sorted(dossiers, key=lambda d: d.received_at):
        day = timezone.localtime(d.received_at).date()
        per_day[day] = per_day.get(day, offset.get(day, 0)) + 1
        d.code = f"{unit.code}-{day:%y%m%d}-{per_day[day]:04d}"
        register[day.year] = register.get(day.year, 0) + 1
        d.register_number = register[day.year]
        if d.result_number:
            d.result_number = f"{day:%Y}/KQ-{d.register_number:05d}"


def _ratings(dossiers: list[Dossier], rng: random.Random, now: datetime) -> int:
    from motcua.feedback.choices import INDICES
    from motcua.feedback.models import Rating

    chosen = [
        d for d in dossiers if d.status == Status.RETURNED and d.returned_at and rng.random() < 0.04
    ]
    ids = dict(Dossier.objects.filter(code__in=[d.code for d in chosen]).values_list("code", "id"))
    rows = []
    for d in chosen:
        at = min(d.returned_at + timedelta(hours=rng.randrange(1, 72)), now)
        overall = (rng.choices([3, 2, 1], weights=[62, 34, 4])[0], rng.choice([3, 3, 2]))
        rows.append(
            Rating(
                dossier_id=ids[d.code],
                overall_service=overall[0],
                overall_result=overall[1],
                comment="",
                satisfied=1 not in overall,
                created_at=at,
                **{name: rng.choices([2, 1, 0], weights=[85, 13, 2])[0] for name, _ in INDICES},
            )
        )
    Rating.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _feedback(
    unit: Unit, first: date, last: date, dossiers: list[Dossier], rng, now: datetime
) -> int:
    from motcua.feedback.choices import FeedbackKind, FeedbackStatus, FeedbackTopic
    from motcua.feedback.models import Feedback

    cal = get_calendar(unit.calendar_name)
    codes = [d.code for d in dossiers if d.status == Status.RETURNED]
    ids = {}
    if codes:
        sample = rng.sample(codes, min(len(codes), 60))
        ids = dict(Dossier.objects.filter(code__in=sample).values_list("code", "id"))
    taken = set(Feedback.objects.values_list("code", flat=True))
    rows = []
    day = first
    while day <= last:
        if cal.is_working_day(day) and rng.random() < 0.12:
            received = datetime.combine(day, time(9, rng.randrange(60)), tzinfo=demo.TZ)
            due = cal.add(received, minutes=15 * 8 * 60)  # DOMAIN §7, 5.2: 15 working days
            answered = cal.add(received, minutes=rng.randrange(3, 13) * 8 * 60)
            done = answered < now
            code = f"PAKN-{day:%y%m%d}-{rng.randrange(16**6):06X}"
            if code in taken:
                day += timedelta(days=1)
                continue
            taken.add(code)
            dossier_code = rng.choice(list(ids)) if ids and rng.random() < 0.6 else None
            rows.append(
                Feedback(
                    code=code,
                    unit=unit,
                    dossier_id=ids.get(dossier_code) if dossier_code else None,
                    kind=rng.choice(list(FeedbackKind.values)),
                    sender_name=f"{rng.choice(demo.SURNAMES)} {rng.choice(demo.MIDDLE)} "
                    f"{rng.choice(demo.GIVEN)}",
                    sender_phone=f"09{rng.randrange(10**8):08d}",
                    content="Đề nghị hướng dẫn thêm về thành phần hồ sơ (dữ liệu minh họa).",
                    status=FeedbackStatus.ANSWERED if done else FeedbackStatus.RECEIVED,
                    received_at=received,
                    due_at=due,
                    answer="Sở Tư pháp đã hướng dẫn (dữ liệu minh họa)." if done else "",
                    answered_at=answered if done else None,
                    publish_due_at=cal.add(answered, minutes=2 * 8 * 60) if done else None,
                    published_at=min(answered + timedelta(hours=20), now) if done else None,
                    topic=rng.choice(list(FeedbackTopic.values)) if done else "",
                )
            )
        day += timedelta(days=1)
    Feedback.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _covered_until(unit: Unit) -> date | None:
    """The last day a previous load covered (named in its import events' note), if any."""
    from motcua.dossiers.models import DossierEvent

    note = (
        DossierEvent.objects.filter(
            dossier__unit=unit, action="import", note__startswith=NOTE_PREFIX
        )
        .order_by("-id")
        .values_list("note", flat=True)
        .first()
    )
    if note is None:
        return None
    return datetime.strptime(note.rsplit(" ", 1)[1].rstrip(")"), "%d/%m/%Y").date()


def load(unit: Unit, stdout, *, today: date | None = None, per_month: int = PER_MONTH) -> None:
    """Add the recent history up to yesterday (idempotent; tops up a demo loaded earlier)."""
    today = today or timezone.localdate()
    start, last = window(today)
    covered = _covered_until(unit)
    first = max(covered + timedelta(days=1), start) if covered else start
    if first > last:
        stdout.write("Recent demo history (12 months up to yesterday) already loaded.")
        return
    dossiers = build_recent(unit, today=today, first=first, per_month=per_month)
    rng = random.Random(SEED + first.toordinal())  # nosec B311  # deterministic demo data
    now = timezone.now()
    with transaction.atomic():
        _renumber(unit, dossiers)
        if dossiers:
            demo.save(dossiers, note=NOTE.format(last=last))
        ratings = _ratings(dossiers, rng, now)
        feedback = _feedback(unit, first, last, dossiers, rng, now)
        # The finished months' stored figures, as the monthly job writes them: the dashboard
        # reads those rows instead of computing eleven months live.
        for month in months_back(today, 12)[:-1]:
            store_month(month)
    stdout.write(
        f"Loaded {len(dossiers)} historical dossiers of {unit.code} "
        f"({first:%d/%m/%Y}–{last:%d/%m/%Y}), {ratings} ratings and {feedback} PAKN: "
        "the dashboard and the 766 index have figures for the last twelve months."
    )
