"""Dossier benchmark: II.06a report, worklist, tracking lookup and legacy import on a big database.

    .venv/bin/python bench/dossiers_bench.py --db sqlite   [--rows 1000000]
    .venv/bin/python bench/dossiers_bench.py --db postgres [--rows 1000000] [--pg-url URL]

Not a test. It builds a FRESH database (SQLite: /tmp/motcua_bench.sqlite3; PostgreSQL: the database
`motcua_bench`, dropped and recreated), generates the dossiers (seeded, 3 years 2022–2024, 20
procedures, 5 units), then measures:

1. `compute_ontime` for 2023 (all units, and one unit) — the same code as `motcua report ontime`;
   target < 5 s. Peer in the same run: the naive way — fetch the rows with `values_list` and
   classify them in Python with `timeliness.classify`; the figures must be equal, the ratio printed.
2. the worklist queryset (`motcua.dossiers.views.worklist_queryset`) of a leader of one unit:
   first page of 50 rows, and the paginator's count; p50/p95 over repeated runs;
3. the public tracking lookup (`motcua.dossiers.tracking.lookup`, code + last 4 phone digits),
   p50/p95 over random codes;
4. `import_dossiers` of a 100,000-row CSV (rows/s), then the same file again (all skipped).

Exit status 1 if a target fails or the peer disagrees.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SQLITE_PATH = Path("/tmp/motcua_bench.sqlite3")
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/motcua_bench"
SEED = 766
UNITS = 5
PROCEDURES = 20
FIRST_DAY, LAST_DAY = date(2022, 1, 1), date(2024, 12, 31)


def fresh_database(args) -> None:
    """Point Django at a new, empty database."""
    if args.db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
    else:
        import psycopg

        url = args.pg_url
        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ.setdefault("MOTCUA_SECRET_KEY_FILE", "/tmp/motcua_bench.secret")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return p50 * 1000, p95 * 1000


def catalogue():
    """5 units, 20 procedures (1–15 working days), a leader of unit 1 for the worklist."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from motcua.orgs.models import Membership, Unit
    from motcua.procedures.models import Procedure

    units = [
        Unit.objects.create(code=f"000.00.{12 + i:02d}.H57", name=f"Sở {i + 1}")
        for i in range(UNITS)
    ]
    rng = random.Random(SEED)
    procedures = [
        Procedure.objects.create(
            code=f"BENCH-{i:02d}",
            name=f"Thủ tục {i}",
            unit=units[i % UNITS],
            time_value=Decimal(rng.choice([1, 2, 3, 5, 7, 10, 15])),
        )
        for i in range(PROCEDURES)
    ]
    leader = get_user_model().objects.create_user("bench_leader", password=None)
    Membership.objects.create(user=leader, unit=units[0], role="leader")
    return units, procedures, leader


