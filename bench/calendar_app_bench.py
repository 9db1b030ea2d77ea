"""Calendar look-up inside the running app: `get_calendar(name).add(...)` as views, services and
jobs call it, beside a held `Calendar.add` (the engine alone) in the same run (issue 17).

    .venv/bin/python bench/calendar_app_bench.py [--pg-url URL] [--calls 20000]

Not a test. Django is configured with the production settings (DEBUG off) against the database in
`--pg-url` (default: a PostgreSQL database `motcua_calendar_bench`, created and migrated if
missing), so every revision check is a real round trip to PostgreSQL, as in a gunicorn worker.
Prints µs per call for: the held calendar; `get_calendar` with the per-process revision cache
(MOTCUA_CALENDAR_RECHECK_SECONDS=5, the default); and the same with the cache off (recheck 0 = one
revision query per call, the behaviour before issue 17). Target: cached within 2× of held.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess  # nosec B404  # createdb/psql for the bench database
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent


def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0]
    exists = subprocess.run(  # nosec B603 B607
        ["psql", f"{server}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(
            ["psql", f"{server}/postgres", "-c", f'CREATE DATABASE "{name}"'], check=True
        )  # nosec B603 B607


def per_call(fn, starts, rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for s in starts:
            fn(s)
        best = min(best, (time.perf_counter() - t0) / len(starts))
    return best * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pg-url", default="postgres://postgres@127.0.0.1:5432/motcua_calendar_bench"
    )
    parser.add_argument("--calls", type=int, default=20000)
    args = parser.parse_args()
    ensure_database(args.pg_url)
    os.environ["DATABASE_URL"] = args.pg_url
    os.environ.setdefault("MOTCUA_SECRET_KEY", "bench-" + "x" * 40)
    os.environ["MOTCUA_DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from motcua.calendars import provider
    from motcua.worktime import get_calendar

    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    rng = random.Random(7)
    first = datetime(2025, 1, 1, tzinfo=zone)
    starts = [
        first + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60)) for _ in range(args.calls)
    ]
    held = get_calendar("hue")
    held_us = per_call(lambda s: held.add(s, hours=16), starts)
    settings.MOTCUA_CALENDAR_RECHECK_SECONDS = 5
    provider.invalidate()
    cached_us = per_call(lambda s: get_calendar("hue").add(s, hours=16), starts)
    settings.MOTCUA_CALENDAR_RECHECK_SECONDS = 0
    uncached_us = per_call(lambda s: get_calendar("hue").add(s, hours=16), starts[:2000], rounds=3)
    print(f"database: {settings.DATABASES['default']['ENGINE']} {args.pg_url.rsplit('/', 1)[1]}")
    print(f"held Calendar.add(16 h)                    {held_us:8.2f} µs/call")
    print(
        f"get_calendar('hue').add, revision cached   {cached_us:8.2f} µs/call  ratio {cached_us / held_us:.2f}× held"
    )
    print(
        f"get_calendar('hue').add, query per call    {uncached_us:8.2f} µs/call  ratio {uncached_us / held_us:.2f}× held"
    )
    ok = cached_us <= 2 * held_us
    print("target (cached ≤ 2× held):", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
