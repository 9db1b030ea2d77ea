"""Dossier import benchmark: rows/s and peak memory of `motcua dossiers import`, against a peer.

    nice .venv/bin/python bench/import_bench.py --rows 100000 500000 [--peer FILE] [--db postgres]

Each measurement runs in its own process (peak RSS is per process: `ru_maxrss`), on a fresh
copy of a migrated template database holding the 5 units and 20 procedures of
`dossiers_bench.py`. The CSV (new codes, the generator of `dossiers_bench.py`) is written once
per size. `--peer FILE` is another version of `motcua/dossiers/importer.py` (e.g. `git show
<commit>:motcua/dossiers/importer.py > /tmp/peer.py`), loaded as a module of the same package and
measured in the same run, so the ratio holds on a shared machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import subprocess  # nosec B404  # the script re-runs itself
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
PG = "postgres://postgres@127.0.0.1:5432/"


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ.setdefault("MOTCUA_SECRET_KEY_FILE", "/tmp/motcua_bench.secret")
    import django

    django.setup()


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        conn.execute(sql)


def prepare(args) -> None:
    """A migrated template database with the catalogue, and one CSV per size."""
    tpl = f"{args.prefix}_tpl"
    _admin(f'DROP DATABASE IF EXISTS "{tpl}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{tpl}"')
    _setup(PG + tpl)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    from dossiers_bench import catalogue, write_legacy_csv

    _units, procedures, _leader = catalogue()
    connection.close()
    for n in args.rows:
        write_legacy_csv(Path(f"/tmp/{args.prefix}_{n}.csv"), n, None, procedures)


def measure(args) -> None:
    """One import in this process: prints 'rows seconds rows/s peak_MB created'."""
    db = f"{args.prefix}_run_{os.getpid()}"
    _admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    for attempt in range(20):  # the template may still be held by the closing prepare step
        try:
            _admin(f'CREATE DATABASE "{db}" TEMPLATE "{args.prefix}_tpl"')
            break
        except Exception:
            if attempt == 19:
                raise
            time.sleep(1)
    _setup(PG + db)
    if args.peer:
        spec = importlib.util.spec_from_file_location("motcua.dossiers.importer_peer", args.peer)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        sys.modules[spec.name] = module  # type: ignore[union-attr]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    else:
        from motcua.dossiers import importer as module
    from django.db import connection

    connection.ensure_connection()
    path = Path(f"/tmp/{args.prefix}_{args.rows[0]}.csv")
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    result = module.import_dossiers(actor=None, source=path)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = args.rows[0]
    print(f"{n} {seconds:.2f} {n / seconds:.0f} {peak:.0f} {peak - base:.0f} {result.created}")
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 500_000])
    parser.add_argument("--peer", help="another importer.py to measure beside this one")
    parser.add_argument("--prefix", default="h17c_importbench")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if args.measure:
        measure(args)
        return 0
    if args.prepare:
        prepare(args)
        return 0
    # In its own process: its connections (and a pool's) end with it, freeing the template.
    subprocess.run(  # nosec B603
        [
            sys.executable,
            __file__,
            "--prepare",
            "--prefix",
            args.prefix,
            "--rows",
            *map(str, args.rows),
        ],
        check=True,
    )
    print("rows | importer | seconds | rows/s | peak RSS MB (process) | growth during import MB")
    for n in args.rows:
        for _ in range(args.repeat):
            for label, extra in (
                ("this", []),
                ("peer", ["--peer", args.peer] if args.peer else None),
            ):
                if extra is None:
                    continue
                out = subprocess.run(  # nosec B603
                    [
                        sys.executable,
                        __file__,
                        "--measure",
                        "--rows",
                        str(n),
                        "--prefix",
                        args.prefix,
                        *extra,
                    ],
                    stdout=subprocess.PIPE,
                    text=True,
                    check=True,
                ).stdout.split()
                rows, secs, rate, peak, growth, created = out[-6:]
                assert int(created) == n, out
                print(
                    f"{int(rows):,} | {label} | {secs} | {int(rate):,} | {peak} | {growth}",
                    flush=True,
                )
    _admin_drop_runs(args.prefix)
    return 0


def _admin_drop_runs(prefix: str) -> None:
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        names = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{prefix}_run_%"]
        ).fetchall()
        for (name,) in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
