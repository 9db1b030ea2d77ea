"""Benchmark of the one look-up over blocks AND notarized transactions at scale, beside a naive scan.

Run from the repository root:

    .venv/bin/python bench/notary_bench.py --db postgres [--transactions 1000000] [--blocks 200000]

1. blocks: a legacy CSV of `--blocks` rows through `motcua blocking import`'s code path (as
   `blocking_bench.py`);
2. transactions: `--transactions` contracts (sale, gift, exchange, mortgage, lease, …) on a pool of
   assets shared between contracts (so that warnings fire), two parties each, written as CSV files
   of `--chunk` rows and loaded with `motcua notary import-transactions`'s code path — the import
   rate is measured on the way;
3. one more file of `--import-rows` rows into the loaded database (the rate when tables are big);
4. look-ups through `run_search` + `outcome_results` (blocks, transactions and warnings, as the
   page / API / command compute them): identifiers re-typed ("ab123456", "AB-123 456") and names
   (without diacritics, upper case, given name alone, "surname middle"), p50 / p95 / max;
5. the naive peer in the same run: `icontains` over the transactions' tables (stored spelling:
   it cannot normalise), counting all matches; the ratio of p95s.

A scratch database is used and dropped: PostgreSQL `motcua_bench_notary` on
postgres://postgres@127.0.0.1:5432 (override with --pg-url), or SQLite in a temporary file.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from blocking_bench import (  # noqa: E402
    SERIES,
    STREETS,
    WARDS,
    generate_csv,
    make_name,
    percentile,
    retype_identifier,
    retype_name,
    summary,
    timed,
)

KINDS = [("sale", 45), ("gift", 10), ("exchange", 5), ("mortgage", 20), ("lease", 5),
         ("authorisation", 8), ("inheritance", 4), ("other", 3)]  # fmt: skip
ROLES = {"sale": ("transferor", "transferee"), "gift": ("transferor", "transferee"),
         "exchange": ("transferor", "transferee"), "mortgage": ("mortgagor", "mortgagee"),
         "lease": ("lessor", "lessee"), "authorisation": ("principal", "agent"),
         "inheritance": ("heir", "heir"), "other": ("other", "other")}  # fmt: skip
BATCH = 20_000


def cccd(rng: random.Random) -> str:
    return f"046{rng.randint(0, 1)}{rng.randint(40, 99):02d}{rng.randint(0, 999999):06d}"


def asset_of(number: int, rng: random.Random) -> dict:
    """The pool's asset `number` (deterministic): 70 % land with a serial, 30 % vehicles."""
    if number % 10 < 7:
        return {
            "asset_type": "land",
            "certificate_serial": f"{SERIES[number % len(SERIES)]} {number:07d}",
            "parcel_number": str(number % 900 + 1),
            "map_sheet": str(number % 80 + 1),
            "address": f"{number % 300 + 1} {STREETS[number % len(STREETS)]}, "
            f"phường {WARDS[number % len(WARDS)]}, Huế",
        }
    return {
        "asset_type": "vehicle",
        "plate": f"75{'ABCDEFGH'[number % 8]}{number % 9 + 1}-{number % 1000:03d}.{number // 1000 % 100:02d}",
        "frame_number": f"RL{number:09d}",
        "engine_number": f"E{number:08d}",
    }


def write_transactions_csv(
    path: Path, start: int, rows: int, pool: int, offices: list, rng: random.Random, samples: dict
) -> None:
    """Contracts `start`..`start+rows` on a pool of `pool` assets (so that assets recur and warn)."""
    from motcua.notary.importer import COLUMNS

    kinds = [k for k, w in KINDS for _ in range(w)]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for i in range(start, start + rows):
            kind = rng.choice(kinds)
            asset = asset_of(rng.randrange(pool), rng)
            parties = []
            for role in ROLES[kind]:
                name = make_name(rng)
                parties.append(f"{role}|{name}|{cccd(rng)}")
                if len(samples["names"]) < 5000 and rng.random() < 0.01:
                    samples["names"].append(name)
            ident = asset.get("certificate_serial") or asset.get("plate")
            if len(samples["tx_idents"]) < 5000 and rng.random() < 0.01:
                samples["tx_idents"].append(ident)
            writer.writerow(
                {
                    "contract_no": f"{i + 1}/{2015 + i % 11}/CC-SCC/HĐGD",
                    "contract_date": f"{2015 + i % 11}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    "notary_org": offices[i % len(offices)].code,
                    "notary_name": make_name(rng),
                    "kind": kind,
                    "parties": ";".join(parties),
                    "cancels": "",
                    **{k: v for k, v in asset.items() if k in COLUMNS},
                }
            )


