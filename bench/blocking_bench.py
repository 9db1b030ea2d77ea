"""Benchmark of the blocking registry's look-up and import at scale, beside a naive scan.

Run from the repository root:

    .venv/bin/python bench/blocking_bench.py --db sqlite|postgres [--assets 1000000] [--queries 300]

1. generates a legacy CSV of N rows (one asset each: 70 % land with a certificate serial, 30 %
   vehicles with a plate; 1–2 owners with Vietnamese names, a third of them typed without
   diacritics as in old data) and imports it with `motcua blocking import`'s code path — the import
   time of N rows is measured on the way (this is also how the data is generated);
2. identifier look-ups (serials / plates typed differently: "ab123456", "AB-123 456") and name
   look-ups (full names with or without diacritics, a given name alone, "surname middle" prefixes)
   through `run_search`, p50 / p95 / max;
3. the same kinds of look-up as a naive `icontains` scan over the same tables in the same run
   (`Asset.certificate_serial|plate icontains` / `Owner.name icontains` — favourable to the naive
   scan: it is given the stored spelling, because it cannot normalise), and the ratio.

A scratch database is used and dropped: SQLite in a temporary file; PostgreSQL database
`motcua_bench_blocking` on postgres://postgres@127.0.0.1:5432 (override with --pg-url).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
            "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Tôn Nữ", "Trương", "Đoàn", "Lương", "Mai", "Cao"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Xuân", "Công", "Kim",
          "Hoài", "Bảo", "Phước", "Đình", "Thùy", "Anh", "Gia"]  # fmt: skip
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngân", "Nhung",
         "Phong", "Phúc", "Phương", "Quân", "Quỳnh", "Sơn", "Tâm", "Thảo", "Thắng", "Thành",
         "Thủy", "Tiến", "Trang", "Trung", "Tú", "Tuấn", "Vân", "Việt", "Yến", "Lộc", "Toàn",
         "Đạt", "Định", "Hiền", "Khoa", "Lực", "Nhân", "Oanh", "Quý", "Sang", "Tín", "Uyên"]  # fmt: skip
WARDS = ["Phú Hội", "Vĩnh Ninh", "Thuận Hòa", "Kim Long", "Hương Sơ", "An Cựu", "Xuân Phú",
         "Thủy Xuân", "Phú Bài", "Hương Trà", "Thuận An", "Phong Điền"]  # fmt: skip
STREETS = ["Lê Lợi", "Hùng Vương", "Trần Hưng Đạo", "Phan Đình Phùng", "Nguyễn Huệ", "Bà Triệu",
           "Điện Biên Phủ", "Lý Thường Kiệt", "Ngự Bình", "Tố Hữu"]  # fmt: skip
SERIES = ["AB", "AC", "AD", "BA", "BB", "BC", "BK", "BL", "CA", "CB", "CD", "CE", "CH", "CS", "CT",
          "DA", "DB", "DC", "DD", "DE"]  # fmt: skip


def fold_ascii(text: str) -> str:
    from motcua.core.text import fold

    return " ".join(w.capitalize() for w in fold(text).split())


def make_name(rng: random.Random) -> str:
    name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    if rng.random() < 0.3:
        name = f"{name.rsplit(' ', 1)[0]} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return fold_ascii(name) if rng.random() < 0.33 else name


def generate_csv(path: Path, n: int, seed: int) -> dict:
    """Write the CSV; return samples (stored spellings) to look up later."""
    from motcua.blocking.importer import COLUMNS

    rng = random.Random(seed)
    samples = {"serials": [], "plates": [], "names": []}
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(n):
            owners = [make_name(rng) for _ in range(1 if rng.random() < 0.6 else 2)]
            ids = [
                f"046{rng.randint(0, 1)}{rng.randint(40, 99):02d}{rng.randint(0, 999999):06d}"
                if rng.random() < 0.6
                else f"19{rng.randint(0, 9999999):07d}"
                for _ in owners
            ]
            land = rng.random() < 0.7
            serial = f"{rng.choice(SERIES)} {i:06d}" if land else ""
            plate = (
                ""
                if land
                else f"75{rng.choice('ABCDEFGH')}{rng.randint(1, 9)}-{i % 1000:03d}.{i // 1000 % 100:02d}"
            )
            if land and len(samples["serials"]) < 5000 and rng.random() < 0.02:
                samples["serials"].append(serial)
            if not land and len(samples["plates"]) < 5000 and rng.random() < 0.05:
                samples["plates"].append(plate)
            if len(samples["names"]) < 5000 and rng.random() < 0.02:
                samples["names"].append(owners[0])
            released = rng.random() < 0.25
            writer.writerow(
                [
                    f"NC-{i:07d}",
                    "blocking" if rng.random() < 0.9 else "reference",
                    rng.choice(["Tòa án nhân dân thành phố Huế", "Chi cục Thi hành án dân sự thành phố Huế",
                                "Cơ quan Cảnh sát điều tra Công an tỉnh", "Tòa án nhân dân tỉnh"]),
                    f"{i}/{2015 + i % 10}/QĐ",
                    f"{2015 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    f"{2015 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d} 09:00",
                    "land" if land else "vehicle",
                    serial,
                    str(rng.randint(1, 900)) if land else "",
                    str(rng.randint(1, 80)) if land else "",
                    f"{rng.randint(1, 300)} {rng.choice(STREETS)}, phường {rng.choice(WARDS)}, Huế" if land else "",
                    plate,
                    "" if land else f"RL{rng.randint(10**8, 10**9 - 1)}",
                    "" if land else f"E{rng.randint(10**6, 10**7 - 1)}",
                    ";".join(f"{n}|{d}" for n, d in zip(owners, ids, strict=True)),
                    "released" if released else "active",
                    f"{i}/GT" if released else "",
                    f"{2016 + i % 9}-01-15" if released else "",
                ]
            )  # fmt: skip
    return samples


def retype_identifier(value: str, rng: random.Random) -> str:
    """The same identifier as a notary might type it."""
    from motcua.core.text import normalize_identifier

    bare = normalize_identifier(value)
    choice = rng.random()
    if choice < 0.4:
        return bare.lower()
    if choice < 0.7:
        return f"{bare[:2]}-{bare[2:5]} {bare[5:]}"
    return value


def retype_name(value: str, rng: random.Random) -> str:
    from motcua.core.text import fold

    parts = value.split()
    choice = rng.random()
    if choice < 0.3:
        return fold(value)  # without diacritics, lowercase
    if choice < 0.5:
        return value.upper()
    if choice < 0.7:
        return parts[-1]  # the given name alone
    if choice < 0.85:
        return " ".join(parts[:2])  # surname + middle name
    return value


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def timed(fn, items):
    durations, counts = [], []
    for item in items:
        start = time.perf_counter()
        count = fn(item)
        durations.append((time.perf_counter() - start) * 1000)
        counts.append(count)
    return durations, counts


def summary(label, durations, counts):
    return (
        f"{label:<42} n={len(durations):>4}  p50={statistics.median(durations):8.2f} ms  "
        f"p95={percentile(durations, 95):8.2f} ms  max={max(durations):8.2f} ms  "
        f"mean results={statistics.mean(counts):7.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--assets", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--naive-queries", type=int, default=20)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument(
        "--pg-url", default="postgres://postgres@127.0.0.1:5432/motcua_bench_blocking"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="motcua-blocking-bench-"))
    if args.db == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        import psycopg

        base, _, name = args.pg_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = args.pg_url
    os.environ.setdefault("MOTCUA_SECRET_KEY_FILE", str(workdir / "secret"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    os.environ.setdefault("MOTCUA_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q

    from motcua.blocking.importer import import_csv
    from motcua.blocking.models import Asset, Owner, SearchKey
    from motcua.blocking.search import run_search
    from motcua.orgs.models import Unit

    print(f"# blocking registry benchmark — {args.db}, {args.assets:,} assets, seed {args.seed}")
    print(f"# {connection.vendor} {connection.Database.__name__} "
          f"{getattr(connection.Database, 'sqlite_version', '') or connection.cursor().connection.info.server_version}")  # fmt: skip
    call_command("migrate", verbosity=0)
    unit = Unit.objects.create(code="000.00.12.H57", name="Sở Tư pháp", short_name="STP")

    csv_path = workdir / "legacy.csv"
    t0 = time.perf_counter()
    samples = generate_csv(csv_path, args.assets, args.seed)
    print(
        f"generate CSV: {time.perf_counter() - t0:7.1f} s ({csv_path.stat().st_size / 1e6:.0f} MB)"
    )
    t0 = time.perf_counter()
    result = import_csv(csv_path, unit=unit)
    elapsed = time.perf_counter() - t0
    print(
        f"import {result.rows:,} CSV rows → {result.requests_created:,} requests, "
        f"{result.assets_created:,} assets, {SearchKey.objects.count():,} search rows: "
        f"{elapsed:7.1f} s ({result.rows / elapsed:,.0f} rows/s; "
        f"1,000,000 rows ≈ {1_000_000 / (result.rows / elapsed) / 60:.1f} min)"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would have after a while

    rng = random.Random(args.seed + 1)
    ident_queries = [
        retype_identifier(rng.choice(samples["serials"] + samples["plates"]), rng)
        for _ in range(args.queries)
    ]
    name_queries = [retype_name(rng.choice(samples["names"]), rng) for _ in range(args.queries)]

    def ours(query):
        return run_search(query=query, limit=20, everything_published=True).total

    # warm-up
    for q in ident_queries[:20] + name_queries[:20]:
        ours(q)
    d_id, c_id = timed(ours, ident_queries)
    d_nm, c_nm = timed(ours, name_queries)
    misses = sum(1 for c in c_id if c == 0)
    print(summary("motcua: identifier look-ups", d_id, c_id) + f"  not found={misses}")
    print(summary("motcua: name look-ups", d_nm, c_nm))

    # The naive peer: icontains over the stored spellings (it cannot normalise, so it is given them).
    raw_rng = random.Random(args.seed + 2)
    naive_ident = [
        raw_rng.choice(samples["serials"] + samples["plates"]) for _ in range(args.naive_queries)
    ]
    naive_names = [raw_rng.choice(samples["names"]) for _ in range(args.naive_queries)]

    def naive_name(query):
        # All matches, as a notary needs them (a look-up certificate states the count).
        return Owner.objects.filter(name__icontains=query).count()

    def naive_identifier_count(query):
        return Asset.objects.filter(
            Q(certificate_serial__icontains=query) | Q(plate__icontains=query)
        ).count()

    n_id, nc_id = timed(naive_identifier_count, naive_ident)
    n_nm, nc_nm = timed(naive_name, naive_names)
    print(summary("naive icontains: identifier (count)", n_id, nc_id))
    print(summary("naive icontains: name (count)", n_nm, nc_nm))
    print(
        f"ratio p95 naive/motcua: identifier {percentile(n_id, 95) / percentile(d_id, 95):,.0f}x, "
        f"name {percentile(n_nm, 95) / percentile(d_nm, 95):,.0f}x"
    )
    print(
        "note: the naive scan misses every re-typed identifier and every name typed without "
        "diacritics; it is timed on the stored spelling only."
    )
    if not args.keep:
        connection.close()
        if args.db == "postgres":
            import psycopg

            base, _, name = args.pg_url.rpartition("/")
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        for child in workdir.iterdir():
            child.unlink()
        workdir.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
