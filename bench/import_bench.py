"""Dossier import benchmark: rows/s and peak memory of `motcua import-dossiers`, against a peer.

    # the command as a user runs it, beside another version's command (a git worktree):
    git worktree add /tmp/peer <commit>
    nice .venv/bin/python bench/import_bench.py --rows 100000 500000 --peer-checkout /tmp/peer

    # only the import function, in-process, beside another version of importer.py:
    nice .venv/bin/python bench/import_bench.py --via process --peer FILE

Each measurement runs in its own process (peak RSS is per process: `ru_maxrss`), on a fresh
copy of a migrated template database holding the 5 units and 20 procedures of
`dossiers_bench.py`. The CSV (new codes, the generator of `dossiers_bench.py`) is written once
per size.

`--via command` (default) times `python -m motcua import-dossiers FILE --format json` from
start to exit, with production settings (`MOTCUA_DEBUG=0`): start-up, checks, the import and
the output. The peer is another checkout's command (`--peer-checkout DIR`, its code first on
`PYTHONPATH`), on a template migrated by its own migrations.

`--via process` times `import_dossiers()` inside a process already set up; `--peer FILE` is
another version of `motcua/dossiers/importer.py` (e.g. `git show
<commit>:motcua/dossiers/importer.py > /tmp/peer.py`), loaded as a module of the same package.

Both are measured in the same run, alternating, so the ratio holds on a shared machine.
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

ROOT = Path(__file__).resolve().parent.parent
#: The code measured: this checkout, or a peer's (`--peer-checkout`, through this variable).
CODE = Path(os.environ.get("MOTCUA_BENCH_CODE") or ROOT)
sys.path.insert(0, str(CODE))
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
    tpl = args.tpl or f"{args.prefix}_tpl"
    _admin(f'DROP DATABASE IF EXISTS "{tpl}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{tpl}"')
    _setup(PG + tpl)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    from dossiers_bench import catalogue, write_legacy_csv

    _units, procedures, _leader = catalogue()
    connection.close()
    if args.tpl:  # a peer's template: the files are written with this checkout's
        return
    for n in args.rows:
        write_legacy_csv(Path(f"/tmp/{args.prefix}_{n}.csv"), n, None, procedures)


def measure(args) -> None:
    """One import in this process: prints 'rows seconds rows/s peak_MB created'."""
    db = _fresh_database(args.prefix, f"{args.prefix}_tpl")
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


def _fresh_database(prefix: str, tpl: str) -> str:
    db = f"{prefix}_run_{os.getpid()}_{time.monotonic_ns()}"
    for attempt in range(20):  # the template may still be held by the closing prepare step
        try:
            _admin(f'CREATE DATABASE "{db}" TEMPLATE "{tpl}"')
            return db
        except Exception:
            if attempt == 19:
                raise
            time.sleep(1)
    raise AssertionError("unreachable")


def run_command(code: Path, tpl: str, path: Path, prefix: str) -> tuple[float, float, int]:
    """`python -m motcua import-dossiers` of `code` on a fresh copy of `tpl`: seconds from start
    to exit, the process's peak RSS (MB) and the dossiers it reports created."""
    import json

    db = _fresh_database(prefix, tpl)
    env = os.environ | {
        "DATABASE_URL": PG + db,
        "PYTHONPATH": str(code),
        "MOTCUA_DEBUG": "0",
        "MOTCUA_SECRET_KEY_FILE": os.environ.get(
            "MOTCUA_SECRET_KEY_FILE", "/tmp/motcua_bench.secret"
        ),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    t0 = time.perf_counter()
    process = subprocess.Popen(  # nosec B603  # our own interpreter and arguments
        [sys.executable, "-m", "motcua", "import-dossiers", str(path), "--format", "json"],
        env=env,
        cwd=str(code),
        stdout=subprocess.PIPE,
        text=True,
    )
    out = process.stdout.read()  # type: ignore[union-attr]
    _pid, status, usage = os.wait4(process.pid, 0)  # this child's own peak RSS
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    assert process.returncode == 0, out
    _admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    return seconds, usage.ru_maxrss / 1024, json.loads(out)["created"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 500_000])
    parser.add_argument(
        "--via",
        choices=["command", "process"],
        help="the command as a user runs it (the default), or the function in a process (the "
        "default with --peer FILE)",
    )
    parser.add_argument("--peer-checkout", help="another checkout whose command is the peer")
    parser.add_argument("--peer", help="(--via process) another importer.py beside this one")
    parser.add_argument("--prefix", default="h17c_importbench")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tpl", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.via = args.via or ("process" if args.peer else "command")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if args.measure:
        measure(args)
        return 0
    if args.prepare:
        prepare(args)
        return 0
    # In its own process: its connections (and a pool's) end with it, freeing the template.
    prepare_cmd = [sys.executable, __file__, "--prepare", "--prefix", args.prefix, "--rows"]
    subprocess.run([*prepare_cmd, *map(str, args.rows)], check=True)  # nosec B603
    peer_tpl = f"{args.prefix}_peer_tpl"
    if args.via == "command" and args.peer_checkout:
        subprocess.run(  # nosec B603  # the peer's migrations make its template
            [*prepare_cmd, *map(str, args.rows), "--tpl", peer_tpl],
            check=True,
            env=os.environ | {"MOTCUA_BENCH_CODE": str(Path(args.peer_checkout).resolve())},
        )
    print(f"via {args.via}")
    print("rows | importer | seconds | rows/s | peak RSS MB (process) | growth during import MB")
    for n in args.rows:
        for _ in range(args.repeat):
            if args.via == "command":
                _measure_commands(args, n, peer_tpl)
            else:
                _measure_processes(args, n)
    _admin_drop_runs(args.prefix)
    if args.via == "command" and args.peer_checkout:
        _admin(f'DROP DATABASE IF EXISTS "{peer_tpl}" WITH (FORCE)')
    return 0


def _measure_commands(args, n: int, peer_tpl: str) -> None:
    path = Path(f"/tmp/{args.prefix}_{n}.csv")
    runs = [("this", ROOT, f"{args.prefix}_tpl")]
    if args.peer_checkout:
        runs.append(("peer", Path(args.peer_checkout).resolve(), peer_tpl))
    for label, code, tpl in runs:
        seconds, peak, created = run_command(code, tpl, path, args.prefix)
        assert created == n, created
        print(f"{n:,} | {label} | {seconds:.2f} | {n / seconds:,.0f} | {peak:.0f} | –", flush=True)


def _measure_processes(args, n: int) -> None:
    for label, extra in (("this", []), ("peer", ["--peer", args.peer] if args.peer else None)):
        if extra is None:
            continue
        out = subprocess.run(  # nosec B603
            [sys.executable, __file__, "--measure", "--rows", str(n), "--prefix", args.prefix]
            + extra,
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        ).stdout.split()
        rows, secs, rate, peak, growth, created = out[-6:]
        assert int(created) == n, out
        print(f"{int(rows):,} | {label} | {secs} | {int(rate):,} | {peak} | {growth}", flush=True)


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
