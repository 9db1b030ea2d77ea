"""Command start-up: motcua's read-only commands beside a bare Django project's management command,
run as a user runs them, in the same run (issue 17).

    .venv/bin/python bench/startup_bench.py [--pg-url URL] [--runs 7]

Not a test. The peer is a throwaway `django-admin startproject` in a temporary directory with one
app and one command that prints "ok" (default settings, so it runs Django's system checks, which
are cheap there). motcua runs with the production settings against PostgreSQL (the database of
bench/tracking_bench.py, with the demo data; created and migrated if missing). Each command is run
``--runs`` times; the median wall time is reported, with the ratio to the bare command. Target:
within 2×. `motcua check` is shown for scale: the system checks import every view (fpdf,
openpyxl, django-ninja), which is what read-only commands now skip.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess  # nosec B404
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _serve import BIN, ROOT, base_env, make_bare_project  # noqa: E402

HELLO = """
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    def handle(self, *args, **options):
        self.stdout.write("ok")
"""


def timed(argv: list[str], *, cwd: Path, env: dict[str, str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(  # nosec B603
            argv, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


#: Appended to the bare project's settings: PostgreSQL when BARE_PG_URL is set.
BARE_PG = """

import os
from urllib.parse import urlsplit

if os.environ.get("BARE_PG_URL"):
    _url = urlsplit(os.environ["BARE_PG_URL"])
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": _url.path.lstrip("/"),
            "USER": _url.username,
            "HOST": _url.hostname,
            "PORT": _url.port,
        }
    }
"""


def _create_database_if_missing(url: str) -> None:
    """The docstring's promise: a fresh machine has no benchmark database yet."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/motcua_track_bench")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    env = base_env(
        DATABASE_URL=args.pg_url,
        MOTCUA_SECRET_KEY="bench-" + "x" * 50,
        MOTCUA_DEBUG="0",
    )
    _create_database_if_missing(args.pg_url)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env["MOTCUA_STATIC_ROOT"] = str(work / "static")
        subprocess.run(  # nosec B603
            [str(BIN / "motcua"), "migrate", "--verbosity", "0"], env=env, check=True, cwd=work
        )
        project = make_bare_project(work)
        app = project / "hello" / "management" / "commands"
        app.mkdir(parents=True)
        for package in (project / "hello", app.parent, app):
            (package / "__init__.py").write_text("", encoding="utf-8")
        (app / "hello.py").write_text(HELLO, encoding="utf-8")
        settings = project / "bare" / "settings.py"
        text = settings.read_text(encoding="utf-8")
        settings.write_text(
            text.replace("INSTALLED_APPS = [", 'INSTALLED_APPS = [\n    "hello",') + BARE_PG,
            encoding="utf-8",
        )
        py = sys.executable
        # Bytecode as an installation has it (pip compiles a wheel's modules when it installs
        # them); an editable checkout run with PYTHONDONTWRITEBYTECODE=1, as on the CI machine,
        # would otherwise compile motcua's ≈ 300 modules from source on every run (≈ 115 ms).
        for tree in (ROOT / "motcua", project):
            subprocess.run(  # nosec B603
                [py, "-m", "compileall", "-q", str(tree)], check=True, stdout=subprocess.DEVNULL
            )
        bare = timed([py, "manage.py", "hello"], cwd=project, env=base_env(), runs=args.runs)
        # The same bare project on the same PostgreSQL as motcua: like with like (its checks load
        # the backend, and with it psycopg, ≈ 75 ms of motcua's start-up).
        bare_pg = timed(
            [py, "manage.py", "hello"],
            cwd=project,
            env=base_env(BARE_PG_URL=args.pg_url),
            runs=args.runs,
        )
        motcua = str(BIN / "motcua")
        commands = [
            (
                "motcua deadline 2026-03-10T10:00 --days 3",
                ["deadline", "2026-03-10T10:00", "--days", "3"],
            ),
            (
                "motcua report ontime (one month)",
                ["report", "ontime", "--from", "2026-01-01", "--to", "2026-01-31"],
            ),
            ("motcua report index766 --help", ["report", "index766", "--help"]),
            ("motcua blocking search 'Nguyễn'", ["blocking", "search", "Nguyễn"]),
            ("motcua catalogue export", ["catalogue", "export"]),
            ("motcua check (for scale: every view)", ["check"]),
        ]
        rows = []
        for label, argv in commands:
            rows.append((label, timed([motcua, *argv], cwd=ROOT, env=env, runs=args.runs)))

    print(f"median of {args.runs} runs, wall time")
    print(f"{'command':44} {'ms':>7} {'/bare':>6} {'/bare-pg':>8}")
    print(f"{'bare startproject: manage.py hello (SQLite)':44} {bare * 1000:7.0f} {1:6.2f}")
    print(
        f"{'bare startproject, on PostgreSQL':44} {bare_pg * 1000:7.0f} {bare_pg / bare:6.2f} {1:8.2f}"
    )
    for label, seconds in rows:
        print(f"{label:44} {seconds * 1000:7.0f} {seconds / bare:6.2f} {seconds / bare_pg:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
