"""Demo history of the Department of Justice for 01/01/2023–08/11/2023: the article's figure.

`motcua report ontime --from 2023-01-01 --to 2023-11-08 --unit 000.00.12.H57` then prints, with
the seeded default rule profile "provincial" (DOMAIN §6: withdrawn dossiers settled on time, stopped
ones in progress within the deadline, dates compared), 14,358 dossiers received and 13,456 of 13,620
settled early or on time = 98.80 % (DOMAIN §1: the article says 98.8 %, which with 13,456 puts the
settled total between 13,613 and 13,626). The other seeded profiles read 98.8 % too (98.79 % with
"motcua-2023", which leaves the 45 withdrawn dossiers apart; 98.78 % with "national", where
withdrawn and stopped dossiers are settled by their end date): every late dossier is late by its
date as well, so comparing dates or timestamps puts settled dossiers in the same columns.

The dossiers are constructed, not random: each one is drawn for a target column (early, on time,
late, in progress within / past the deadline at the end of the period, withdrawn, stopped), with a
seeded generator, so every run produces the same rows; `classify` then checks every settled one.
There is no carry-over: nothing was received before 2023. The 726 dossiers still in progress on
08/11/2023 were all settled later in November–December 2023, so the demo's live worklist stays clean.
All rows are `is_historical=True`; the loader does nothing if they are already there.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from motcua.core.text import fold
from motcua.dossiers.choices import Channel, Status, Timeliness
from motcua.dossiers.importer import bump_sequences, insert_rows
from motcua.dossiers.models import Dossier, DossierEvent, RegisterBook
from motcua.dossiers.timeliness import classify
from motcua.orgs.models import Unit
from motcua.procedures.deadlines import procedure_due
from motcua.procedures.models import Procedure
from motcua.worktime import TZ, WorktimeError, get_calendar

UNIT_CODE = "000.00.12.H57"
PERIOD = (date(2023, 1, 1), date(2023, 11, 8))
SEED = 20231108


@dataclass(frozen=True)
class DemoCounts:
    """How many dossiers of each kind the demo builds for the period."""

    early: int
    on_time: int
    late: int
    in_progress_within: int
    in_progress_overdue: int
    withdrawn: int
    stopped: int

    @property
    def received(self) -> int:
        return sum(vars(self).values())

    @property
    def settled(self) -> int:
        return self.early + self.on_time + self.late


#: The article: 14,358 received; 13,456 early or on time of 13,620 settled = 98.80 % under the
#: provincial profile, where the 45 withdrawn dossiers are settled on time (DOMAIN §6).
ARTICLE = DemoCounts(
    early=11_857,
    on_time=1_554,
    late=164,
    in_progress_within=703,
    in_progress_overdue=23,
    withdrawn=45,
    stopped=12,
)
assert ARTICLE.received == 14_358 and ARTICLE.settled + ARTICLE.withdrawn == 13_620
assert ARTICLE.early + ARTICLE.on_time + ARTICLE.withdrawn == 13_456

#: Fallback procedures when the catalogue demo is not loaded: code, name, working days.
FALLBACK_PROCEDURES = [
    ("DEMO-HIST-LLTP", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", 10),
    ("DEMO-HIST-CT", "Chứng thực bản sao từ bản chính (liên thông)", 1),
    ("DEMO-HIST-QT", "Xác nhận có quốc tịch Việt Nam", 5),
    ("DEMO-HIST-CC", "Đăng ký hành nghề và cấp Thẻ công chứng viên", 5),
    ("DEMO-HIST-LS", "Đăng ký hoạt động của tổ chức hành nghề luật sư", 7),
    ("DEMO-HIST-TGPL", "Thủ tục yêu cầu trợ giúp pháp lý", 3),
]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Hữu", "Thanh", "Quang", "Xuân", "Thu"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hương", "Khoa", "Lan", "Long", "Mai", "Nam"]


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=TZ)


def _procedures(unit: Unit) -> list[Procedure]:
    """Procedures of the unit whose time limit is 1–20 working days; fallback ones if none."""
    cal = get_calendar(unit.calendar_name)
    probe = _local(date(2023, 6, 1), time(8, 0))
    usable = []
    for procedure in Procedure.objects.filter(unit=unit, active=True).order_by("code")[:40]:
        try:
            due = procedure_due(procedure, probe, cal)
        except (WorktimeError, ArithmeticError):
            continue
        if 8 * 60 <= cal.working_minutes(probe, due) <= 160 * 60:
            usable.append(procedure)
    if usable:
        return usable
    made = []
    for code, name, days in FALLBACK_PROCEDURES:
        procedure, _ = Procedure.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "time_value": Decimal(days),
                "is_demo": True,
                "is_historical": True,
                "active": False,
            },
        )
        made.append(procedure)
    return made


def build(
    unit: Unit,
    counts: DemoCounts,
    *,
    period: tuple[date, date] = PERIOD,
    seed: int = SEED,
    procedures: list[Procedure] | None = None,
) -> list[Dossier]:
    """Unsaved dossiers for `period`, one per target column of `counts` (deterministic)."""
    rng = random.Random(seed)  # nosec B311  # deterministic demo data, not a secret
    cal = get_calendar(unit.calendar_name)
    procedures = procedures or _procedures(unit)
    first, last = period
    end = _local(last + timedelta(days=1), time.min)
    days = [
        first + timedelta(days=i)
        for i in range((last - first).days + 1)
        if cal.is_working_day(first + timedelta(days=i))
    ]

    def draw(day_pool: list[date]) -> tuple[Procedure, datetime, datetime]:
        procedure = procedures[rng.randrange(len(procedures))]
        day = day_pool[rng.randrange(len(day_pool))]
        received = cal.add(_local(day, time(7, 30)), minutes=rng.randrange(480))
        return procedure, received, procedure_due(procedure, received, cal)

    def settle(kind: str) -> tuple[Procedure, datetime, datetime, datetime]:
        for _ in range(200):
            procedure, received, due = draw(days)
            if kind == Timeliness.EARLY:
                day_start = _local(timezone.localtime(due).date(), time.min)
                room = cal.working_minutes(received, min(day_start, end))
                if room < 2:
                    continue
                finished = cal.add(received, minutes=rng.randrange(1, room))
            elif kind == Timeliness.ON_TIME:
                if due >= end:
                    continue
                day_start = _local(timezone.localtime(due).date(), time.min)
                finished = max(due - timedelta(minutes=rng.randrange(0, 240)), received, day_start)
            else:
                finished = cal.add(due, minutes=rng.randrange(1, 3 * 480))
                if finished >= end:
                    continue
            # The same column whether timestamps or dates are compared (every profile agrees).
            if finished < end and classify(finished, due) == kind == classify(
                finished, due, compare="date"
            ):
                return procedure, received, due, finished
        raise RuntimeError(f"cannot place a {kind} dossier in the period")

    rows: list[tuple[str, Procedure, datetime, datetime, datetime | None, datetime | None]] = []
    for kind, n in (
        (Timeliness.EARLY, counts.early),
        (Timeliness.ON_TIME, counts.on_time),
        (Timeliness.LATE, counts.late),
    ):
        for _ in range(n):
            procedure, received, due, finished = settle(kind)
            rows.append(("settled", procedure, received, due, finished, None))

    tail = days[-25:]
    for kind, n in (("within", counts.in_progress_within), ("overdue", counts.in_progress_overdue)):
        for _ in range(n):
            for _try in range(500):
                procedure, received, due = draw(tail if kind == "within" else days[-60:])
                if (due >= end) == (kind == "within"):
                    break
            else:
                raise RuntimeError(f"cannot place an in-progress ({kind}) dossier")
            # Settled after the period (November–December 2023): late when already overdue.
            finished = max(due, end) + timedelta(days=rng.randrange(1, 20), hours=1)
            rows.append(("settled", procedure, received, due, finished, None))

    for status, n in ((Status.WITHDRAWN, counts.withdrawn), (Status.STOPPED, counts.stopped)):
        for _ in range(n):
            procedure, received, due = draw(days[:-10])
            closed = cal.add(received, minutes=rng.randrange(30, 960))
            rows.append((str(int(status)), procedure, received, due, None, closed))

    rows.sort(key=lambda r: r[2])
    per_day: Counter[date] = Counter()
    # The marks the 766 index reads (DOMAIN §7, 1.4, 3.3–4.5) come from their own generator, so
    # they never change the II.06a columns drawn above.
    marks = random.Random(seed + 1)  # nosec B311  # deterministic demo data, not a secret
    dossiers = []
    for what, procedure, received, due, finished, closed in rows:
        day = timezone.localtime(received).date()
        per_day[day] += 1
        channel = rng.choices([Channel.ONLINE, Channel.COUNTER, Channel.POST], weights=[55, 40, 5])[
            0
        ]
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if what == "settled":
            status = Status.RETURNED
            returned = cal.add(finished, minutes=rng.randrange(0, 480))
        else:
            status, returned = Status(int(what)), None
        online = channel == Channel.ONLINE
        electronic = status == Status.RETURNED and marks.random() < (0.9 if online else 0.6)
        paid_online = online and procedure.fee > 0 and marks.random() < 0.7
        dossiers.append(
            Dossier(
                code=f"{unit.code}-{day:%y%m%d}-{per_day[day]:04d}",
                # The register is numbered per book (unit and year), not per day (DOMAIN §5).
                register_number=len(dossiers) + 1,
                procedure=procedure,
                unit=unit,
                channel=channel,
                status=status,
                rule_version="61/2018",
                applicant_name=name,
                applicant_name_folded=fold(name),
                submitted_at=received - timedelta(minutes=rng.randrange(0, 90))
                if channel == Channel.ONLINE
                else received,
                received_at=received,
                due_at=due,
                finished_at=finished,
                returned_at=returned,
                closed_at=closed,
                closing_reason="Theo đề nghị của người nộp" if closed else "",
                is_historical=True,
                # 1.4: most dossiers reached the national portal within two hours of reception.
                synced_at=received + timedelta(minutes=marks.randrange(1, 120))
                if marks.random() < 0.97
                else None,
                electronic_result=electronic,
                result_number=f"{day:%Y}/KQ-{len(dossiers) + 1:05d}" if electronic else "",
                digitised=marks.random() < (0.95 if online else 0.75),
                reused_data=marks.random() < 0.35,
                from_data_store=online and marks.random() < 0.3,
                vneid_verified=online and marks.random() < 0.8,
                paid_online=paid_online,
                fee=procedure.fee if procedure.fee > 0 else None,
            )
        )
    return dossiers


def save(dossiers: list[Dossier], *, note: str = "Dữ liệu minh họa (lịch sử 2023)") -> None:
    """Insert in batches, one non-public "import" timeline event each, code counters raised."""
    fields = [
        f.attname for f in Dossier._meta.concrete_fields if not f.primary_key and not f.generated
    ]
    with transaction.atomic():
        # One register book per unit and year, its counter raised past the entries written here.
        books: dict[tuple[int, int], RegisterBook] = {}
        for d in dossiers:
            key = (d.unit_id, timezone.localtime(d.received_at).year)
            if key not in books:
                books[key], _new = RegisterBook.objects.get_or_create(
                    unit_id=key[0], year=key[1], number=1
                )
            book = books[key]
            d.register_book_id = book.pk
            book.last = max(book.last, d.register_number or 0)
        for book in books.values():
            RegisterBook.objects.filter(pk=book.pk, last__lt=book.last).update(last=book.last)
        insert_rows(Dossier, [{n: getattr(d, n) for n in fields} for d in dossiers])
        ids = dict(
            Dossier.objects.filter(code__in=[d.code for d in dossiers]).values_list("code", "id")
        )
        insert_rows(
            DossierEvent,
            [
                {
                    "dossier_id": ids[d.code],
                    "at": d.returned_at or d.closed_at or d.received_at,
                    "action": "import",
                    "to_status": d.status,
                    "note": note,
                    "public": False,
                }
                for d in dossiers
            ],
        )
        # The codes' per-day sequences continue after the demo's (code ends with -NNNN).
        highest: dict[tuple[str, date], int] = {}
        for d in dossiers:
            key = (d.unit.code, timezone.localtime(d.received_at).date())
            highest[key] = max(highest.get(key, 0), int(d.code.rsplit("-", 1)[1]))
        bump_sequences(highest)


def load(stdout) -> None:
    """Load the 2023 history of the Department of Justice, then the twelve months ending
    yesterday (`demo_recent`, issue 14) so today's dashboard has figures (both idempotent)."""
    from . import demo_recent

    unit = Unit.objects.filter(code=UNIT_CODE).first()
    if unit is None:
        unit = Unit.objects.create(code=UNIT_CODE, name="Sở Tư pháp", short_name="Sở Tư pháp")
    load_2023(unit, stdout)
    demo_recent.load(unit, stdout)


def load_2023(unit: Unit, stdout) -> None:
    """The article's period, 01/01/2023–08/11/2023 (idempotent)."""
    marker = f"{UNIT_CODE}-{PERIOD[0]:%y}"
    if Dossier.objects.filter(unit=unit, is_historical=True, code__startswith=marker).exists():
        stdout.write("2023 history of the Department of Justice already loaded.")
        return
    dossiers = build(unit, ARTICLE)
    save(dossiers)
    stdout.write(
        f"Loaded {len(dossiers)} historical dossiers of {UNIT_CODE} (01/01/2023–08/11/2023): "
        "98.80 % settled early or on time."
    )