def generate(n: int, units, procedures, chunk: int = 50_000) -> list[tuple[str, str]]:
    """Insert n dossiers; returns a sample of (code, last 4 phone digits) for tracking lookups."""
    import numpy as np
    from django.db import transaction

    from motcua.core.text import fold
    from motcua.dossiers.importer import insert_rows
    from motcua.dossiers.models import Dossier
    from motcua.worktime import TZ, get_calendar

    cal = get_calendar("hue")
    rng = np.random.default_rng(SEED)
    days = [
        FIRST_DAY + timedelta(days=i)
        for i in range((LAST_DAY - FIRST_DAY).days + 1)
        if cal.is_working_day(FIRST_DAY + timedelta(days=i))
    ]
    day_minutes = np.array(
        [np.datetime64(d, "m") + np.timedelta64(450, "m") for d in days], dtype="datetime64[m]"
    )
    proc_hours = np.array([int(p.time_value) * 8 for p in procedures])
    proc_unit = np.array([units.index(p.unit) for p in procedures])
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Quang Cường", "Phạm Thị Dung", "Hồ Văn Em"]
    folded = [fold(x) for x in names]
    counters: dict[tuple[int, int], int] = {}
    sample: list[tuple[str, str]] = []
    epoch = datetime(1970, 1, 1, tzinfo=TZ)
    now_minute = (LAST_DAY - date(1970, 1, 1)).days * 1440 + 1440
    done = 0
    while done < n:
        m = min(chunk, n - done)
        day_idx = np.sort(rng.integers(0, len(days), m))
        received = cal.add_many(day_minutes[day_idx], rng.integers(0, 480, m))
        proc = rng.integers(0, PROCEDURES, m)
        due = cal.add_many(received, proc_hours[proc] * 60)
        # Work takes 20–110 % of the allowed time (5 % of cases overrun), in working minutes.
        share = rng.uniform(0.2, 1.1, m)
        finished = cal.add_many(received, (proc_hours[proc] * 60 * share).astype(np.int64))
        fate = rng.random(m)  # < 0.01 withdrawn, < 0.015 stopped, else settled unless recent
        channel = rng.choice(np.array(["online", "counter", "post"]), m, p=[0.55, 0.4, 0.05])
        phones = rng.integers(100_000_000, 999_999_999, m)
        r_int = received.astype(np.int64)
        f_int = finished.astype(np.int64)
        d_int = due.astype(np.int64)
        rows = []
        for i in range(m):
            unit_i = int(proc_unit[proc[i]])
            rec = epoch + timedelta(minutes=int(r_int[i]))
            key = (unit_i, int(r_int[i]) // 1440)
            counters[key] = number = counters.get(key, 0) + 1
            local_day = rec.date()
            code = f"{units[unit_i].code}-{local_day:%y%m%d}-{number:04d}"
            phone = f"0{phones[i]}"
            row = {
                "code": code,
                "procedure_id": procedures[proc[i]].pk,
                "unit_id": units[unit_i].pk,
                "channel": str(channel[i]),
                "applicant_name": names[i % 5],
                "applicant_name_folded": folded[i % 5],
                "applicant_phone": phone,
                "submitted_at": rec,
                "received_at": rec,
                "due_at": epoch + timedelta(minutes=int(d_int[i])),
                "register_number": number,
                "rule_version": "61/2018",
                "is_historical": True,
            }
            if fate[i] < 0.01:
                row["status"] = 7
                row["closed_at"] = rec + timedelta(hours=2)
            elif fate[i] < 0.015:
                row["status"] = 8
                row["closed_at"] = rec + timedelta(days=1)
            elif int(f_int[i]) >= now_minute - 1440 * 20 and fate[i] < 0.5:
                row["status"] = 4  # still open at the end of the data: the worklist
            else:
                row["status"] = 10
                row["finished_at"] = epoch + timedelta(minutes=int(f_int[i]))
                row["returned_at"] = row["finished_at"] + timedelta(hours=1)
            rows.append(row)
            if i % 997 == 0:
                sample.append((code, phone[-4:]))
        with transaction.atomic():  # one commit per chunk, not per row
            insert_rows(Dossier, rows)
        done += m
        print(f"  generated {done:,} / {n:,}", file=sys.stderr, flush=True)
    return sample


def naive_ontime(date_from: date, date_to: date):
    """The peer: fetch the period's rows with values_list, classify each in Python."""
    from django.db.models import Q

    from motcua.dossiers.models import Dossier
    from motcua.dossiers.timeliness import classify
    from motcua.reports.ontime import period_bounds

    start, end = period_bounds(date_from, date_to)
    counts = dict.fromkeys(
        [
            "received_online",
            "received_counter_post",
            "carried_over",
            "settled_early",
            "settled_on_time",
            "settled_late",
            "in_progress_within",
            "in_progress_overdue",
            "closed_apart",
        ],
        0,
    )
    rows = (
        Dossier.objects.filter(received_at__lt=end)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=start))
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .values_list("received_at", "channel", "status", "due_at", "finished_at", "closed_at")
    )
    for received, channel, status, due, finished, closed in rows.iterator(chunk_size=20_000):
        if received < start:
            counts["carried_over"] += 1
        elif channel == "online":
            counts["received_online"] += 1
        else:
            counts["received_counter_post"] += 1
        if finished is not None and finished < end and status in (9, 10):
            counts["settled_" + classify(finished, due)] += 1
        elif closed is not None and closed < end and status in (3, 7, 8):
            counts["closed_apart"] += 1
        elif (finished is None or finished >= end) and (closed is None or closed >= end):
            key = "in_progress_overdue" if due is not None and due < end else "in_progress_within"
            counts[key] += 1
    return counts


def write_legacy_csv(path: Path, n: int, units, procedures, prefix: str = "LEGACY") -> None:
    from motcua.dossiers.importer import COLUMNS

    rng = random.Random(SEED + 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(COLUMNS)
        for i in range(n):
            p = procedures[i % PROCEDURES]
            received = datetime(2021, 1, 4, 8, 0) + timedelta(minutes=rng.randrange(0, 500_000))
            due = received + timedelta(days=3)
            finished = received + timedelta(hours=rng.randrange(1, 100))
            out.writerow(
                [
                    f"{prefix}-{i:07d}",
                    p.code,
                    p.name,
                    p.unit.code,
                    p.unit.name,
                    ("online", "counter", "post")[i % 3],
                    "Nguyễn Văn Cũ",
                    received.isoformat(timespec="minutes"),
                    received.isoformat(timespec="minutes"),
                    due.isoformat(timespec="minutes"),
                    finished.isoformat(timespec="minutes"),
                    (finished + timedelta(hours=2)).isoformat(timespec="minutes"),
                    10,
                ]
            )


def report_import(path: Path, n: int, import_dossiers) -> None:
    t0 = time.perf_counter()
    result = import_dossiers(actor=None, source=path)
    t_imp = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = import_dossiers(actor=None, source=path)
    t_again = time.perf_counter() - t0
    print(
        f"import {n:,} CSV rows: {t_imp:.1f} s ({n / t_imp:,.0f} rows/s, created "
        f"{result.created:,}); re-import (all skipped: {again.skipped:,}) {t_again:.1f} s "
        f"({n / t_again:,.0f} rows/s)"
    )
    path.unlink(missing_ok=True)


def import_only(args) -> int:
    """Step 4 alone, on the database a previous full run left behind."""
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}" if args.db == "sqlite" else args.pg_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ.setdefault("MOTCUA_SECRET_KEY_FILE", "/tmp/motcua_bench.secret")
    import django

    django.setup()
    from django.db import connection

    from motcua.dossiers.importer import import_dossiers
    from motcua.dossiers.models import Dossier
    from motcua.procedures.models import Procedure

    procedures = list(
        Procedure.objects.filter(code__startswith="BENCH-").select_related("unit").order_by("code")
    )
    print(f"# import only — {connection.vendor}, {Dossier.objects.count():,} dossiers present")
    path = Path(f"/tmp/motcua_bench_import_{args.db}.csv")
    write_legacy_csv(path, args.import_rows, None, procedures, prefix=f"L{int(time.time())}")
    report_import(path, args.import_rows, import_dossiers)
    return 0


