"""Benchmark of the working-time engine `motcua.worktime` against named peers.

Run from the repository root:

    .venv/bin/python bench/worktime_bench.py [--quick] [--seed N]

Peers: pandas `CustomBusinessHour` and `businesstimedelta` (both in the `bench` optional dependencies).
The engine is used without Django (`compile_spec(load_builtin("hue"))`). Nothing is written to disk.

Sections (all in the same run):
 1. per-call latency of a single `add` of 16 h and 1,000 h, motcua vs pandas vs businesstimedelta;
 2. agreement of motcua with pandas (and businesstimedelta) on random starts 2023–2024, with
    disagreements sorted into categories;
 3. throughput of `add_many` over 1,000,000 random starts 2023–2027 (best of 3), and pandas'
    nearest vectorised equivalent (timed on 10,000 starts, extrapolated);
 4. `add_many` and `add` against an independent day-by-day / session-by-session reference on
    100,000 random cases 2023–2027 (durations 0..40 h).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata as md
import os
import platform
import sys
import time
import warnings
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytz  # noqa: E402
from businesstimedelta import BusinessTimeDelta, HolidayRule, Rules, WorkDayRule  # noqa: E402
from pandas.tseries.offsets import CustomBusinessHour  # noqa: E402

from motcua.worktime import compile_spec, to_local_minutes  # noqa: E402
from motcua.worktime.loader import load_builtin  # noqa: E402

EPOCH = dt.datetime(1970, 1, 1)
DAY = 1440
SESSIONS_2015_2025 = ((7 * 60 + 30, 11 * 60 + 30), (13 * 60, 17 * 60))
SESSION_ENDS = {dt.time(11, 30), dt.time(17, 0)}
# The comparison window for peers: starts in 2023–2024, peer calendars listed through 2025 (the fixed
# two-session schedule of the hue calendar ends on 31/12/2025; seasonal hours from 2026 cannot be
# expressed by either peer, so results must stay before 2026 – checked).
PEER_FIRST, PEER_LAST = dt.date(2023, 1, 1), dt.date(2025, 12, 31)
START_FIRST, START_END = dt.datetime(2023, 1, 1), dt.datetime(2025, 1, 1)


def minute_to_dt(m: int) -> dt.datetime:
    return EPOCH + dt.timedelta(minutes=int(m))


def dt_to_minute(d: dt.datetime) -> int:
    return to_local_minutes(d.replace(tzinfo=None))


def best_per_call(fn, items, repeat: int) -> float:
    """Best-of-`repeat` mean seconds per call of fn(item) over `items` (same loop for every library)."""

    def loop():
        for item in items:
            fn(item)

    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        loop()
        best = min(best, time.perf_counter() - t0)
    return best / len(items)


def interleaved_best(cases, rounds: int) -> list[float]:
    """Best mean seconds per call for each (fn, items), the cases timed in turn within every round.

    Interleaving gives each library the same chance of a quiet moment on a shared machine, so the
    ratios are not skewed by load that comes and goes between two separate measurements.
    """
    best = [float("inf")] * len(cases)
    for _ in range(rounds):
        for k, (fn, items) in enumerate(cases):
            best[k] = min(best[k], best_per_call(fn, items, 1))
    return best


def header(title: str) -> None:
    print()
    print(title)
    print("-" * len(title))


def table(rows, headers) -> None:
    cols = list(zip(*([headers, *rows]), strict=True))
    widths = [max(len(str(c)) for c in col) for col in cols]
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    print(fmt.format(*headers))
    print(fmt.format(*("-" * w for w in widths)))
    for r in rows:
        print(fmt.format(*r))


# --------------------------------------------------------------------------------------------------
# Calendars
# --------------------------------------------------------------------------------------------------
def build(hue):
    """Days off for the peers: every date 2023–2025 that is not a working day in motcua's calendar."""
    days_off = []
    makeup_saturdays = []
    d = PEER_FIRST
    while d <= PEER_LAST:
        sessions = hue.sessions_on(d)
        if not sessions:
            days_off.append(d)
        else:
            got = tuple(
                (s.start.hour * 60 + s.start.minute, s.end.hour * 60 + s.end.minute)
                for s in sessions
            )
            assert got == SESSIONS_2015_2025, (d, got)  # peers model the fixed schedule exactly
            if d.weekday() == 5:
                makeup_saturdays.append(d)
            assert d.weekday() <= 5, d  # no working Sundays: a Mon–Sat weekmask suffices
        d += dt.timedelta(days=1)
    return days_off, makeup_saturdays


