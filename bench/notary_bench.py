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

`--fast-load` (PostgreSQL) fills the tables by INSERT … SELECT instead (`notary_sqlgen.py`: the
issue's 1,000,000 blocks + 5,000,000 transactions in a working session; `--load-until HH:MM` stops
adding chunks of a million); `--keep` keeps the database and `--reuse` measures it again. Each run
also prints the SQL queries per look-up, the database time of a look-up (its SQL replayed under
EXPLAIN ANALYZE, `--server-queries`), the API's timing (`--api-queries`, Django's test client as a
notary) and, with `--explain QUERY`, every plan of one look-up.

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


def _setup_database(args, workdir: Path) -> None:
    if args.db == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        os.environ["DATABASE_URL"] = args.pg_url
        if not args.reuse:
            import psycopg

            base, _, name = args.pg_url.rpartition("/")
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.setdefault("MOTCUA_SECRET_KEY_FILE", str(workdir / "secret"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    os.environ.setdefault("MOTCUA_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _reference_data():
    """The registry's unit, its blocking procedure and 20 notary organisations."""
    from decimal import Decimal

    from motcua.orgs.models import Unit
    from motcua.procedures.models import Procedure

    unit = Unit.objects.create(code="000.00.12.H57", name="Sở Tư pháp", short_name="STP")
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
    return unit, offices


def _load_with_imports(args, workdir, unit, offices, samples) -> dict:
    """Blocks and transactions through the product's own imports (rates measured)."""
    from motcua.blocking.importer import import_csv
    from motcua.blocking.models import SearchKey
    from motcua.notary.importer import import_transactions
    from motcua.notary.models import TxKey

    t0 = time.perf_counter()
    csv_path = workdir / "blocks.csv"
    block_samples = generate_csv(csv_path, args.blocks, args.seed)
    result = import_csv(csv_path, unit=unit)
    print(
        f"blocks: {result.requests_created:,} requests, {SearchKey.objects.count():,} search rows "
        f"({time.perf_counter() - t0:.1f} s incl. CSV generation)"
    )
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
        f"motcua notary import-transactions: {int(imported):,} contracts in "
        f"{args.transactions // args.chunk or 1} files, {TxKey.objects.count():,} search rows: "
        f"{seconds:.1f} s ({imported / seconds:,.0f} rows/s; 1,000,000 rows ≈ "
        f"{1_000_000 / (imported / seconds) / 60:.1f} min)"
    )
    return block_samples


def _fast_load(args, workdir, unit, offices) -> None:
    """PostgreSQL: blocks and transactions by INSERT … SELECT (`notary_sqlgen`), cloned from
    template rows the product's imports wrote."""
    from blocking_bench import generate_csv as blocks_csv
    from notary_sqlgen import check_keys, load_blocks, load_transactions

    from motcua.blocking.importer import import_csv
    from motcua.blocking.models import BlockingRequest
    from motcua.notary.importer import import_transactions
    from motcua.notary.models import Transaction

    blocks_csv(workdir / "template.csv", 1, args.seed)
    import_csv(workdir / "template.csv", unit=unit)
    write_transactions_csv(
        workdir / "template_tx.csv",
        0,
        1,
        1,
        offices,
        random.Random(1),
        {"names": [], "tx_idents": []},
    )
    import_transactions(str(workdir / "template_tx.csv"))
    t0 = time.perf_counter()
    print(f"fast load: {args.blocks:,} blocks", flush=True)
    load_blocks(args.blocks, BlockingRequest.objects.order_by("id")[0].pk)
    print(f"fast load: {args.transactions:,} transactions", flush=True)
    stop_at = None
    if args.load_until:
        import datetime as dt

        hour, minute = (int(x) for x in args.load_until.split(":"))
        now = dt.datetime.now(dt.UTC)
        stop_at = now.replace(hour=hour, minute=minute, second=0).timestamp()
    loaded = load_transactions(
        args.transactions,
        Transaction.objects.order_by("id")[0].pk,
        [o.pk for o in offices],
        stop_at=stop_at,
    )
    if loaded < args.transactions:
        print(f"fast load stopped at --load-until: {loaded:,} transactions", flush=True)
    print(f"fast load done in {time.perf_counter() - t0:.0f} s", flush=True)
    bad = check_keys()
    print(f"generated search rows checked against the product's key builders: {bad} differences")


def _samples_from_database(limit: int = 3000) -> tuple[dict, dict]:
    """Stored spellings to look up, drawn from the loaded tables (1 % of their pages)."""
    from django.db import connection

    def sample(columns: str, table: str) -> list[tuple]:
        with connection.cursor() as cursor:
            for how in ("TABLESAMPLE SYSTEM (1)", "ORDER BY random()"):
                sql = f"SELECT {columns} FROM {table} {how} LIMIT {limit}"  # nosec B608
                if how.startswith("ORDER"):
                    sql = f"SELECT {columns} FROM {table} ORDER BY random() LIMIT {limit}"  # nosec B608
                cursor.execute(sql)
                rows = cursor.fetchall()
                if len(rows) >= 100:
                    break
        return rows

    tx_idents = [
        r[0] for r in sample("COALESCE(NULLIF(certificate_serial, ''), plate)", "notary_txasset")
    ]
    rows = sample("certificate_serial, plate", "blocking_asset")
    return (
        {
            "tx_idents": [i for i in tx_idents if i],
            "names": [r[0] for r in sample("name", "notary_txparty")],
        },
        {
            "serials": [s for s, _p in rows if s],
            "plates": [p for _s, p in rows if p],
            "names": [r[0] for r in sample("name", "blocking_owner")],
        },
    )


def _api_client():
    """A notary of one organisation, logged in with Django's test client (the page's session)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    from motcua.orgs.models import Membership, Unit

    setup_test_environment()
    user, _created = get_user_model().objects.get_or_create(username="bench_notary")
    office = Unit.objects.filter(kind="notary_office").order_by("id")[0]
    Membership.objects.get_or_create(user=user, unit=office, role="notary")
    client = Client()
    client.force_login(user)
    return client


def explain(query: str) -> None:
    """The SQL one look-up issues (through `run_search` + `outcome_results`), each with its plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.blocking.search import outcome_results, run_search

    with CaptureQueriesContext(connection) as ctx:
        outcome_results(run_search(query=query, limit=20, everything_published=True))
    print(f"## EXPLAIN of the {len(ctx.captured_queries)} queries of the look-up {query!r}")
    with connection.cursor() as cursor:
        for captured in ctx.captured_queries:
            sql = captured["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [r[0] for r in cursor.fetchall()]
            print("--", sql[:240] + ("…" if len(sql) > 240 else ""))
            print("\n".join("   " + line for line in plan))


def server_ms(query: str) -> float:
    """The database's own time for one look-up: the SQL it issues, replayed under EXPLAIN
    (ANALYZE), planning + execution summed (no client round trips, no waiting for a core)."""
    import json as json_

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.blocking.search import outcome_results, run_search

    with CaptureQueriesContext(connection) as ctx:
        outcome_results(run_search(query=query, limit=20, everything_published=True))
    total = 0.0
    with connection.cursor() as cursor:
        for captured in ctx.captured_queries:
            if captured["sql"].lstrip().upper().startswith("SELECT"):
                cursor.execute("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + captured["sql"])
                plan = cursor.fetchone()[0]
                plan = plan if isinstance(plan, list) else json_.loads(plan)
                total += plan[0]["Planning Time"] + plan[0]["Execution Time"]
    return total


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
    parser.add_argument("--api-queries", type=int, default=100)
    parser.add_argument("--naive-queries", type=int, default=20)
    parser.add_argument(
        "--server-queries", type=int, default=100, help="look-ups replayed under EXPLAIN ANALYZE"
    )
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument(
        "--pg-url", default="postgres://postgres@127.0.0.1:5432/motcua_bench_notary"
    )
    parser.add_argument(
        "--fast-load",
        action="store_true",
        help="PostgreSQL: fill the tables with INSERT … SELECT (notary_sqlgen.py) instead of the "
        "imports; the import rate is then measured with --import-rows into the loaded database",
    )
    parser.add_argument(
        "--load-until",
        metavar="HH:MM",
        help="--fast-load: add no chunk of 1,000,000 transactions after this time (UTC)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure a database kept by an earlier --keep run"
    )
    parser.add_argument(
        "--explain",
        action="append",
        default=[],
        metavar="QUERY",
        help="PostgreSQL: print EXPLAIN (ANALYZE, BUFFERS) of every SQL the look-up QUERY issues",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    if args.fast_load and args.db != "postgres":
        parser.error("--fast-load needs --db postgres")

    workdir = Path(tempfile.mkdtemp(prefix="motcua-notary-bench-"))
    _setup_database(args, workdir)
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.db.models import Q

    from motcua.blocking.models import SearchKey
    from motcua.blocking.search import outcome_results, run_search
    from motcua.notary.importer import import_transactions
    from motcua.notary.models import TxAsset, TxKey, TxParty
    from motcua.orgs.models import Unit

    if args.reuse:  # the sizes are those of the kept database (counted below), not the flags
        print(f"# notarization database benchmark — {args.db}, reused database, seed {args.seed}")
    else:
        print(
            f"# notarization database benchmark — {args.db}, {args.blocks:,} blocks, "
            f"{args.transactions:,} transactions, seed {args.seed}"
            + (" (fast load)" if args.fast_load else "")
        )
    samples: dict = {"names": [], "tx_idents": []}
    block_samples: dict = {}
    if args.reuse:
        offices = list(Unit.objects.filter(kind="notary_office").order_by("id"))
    else:
        call_command("migrate", verbosity=0)
        unit, offices = _reference_data()
        if args.fast_load:
            _fast_load(args, workdir, unit, offices)
        else:
            block_samples = _load_with_imports(args, workdir, unit, offices, samples)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if args.db == "postgres" else "ANALYZE")
    if args.db == "postgres" and (args.fast_load or args.reuse):
        samples, block_samples = _samples_from_database()
    print(
        f"search rows: blocks {SearchKey.objects.count():,}, transactions {TxKey.objects.count():,}",
        flush=True,
    )

    # A file into the full database: the import rate when the tables are already large.
    if args.import_rows:
        imp = workdir / "import.csv"
        offset = TxKey.objects.order_by("-id").values_list("id", flat=True).first() or 0
        write_import_csv(imp, args.import_rows, offset, offices, args.seed + 3)
        t0 = time.perf_counter()
        summary_ = import_transactions(str(imp))
        elapsed = time.perf_counter() - t0
        print(
            f"motcua notary import-transactions, {summary_.rows:,} rows into the loaded database: "
            f"{elapsed:.1f} s ({summary_.rows / elapsed:,.0f} rows/s)",
            flush=True,
        )

    for query in args.explain:
        explain(query)

    rng = random.Random(args.seed + 1)
    idents = samples["tx_idents"] + block_samples["serials"] + block_samples["plates"]
    ident_queries = [retype_identifier(rng.choice(idents), rng) for _ in range(args.queries)]
    names = samples["names"] + block_samples["names"]
    name_queries = [retype_name(rng.choice(names), rng) for _ in range(args.queries)]
    connection.force_debug_cursor = True
    query_counts: list[int] = []

    cpu_ms: dict[str, list[float]] = {"ident": [], "name": []}
    sql_ms: dict[str, list[float]] = {"ident": [], "name": []}
    kind = ["ident"]

    def ours(query):
        reset_queries()
        cpu = time.process_time()
        outcome = run_search(query=query, limit=20, everything_published=True)
        results, warnings = outcome_results(outcome)
        cpu_ms[kind[0]].append((time.process_time() - cpu) * 1000)
        query_counts.append(len(connection.queries))
        sql_ms[kind[0]].append(sum(float(q["time"]) for q in connection.queries) * 1000)
        return outcome.count

    for q in ident_queries[:20] + name_queries[:20]:
        ours(q)
    query_counts.clear()
    for values in (*cpu_ms.values(), *sql_ms.values()):
        values.clear()
    load_before = os.getloadavg()[0]
    d_id, c_id = timed(ours, ident_queries)
    kind[0] = "name"
    d_nm, c_nm = timed(ours, name_queries)
    load_after = os.getloadavg()[0]
    connection.force_debug_cursor = False
    misses = sum(1 for c in c_id if c == 0)
    print(summary("motcua: identifier look-ups", d_id, c_id) + f"  not found={misses}")
    print(summary("motcua: name look-ups", d_nm, c_nm))
    print(f"SQL queries per look-up: {min(query_counts)}–{max(query_counts)}")
    for label, key in (("identifier", "ident"), ("name", "name")):
        print(
            f"  {label}: p95 of the time inside the SQL calls {percentile(sql_ms[key], 95):.1f} ms, "
            f"p95 of the Python CPU time {percentile(cpu_ms[key], 95):.1f} ms"
        )
    print(f"load average (1 min) before / after the look-ups: {load_before:.1f} / {load_after:.1f}")
    slowest = sorted(zip(d_nm + d_id, name_queries + ident_queries, strict=True), reverse=True)[:5]
    print("slowest look-ups: " + ", ".join(f"{q!r} {d:.0f} ms" for d, q in slowest))

    if args.db == "postgres" and args.server_queries:
        s_id = [server_ms(q) for q in ident_queries[: args.server_queries]]
        s_nm = [server_ms(q) for q in name_queries[: args.server_queries]]
        print(
            f"database time per look-up (EXPLAIN ANALYZE, planning + execution, n={len(s_id)}): "
            f"identifiers p50 {percentile(s_id, 50):.2f} ms p95 {percentile(s_id, 95):.2f} ms "
            f"max {max(s_id):.2f} ms; names p50 {percentile(s_nm, 50):.2f} ms "
            f"p95 {percentile(s_nm, 95):.2f} ms max {max(s_nm):.2f} ms"
        )

    if args.api_queries:
        client = _api_client()

        def api(query):
            response = client.get("/api/v1/blocking/search", {"q": query, "limit": 20})
            assert response.status_code == 200, response.content[:200]  # nosec B101
            return response.json()["result_count"]

        for q in ident_queries[-5:] + name_queries[-5:]:
            api(q)  # warm-up: the first requests load the URL map, the API schema, translations
        d_ai, c_ai = timed(api, ident_queries[: args.api_queries])
        d_an, c_an = timed(api, name_queries[: args.api_queries])
        print(summary("API /api/v1/blocking/search: identifiers", d_ai, c_ai))
        print(summary("API /api/v1/blocking/search: names", d_an, c_an))

    raw = random.Random(args.seed + 2)
    naive_ident = [raw.choice(samples["tx_idents"]) for _ in range(args.naive_queries)]
    naive_names = [raw.choice(samples["names"]) for _ in range(args.naive_queries)]

    def naive_identifier(query):
        return TxAsset.objects.filter(
            Q(certificate_serial__icontains=query) | Q(plate__icontains=query)
        ).count()

    def naive_name(query):
        return TxParty.objects.filter(name__icontains=query).count()

    if args.naive_queries:
        n_id, nc_id = timed(naive_identifier, naive_ident)
        n_nm, nc_nm = timed(naive_name, naive_names)
        print(summary("naive icontains: identifier (count)", n_id, nc_id))
        print(summary("naive icontains: name (count)", n_nm, nc_nm))
        print(
            f"ratio p95 naive/motcua: identifier "
            f"{percentile(n_id, 95) / percentile(d_id, 95):,.0f}x, "
            f"name {percentile(n_nm, 95) / percentile(d_nm, 95):,.0f}x"
        )

    if not (args.keep or args.reuse):
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