def timed(fn, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    parser.add_argument("--runs", type=int, default=200, help="worklist / tracking repetitions")
    parser.add_argument(
        "--import-only",
        action="store_true",
        help="reuse the database of a previous full run and time only the import (step 4)",
    )
    args = parser.parse_args()

    if args.import_only:
        return import_only(args)
    fresh_database(args)
    from django.db import connection
    from django.utils import timezone

    from motcua.dossiers.importer import import_dossiers
    from motcua.dossiers.tracking import lookup
    from motcua.dossiers.views import worklist_queryset
    from motcua.reports.ontime import FIELDS, compute_ontime

    print(f"# motcua dossier benchmark — {connection.vendor}, {args.rows:,} dossiers")
    units, procedures, leader = catalogue()
    t0 = time.perf_counter()
    sample = generate(args.rows, units, procedures)
    gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"generation: {args.rows:,} rows in {gen:.1f} s ({args.rows / gen:,.0f} rows/s), "
        f"ANALYZE {time.perf_counter() - t0:.1f} s"
    )
    failures = []

    # 1. II.06a for 2023 against the naive peer.
    year = (date(2023, 1, 1), date(2023, 12, 31))
    t_all, report = timed(lambda: compute_ontime(*year), 3)
    t_one, _ = timed(lambda: compute_ontime(*year, units=[units[0]]), 3)
    t_naive, naive = timed(lambda: naive_ontime(*year), 1)
    ours = {k: getattr(report, k) for k in naive if k != "closed_apart"}
    ours["closed_apart"] = report.closed_apart
    agree = ours == naive
    print(f"report ontime 2023, all units: {t_all:.3f} s (best of 3); one unit: {t_one:.3f} s")
    print("  figures: " + ", ".join(f"{k}={getattr(report, k)}" for k in FIELDS))
    print(f"  identity_ok={report.identity_ok}")
    print(
        f"naive peer (values_list + classify in Python): {t_naive:.3f} s → "
        f"motcua is {t_naive / t_all:.1f}x faster; figures agree: {agree}"
    )
    if t_all >= 5:
        failures.append("report ontime ≥ 5 s")
    if not agree:
        failures.append(f"peer disagrees: {ours} vs {naive}")
        print(f"  ours  {ours}\n  naive {naive}")

    # 2. The worklist of a leader of unit 1.
    now = timezone.make_aware(datetime(2024, 12, 31, 10, 0))
    first_page, counts = [], []
    for _ in range(args.runs):
        leader.__dict__.pop("_motcua_memberships", None)
        t0 = time.perf_counter()
        rows = list(worklist_queryset(leader, now=now)[:50])
        first_page.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        total = worklist_queryset(leader, now=now).count()
        counts.append(time.perf_counter() - t0)
    p50, p95 = percentiles(first_page)
    c50, c95 = percentiles(counts)
    print(
        f"worklist (unit 1, {total:,} open dossiers): first page of {len(rows)} p50 {p50:.2f} ms, "
        f"p95 {p95:.2f} ms; count p50 {c50:.2f} ms, p95 {c95:.2f} ms"
    )

    # 3. Tracking lookups by code + last 4 digits of the phone.
    rng = random.Random(SEED)
    lookups, found = [], 0
    for _ in range(args.runs * 5):
        code, last4 = rng.choice(sample)
        t0 = time.perf_counter()
        found += lookup(code, last4) is not None
        lookups.append(time.perf_counter() - t0)
    p50, p95 = percentiles(lookups)
    print(f"tracking lookup: p50 {p50:.2f} ms, p95 {p95:.2f} ms ({found}/{len(lookups)} found)")
    if found != len(lookups):
        failures.append("tracking lookups missed")

    # 4. Import of legacy CSV rows.
    path = Path(f"/tmp/motcua_bench_import_{args.db}.csv")
    write_legacy_csv(path, args.import_rows, units, procedures)
    report_import(path, args.import_rows, import_dossiers)

    try:
        import duckdb  # noqa: F401
    except ImportError:
        print("duckdb: not installed, not compared")
    print("FAILED: " + "; ".join(failures) if failures else "all targets met")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