def write_import_csv(path: Path, rows: int, offset: int, offices: list, seed: int) -> None:
    from motcua.notary.importer import COLUMNS

    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for i in range(rows):
            kind = rng.choice(["sale", "mortgage", "gift", "lease"])
            asset = asset_of(rng.randrange(10**6), rng)
            roles = ROLES[kind]
            writer.writerow(
                {
                    "contract_no": f"IMP-{offset + i}/2026",
                    "contract_date": "2026-01-15",
                    "notary_org": offices[i % len(offices)].code,
                    "notary_name": make_name(rng),
                    "kind": kind,
                    "parties": ";".join(f"{r}|{make_name(rng)}|{cccd(rng)}" for r in roles),
                    "cancels": "",
                    **{k: v for k, v in asset.items() if k in COLUMNS},
                }
            )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--transactions", type=int, default=1_000_000)
    parser.add_argument("--blocks", type=int, default=200_000)
    parser.add_argument("--import-rows", type=int, default=5_000)
    parser.add_argument("--chunk", type=int, default=100_000, help="contracts per import file")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--naive-queries", type=int, default=20)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument(
        "--pg-url", default="postgres://postgres@127.0.0.1:5432/motcua_bench_notary"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="motcua-notary-bench-"))
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
    from motcua.blocking.models import SearchKey
    from motcua.blocking.search import outcome_results, run_search
    from motcua.notary.importer import import_transactions
    from motcua.notary.models import TxAsset, TxKey, TxParty
    from motcua.orgs.models import Unit

    print(
        f"# notarization database benchmark — {args.db}, {args.blocks:,} blocks, "
        f"{args.transactions:,} transactions, seed {args.seed}"
    )
    call_command("migrate", verbosity=0)
    unit = Unit.objects.create(code="000.00.12.H57", name="Sở Tư pháp", short_name="STP")
    from decimal import Decimal

    from motcua.procedures.models import Procedure

    # The blocking procedure gives the service time the block import needs (DOMAIN §11).
    Procedure.objects.create(
        code="DEMO-NC-01",
        name="Tiếp nhận, cập nhật, giải tỏa thông tin ngăn chặn",
        unit=unit,
        time_value=Decimal(16),
        time_unit="working_hours",
        online_level="none",
    )
    offices = [
        Unit.objects.create(
            code=f"000.00.{50 + k}.H57",
            name=f"Văn phòng công chứng số {k + 1}",
            kind="notary_office",
        )
        for k in range(20)
    ]
    samples: dict = {"names": [], "tx_idents": []}

    t0 = time.perf_counter()
    csv_path = workdir / "blocks.csv"
    block_samples = generate_csv(csv_path, args.blocks, args.seed)
    result = import_csv(csv_path, unit=unit)
    print(
        f"blocks: {result.requests_created:,} requests, {SearchKey.objects.count():,} search rows "
        f"({time.perf_counter() - t0:.1f} s incl. CSV generation)"
    )
    # The transactions through the product's import command, in files of --chunk contracts.
    rng = random.Random(args.seed)
    pool = max(1, int(args.transactions * 0.6))
    imported = seconds = 0.0
    start = 0
    while start < args.transactions:
        rows = min(args.chunk, args.transactions - start)
        chunk = workdir / "transactions.csv"
        write_transactions_csv(chunk, start, rows, pool, offices, rng, samples)
        t0 = time.perf_counter()
        result_tx = import_transactions(str(chunk))
        seconds += time.perf_counter() - t0
        imported += result_tx.created
        start += rows
        print(
            f"  … {start:,} contracts imported ({imported / seconds:,.0f} rows/s so far)",
            flush=True,
        )
    print(
        f"motcua notary import-transactions: {int(imported):,} contracts in {args.transactions // args.chunk or 1} "
        f"files, {TxKey.objects.count():,} search rows: {seconds:.1f} s "
        f"({imported / seconds:,.0f} rows/s; 1,000,000 rows ≈ {1_000_000 / (imported / seconds) / 60:.1f} min)"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    # A small file into the full database: the rate when the tables are already large.
    imp = workdir / "import.csv"
    write_import_csv(imp, args.import_rows, args.transactions, offices, args.seed + 3)
    t0 = time.perf_counter()
    summary_ = import_transactions(str(imp))
    elapsed = time.perf_counter() - t0
    print(
        f"one more file of {summary_.rows:,} rows into the loaded database: {elapsed:.1f} s "
        f"({summary_.rows / elapsed:,.0f} rows/s)"
    )

    rng = random.Random(args.seed + 1)
    idents = samples["tx_idents"] + block_samples["serials"] + block_samples["plates"]
    ident_queries = [retype_identifier(rng.choice(idents), rng) for _ in range(args.queries)]
    names = samples["names"] + block_samples["names"]
    name_queries = [retype_name(rng.choice(names), rng) for _ in range(args.queries)]

    def ours(query):
        outcome = run_search(query=query, limit=20, everything_published=True)
        results, warnings = outcome_results(outcome)
        return outcome.count

    for q in ident_queries[:20] + name_queries[:20]:
        ours(q)
    d_id, c_id = timed(ours, ident_queries)
    d_nm, c_nm = timed(ours, name_queries)
    misses = sum(1 for c in c_id if c == 0)
    print(summary("motcua: identifier look-ups", d_id, c_id) + f"  not found={misses}")
    print(summary("motcua: name look-ups", d_nm, c_nm))

    raw = random.Random(args.seed + 2)
    naive_ident = [raw.choice(samples["tx_idents"]) for _ in range(args.naive_queries)]
    naive_names = [raw.choice(samples["names"]) for _ in range(args.naive_queries)]

    def naive_identifier(query):
        return TxAsset.objects.filter(
            Q(certificate_serial__icontains=query) | Q(plate__icontains=query)
        ).count()

    def naive_name(query):
        return TxParty.objects.filter(name__icontains=query).count()

    n_id, nc_id = timed(naive_identifier, naive_ident)
    n_nm, nc_nm = timed(naive_name, naive_names)
    print(summary("naive icontains: identifier (count)", n_id, nc_id))
    print(summary("naive icontains: name (count)", n_nm, nc_nm))
    print(
        f"ratio p95 naive/motcua: identifier {percentile(n_id, 95) / percentile(d_id, 95):,.0f}x, "
        f"name {percentile(n_nm, 95) / percentile(d_nm, 95):,.0f}x"
    )
    print(
        f"search rows: blocks {SearchKey.objects.count():,}, transactions {TxKey.objects.count():,}"
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