def pandas_offset_factory(days_off):
    cache = {}

    def cbh(n: int) -> CustomBusinessHour:
        off = cache.get(n)
        if off is None:
            off = cache[n] = CustomBusinessHour(
                n=n,
                start=["07:30", "13:00"],
                end=["11:30", "17:00"],
                weekmask="Mon Tue Wed Thu Fri Sat",
                holidays=days_off,
            )
        return off

    return cbh


def btd_rules(days_off):
    # Naive datetimes are read as UTC by businesstimedelta; with tz=UTC the wall clock is used as is
    # (Viet Nam has no DST, so this is exact and the cheapest way to drive the library).
    mon_sat = [0, 1, 2, 3, 4, 5]
    return Rules(
        [
            WorkDayRule(
                start_time=dt.time(7, 30),
                end_time=dt.time(11, 30),
                working_days=mon_sat,
                tz=pytz.utc,
            ),
            WorkDayRule(
                start_time=dt.time(13, 0),
                end_time=dt.time(17, 0),
                working_days=mon_sat,
                tz=pytz.utc,
            ),
            HolidayRule(frozenset(days_off), tz=pytz.utc),
        ]
    )


# --------------------------------------------------------------------------------------------------
# Random starts
# --------------------------------------------------------------------------------------------------
def random_starts(hue, rng, n: int, first: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """Mix: 50 % uniform minutes (mostly out of hours), 40 % inside sessions, 10 % on session boundaries."""
    lo, hi = dt_to_minute(first), dt_to_minute(end)
    starts_np = hue._np_starts
    ends_np = hue._np_ends
    sel = np.flatnonzero((starts_np >= lo) & (ends_np <= hi))
    out = []
    kinds = rng.random(n)
    for k in kinds:
        if k < 0.5:
            m = int(rng.integers(lo, hi))
        elif k < 0.9:
            i = int(rng.choice(sel))
            m = int(rng.integers(starts_np[i], ends_np[i]))
        else:
            i = int(rng.choice(sel))
            m = int(starts_np[i] if rng.random() < 0.5 else ends_np[i])
        out.append(minute_to_dt(m))
    return out


def start_category(hue, s: dt.datetime) -> str:
    d = s.date()
    sessions = hue.sessions_on(d)
    if not sessions:
        return "day off"
    t = s.time()
    for sess in sessions:
        if t == sess.start:
            return "at session start"
        if t == sess.end:
            return "at session end"
        if sess.start < t < sess.end:
            return "inside session"
    if t < sessions[0].start:
        return "before opening"
    if t > sessions[-1].end:
        return "after close"
    return "lunch break"


# --------------------------------------------------------------------------------------------------
# Section 4 reference: walk day by day, session by session
# --------------------------------------------------------------------------------------------------
def make_session_reference(hue):
    @cache
    def day_sessions(ordinal: int):
        day = dt.date.fromordinal(ordinal)
        base = (ordinal - EPOCH.toordinal()) * DAY
        return tuple(
            (base + s.start.hour * 60 + s.start.minute, base + s.end.hour * 60 + s.end.minute)
            for s in hue.sessions_on(day)
        )

    def ref_add(t: int, amount: int) -> int:
        ordinal = EPOCH.toordinal() + t // DAY
        remaining = amount
        while True:
            for a, b in day_sessions(ordinal):
                if t >= b:  # at or after the session end: move on
                    continue
                cur = max(t, a)  # inside a session counts from the start itself
                if remaining == 0:  # zero minutes (or none left): the next opening
                    return cur
                avail = b - cur
                if remaining <= avail:  # landing exactly at the session end stays there
                    return cur + remaining
                remaining -= avail
                t = b
            ordinal += 1
            if ordinal > dt.date(2040, 1, 1).toordinal():
                raise RuntimeError("reference ran off the calendar")

    return ref_add


# --------------------------------------------------------------------------------------------------
def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help="smaller samples (about 4x faster)")
    ap.add_argument("--seed", type=int, default=20240504)
    args = ap.parse_args()
    q = args.quick
    rng = np.random.default_rng(args.seed)
    warnings.simplefilter("ignore", pd.errors.PerformanceWarning)

    print("motcua.worktime benchmark" + (" (--quick)" if q else ""))
    print(
        f"python {platform.python_version()}  numpy {np.__version__}  pandas {pd.__version__}  "
        f"businesstimedelta {md.version('businesstimedelta')}  holidays {md.version('holidays')}"
    )
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    print(
        f"cpus: os.cpu_count()={os.cpu_count()} affinity={affinity}  "
        f"loadavg={' '.join(f'{x:.2f}' for x in os.getloadavg())}  {platform.machine()} {platform.system()}"
    )

    t0 = time.perf_counter()
    hue = compile_spec(load_builtin("hue"))
    print(f"compile hue calendar: {(time.perf_counter() - t0) * 1e3:.0f} ms  {hue!r}")
    days_off, makeup = build(hue)
    print(
        f"peer calendars: {len(days_off)} days off 2023–2025 given as holidays on a Mon–Sat week; "
        f"make-up Saturdays kept working: {', '.join(map(str, makeup))}"
    )
    cbh = pandas_offset_factory(days_off)
    rules = btd_rules(days_off)
    results: dict[str, object] = {}

    # ---------------------------------------------------------------------------------- 1. latency
    header("1. Single add: per-call latency (best of repeats, same starts for every library)")
    starts = random_starts(hue, rng, 500 if not q else 200, START_FIRST, START_END)
    pstarts = [pd.Timestamp(s) for s in starts]
    rows = []
    for hours, btd_n in ((16, 200), (1000, 40)):
        rounds, btd_reps = (20, 3) if not q else (6, 1)
        if q:
            btd_n = max(10, btd_n // 4)
        off = cbh(hours)
        delta = BusinessTimeDelta(rules, hours=hours)
        m_sec, p_sec = interleaved_best(
            [(lambda s, h=hours: hue.add(s, hours=h), starts), (lambda ts, o=off: ts + o, pstarts)],
            rounds,
        )
        m_us, p_us = m_sec * 1e6, p_sec * 1e6
        b_us = best_per_call(lambda s, d=delta: s + d, starts[:btd_n], btd_reps) * 1e6
        # like-with-like check: every peer result stays inside the fixed-schedule window
        last_p = max(ts + off for ts in pstarts)
        assert last_p.date() <= PEER_LAST, last_p
        results[f"m{hours}"], results[f"p{hours}"], results[f"b{hours}"] = m_us, p_us, b_us
        rows.append(
            (
                f"add {hours:,} h",
                f"{m_us:.2f}",
                f"{p_us:.1f}",
                f"{b_us:.0f}",
                f"{p_us / m_us:.1f}x",
                f"{b_us / m_us:.0f}x",
            )
        )
    table(rows, ("case", "motcua µs", "pandas µs", "btd µs", "pandas/motcua", "btd/motcua"))
    try:  # where motcua's time goes (private helpers; informational only)
        from motcua.worktime.calendar import _duration_minutes, from_local_minutes

        v_us = best_per_call(lambda _: _duration_minutes(16, 0), starts, 10) * 1e6
        f_us = best_per_call(lambda _: from_local_minutes(28_000_000), starts, 10) * 1e6
        n_us = best_per_call(lambda _: None, starts, 10) * 1e6
        print(
            f"  inside motcua's add: duration validation {v_us:.2f} µs, building the aware result "
            f"{f_us:.2f} µs, empty loop {n_us:.2f} µs (rest: bisect and arithmetic)"
        )
    except ImportError:
        pass
    print(
        f"  starts: {len(starts)} random 2023–2024 (50% any minute, 40% in session, 10% on a boundary), "
        f"motcua and pandas timed in turn, best of {20 if not q else 6} rounds; "
        f"btd timed on the first {200 if not q else 50} (16 h) / {40 if not q else 10} (1,000 h)."
    )
    print(
        "  motcua: hue.add(naive datetime, hours=n) -> aware datetime; pandas: Timestamp + prebuilt "
        "CustomBusinessHour(n=...); btd: naive datetime + prebuilt BusinessTimeDelta (tz=UTC wall clock)."
    )
    print(
        "  Make-up Saturdays: neither peer has a 'working exception' rule, but both take them with a "
        "Mon–Sat week whose other Saturdays are listed as holidays (so the comparison is like with like)."
    )

    # -------------------------------------------------------------------------------- 2. agreement
    n_agree = 3000 if not q else 600
    header(
        f"2. Agreement with pandas and businesstimedelta on {n_agree:,} random cases (2023–2024)"
    )
    a_starts = random_starts(hue, rng, n_agree, START_FIRST, START_END)
    a_hours = [0 if rng.random() < 0.05 else int(rng.integers(1, 81)) for _ in a_starts]
    cats: dict[str, dict[str, int]] = {}
    diff_kinds = {"pandas": {}, "btd": {}}
    examples = {"pandas": {}, "btd": {}}
    for s, h in zip(a_starts, a_hours, strict=True):
        m = hue.add(s, hours=h).replace(tzinfo=None)
        p = (pd.Timestamp(s) + cbh(h)).to_pydatetime()
        b = (s + BusinessTimeDelta(rules, hours=h)).replace(tzinfo=None) if h else None
        assert p.date() <= PEER_LAST
        c = cats.setdefault(start_category(hue, s), {"n": 0, "pandas": 0, "btd": 0})
        c["n"] += 1
        for peer, r in (("pandas", p), ("btd", b)):
            if r is None:  # businesstimedelta with 0 h: see below
                continue
            if r == m:
                continue
            c[peer] += 1
            if m.time() in SESSION_ENDS and h > 0 and r == hue.next_opening(m).replace(tzinfo=None):
                kind = "motcua due at session end (11:30/17:00); peer rolls it to the next opening"
            else:
                kind = "UNEXPLAINED"
            diff_kinds[peer][kind] = diff_kinds[peer].get(kind, 0) + 1
            examples[peer].setdefault(kind, []).append((s, h, m, r))
    zero_btd = [
        (
            s,
            (s + BusinessTimeDelta(rules, hours=0)).replace(tzinfo=None),
            hue.add(s, hours=0).replace(tzinfo=None),
        )
        for s, h in zip(a_starts, a_hours, strict=True)
        if h == 0
    ]
    zero_btd_diff = sum(1 for _, b, m in zero_btd if b != m)
    rows = [(k, v["n"], v["pandas"], v["btd"]) for k, v in sorted(cats.items())]
    rows.append(
        (
            "total",
            n_agree,
            sum(v["pandas"] for v in cats.values()),
            sum(v["btd"] for v in cats.values()),
        )
    )
    table(rows, ("start category", "cases", "≠ pandas", "≠ btd"))
    n_end = sum(
        1
        for s, h in zip(a_starts, a_hours, strict=True)
        if h > 0 and hue.add(s, hours=h).time() in SESSION_ENDS
    )
    print(f"  cases whose motcua due time is exactly a session end (11:30 or 17:00): {n_end}")
    for peer in ("pandas", "btd"):
        for kind, count in sorted(diff_kinds[peer].items()):
            print(f"  {peer}: {count:5d}  {kind}")
            for s, h, m, r in examples[peer][kind][:3]:
                print(
                    f"           e.g. {s:%a %Y-%m-%d %H:%M} + {h} h: motcua {m:%a %Y-%m-%d %H:%M}  {peer} {r:%a %Y-%m-%d %H:%M}"
                )
        if not diff_kinds[peer]:
            print(f"  {peer}: no disagreement")
    print(
        f"  btd with 0 h ({len(zero_btd)} cases, not in the table): {zero_btd_diff} differ from motcua "
        "(btd returns the start itself, not the next opening)"
        if zero_btd_diff
        else f"  btd with 0 h ({len(zero_btd)} cases): all equal to motcua"
    )
    for s, b, m in [z for z in zero_btd if z[1] != z[2]][:3]:
        print(
            f"           e.g. {s:%a %Y-%m-%d %H:%M} + 0 h: motcua {m:%a %Y-%m-%d %H:%M}  btd {b:%a %Y-%m-%d %H:%M}"
        )
    unexplained = diff_kinds["pandas"].get("UNEXPLAINED", 0)
    results["agree_unexplained"] = unexplained
    results["agree_pandas_raw"] = sum(diff_kinds["pandas"].values())
    results["agree_btd_raw"] = sum(diff_kinds["btd"].values())
    results["agree_btd_unexplained"] = diff_kinds["btd"].get("UNEXPLAINED", 0)

    # ------------------------------------------------------------------------------- 3. throughput
    n_many = 1_000_000 if not q else 200_000
    header(
        f"3. add_many throughput: {n_many:,} random starts 2023–2027, minutes 0..4800 (one core)"
    )
    lo = np.datetime64("2023-01-01T00:00", "m").astype(np.int64)
    hi = np.datetime64("2028-01-01T00:00", "m").astype(np.int64)
    many_starts = rng.integers(lo, hi, n_many).astype("datetime64[m]")
    many_minutes = rng.integers(0, 16 * 60 * 5 + 1, n_many, dtype=np.int64)
    hue.add_many(many_starts[:1000], many_minutes[:1000])  # warm-up
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        due = hue.add_many(many_starts, many_minutes)
        times.append(time.perf_counter() - t0)
    rate = n_many / min(times)
    results["rate"] = rate
    spot = rng.integers(0, n_many, 2000)
    spot_bad = sum(
        1
        for k in spot
        if dt_to_minute(
            hue.add(
                minute_to_dt(int(many_starts[k].astype(np.int64))), minutes=int(many_minutes[k])
            )
        )
        != int(due[k].astype(np.int64))
    )
    assert spot_bad == 0, spot_bad
    # pandas: no vectorised path with a per-element duration; DatetimeIndex + CustomBusinessHour(n=16)
    # (one duration for all) is applied element by element (PerformanceWarning). Time 10,000, extrapolate.
    n_pd = 10_000 if not q else 2_000
    p_lo = np.datetime64("2023-01-01T00:00", "m").astype(np.int64)
    p_hi = np.datetime64("2025-01-01T00:00", "m").astype(np.int64)
    idx = pd.DatetimeIndex(
        rng.integers(p_lo, p_hi, n_pd).astype("datetime64[m]").astype("datetime64[ns]")
    )
    t0 = time.perf_counter()
    idx + cbh(16)
    pd_s = time.perf_counter() - t0
    pd_rate = n_pd / pd_s
    results["pd_rate"] = pd_rate
    table(
        [
            ("motcua add_many (best of 3)", f"{min(times):.3f} s", f"{rate:,.0f}", "measured"),
            (
                f"pandas DatetimeIndex + CBH(n=16), {n_pd:,} starts 2023–24",
                f"{pd_s * n_many / n_pd:.1f} s",
                f"{pd_rate:,.0f}",
                f"extrapolated x{n_many // n_pd}",
            ),
        ],
        ("method", f"time for {n_many:,}", "deadlines/s", "note"),
    )
    print(
        f"  all 3 add_many runs: {', '.join(f'{t:.3f} s' for t in times)}; 2,000 spot checks vs add: 0 differ"
    )
    print(
        f"  ratio motcua/pandas throughput: {rate / pd_rate:,.0f}x (pandas single fixed duration, not per element)"
    )

    # -------------------------------------------------------------------------------- 4. reference
    n_ref = 100_000 if not q else 20_000
    header(
        f"4. add_many and add vs a day/session-walking reference: {n_ref:,} random cases 2023–2027, 0..40 h"
    )
    ref_add = make_session_reference(hue)
    # starts: 80 % any minute, 10 % exactly on a session start or end, 10 % inside a session;
    # durations: 85 % any minute count 0..2400, 10 % whole hours 0..40 (due times on session ends), 5 % zero.
    r_starts = rng.integers(lo, hi, n_ref)
    in_range = np.flatnonzero((hue._np_starts >= lo) & (hue._np_ends < hi - 3 * DAY))
    pick = rng.choice(in_range, n_ref)
    kind = rng.random(n_ref)
    on_boundary = np.where(rng.random(n_ref) < 0.5, hue._np_starts[pick], hue._np_ends[pick])
    inside = hue._np_starts[pick] + rng.integers(0, 240, n_ref) % (
        hue._np_ends[pick] - hue._np_starts[pick]
    )
    r_starts = np.where(kind < 0.8, r_starts, np.where(kind < 0.9, on_boundary, inside))
    r_minutes = rng.integers(0, 40 * 60 + 1, n_ref, dtype=np.int64)
    dkind = rng.random(n_ref)
    r_minutes = np.where(dkind < 0.10, rng.integers(0, 41, n_ref) * 60, r_minutes)
    r_minutes = np.where(dkind > 0.95, 0, r_minutes).astype(np.int64)
    t0 = time.perf_counter()
    expected = [ref_add(int(t), int(a)) for t, a in zip(r_starts, r_minutes, strict=True)]
    ref_s = time.perf_counter() - t0
    got_many = hue.add_many(r_starts.astype("datetime64[m]"), r_minutes).astype(np.int64)
    t0 = time.perf_counter()
    got_add = [
        dt_to_minute(hue.add(minute_to_dt(int(t)), minutes=int(a)))
        for t, a in zip(r_starts, r_minutes, strict=True)
    ]
    add_s = time.perf_counter() - t0
    bad_many = [k for k in range(n_ref) if int(got_many[k]) != expected[k]]
    bad_add = [k for k in range(n_ref) if got_add[k] != expected[k]]
    results["bad_many"], results["bad_add"] = len(bad_many), len(bad_add)
    n_zero = int((r_minutes == 0).sum())
    n_at_end = sum(1 for e in expected if minute_to_dt(e).time() in SESSION_ENDS)
    n_2026 = int((r_starts >= np.datetime64("2026-01-01T00:00", "m").astype(np.int64)).sum())
    table(
        [("add_many", n_ref, len(bad_many)), ("add", n_ref, len(bad_add))],
        ("motcua", "cases", "disagreements"),
    )
    print(
        f"  coverage: {n_zero} zero durations, {n_at_end} due exactly at a session end, {n_2026:,} starts in the "
        f"seasonal 2026–27 schedule; reference {ref_s:.1f} s, add loop {add_s:.1f} s"
    )
    for label, bad in (("add_many", bad_many), ("add", bad_add)):
        for k in bad[:10]:
            g = int(got_many[k]) if label == "add_many" else got_add[k]
            print(
                f"  BUG {label}: {minute_to_dt(int(r_starts[k]))} + {int(r_minutes[k])} min: "
                f"engine {minute_to_dt(g)}  reference {minute_to_dt(expected[k])}"
            )

    # ---------------------------------------------------------------------------------- summary
    header("Summary")
    checks = [
        (
            "1a pandas/motcua per call, add 16 h   ≥ 20x",
            f"{results['p16'] / results['m16']:.1f}x",
            results["p16"] / results["m16"] >= 20,
        ),
        (
            "1b pandas/motcua per call, add 1000 h ≥ 20x",
            f"{results['p1000'] / results['m1000']:.1f}x",
            results["p1000"] / results["m1000"] >= 20,
        ),
        (
            "2  agreement with pandas: unexplained = 0",
            f"{unexplained} unexplained / {results['agree_pandas_raw']} raw diffs / {n_agree}",
            unexplained == 0,
        ),
        ("3  add_many ≥ 2,000,000 deadlines/s", f"{rate:,.0f}/s", rate >= 2_000_000),
        (
            "4  reference disagreements = 0",
            f"add_many {len(bad_many)}, add {len(bad_add)}",
            not bad_many and not bad_add,
        ),
    ]
    table(
        [(name, value, "PASS" if ok else "FAIL") for name, value, ok in checks],
        ("target", "measured", "result"),
    )
    print(f"loadavg at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if all(ok for *_, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
