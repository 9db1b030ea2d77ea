"""National portal (DVCQG) sync benchmark: the outbox's cost on a transition, and sync throughput.

    .venv/bin/python bench/dvcqg_bench.py --db sqlite   [--dossiers 500] [--quick]
    .venv/bin/python bench/dvcqg_bench.py --db postgres [--pg-url URL]

Not a test. It builds a FRESH database (SQLite: /tmp/motcua_dvcqg_bench.sqlite3; PostgreSQL: the
database `motcua_dvcqg_bench`, dropped and recreated), then measures:

1. **Outbox cost of one transition** (`dossier_transition`, action `forward`): the statements it
   runs with the sync off and on (target: exactly one more, an INSERT into the outbox), and the
   median time of a transition each way.
2. **Sync throughput through the real command**: `motcua dvcqg-stub` in its own process, then
   `motcua sync dvcqg --once` in another delivers every queued message (two per dossier:
   reception and forward). Wall time (with start-up) and the rate between the first and the last
   arrival at the stub (the stub stamps each). Peer in the same run: a bare loop of `urllib` POSTs
   of the same messages to a fresh stub from one thread — the ceiling the network and the stub
   allow — measured the same way.

Exit status 1 if a target fails: one extra statement per transition, every message delivered.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SQLITE_PATH = Path("/tmp/motcua_dvcqg_bench.sqlite3")
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/motcua_dvcqg_bench"


def fresh_database(args: argparse.Namespace) -> str:
    """Point Django at a new, empty database; return its URL for the child processes."""
    if args.db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{SQLITE_PATH}"
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
    return url


def catalogue():
    """Unit A, a 3-working-day procedure with four steps, an intake clerk and a specialist."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from motcua.orgs.models import Membership, Unit
    from motcua.procedures.models import Procedure, ProcedureStep

    unit = Unit.objects.create(code="000.00.12.H57", name="Sở Tư pháp", short_name="STP")
    procedure = Procedure.objects.create(
        code="BENCH-01",
        name="Thủ tục đo",
        unit=unit,
        time_value=Decimal(3),
        time_unit="working_days",
    )
    for order, role in enumerate(["intake_clerk", "specialist", "leader", "intake_clerk"], 1):
        ProcedureStep.objects.create(
            procedure=procedure, order=order, name=f"B{order}", role=role, budget_hours=4
        )
    users = {}
    for name, role in (("clerk", "intake_clerk"), ("specialist", "specialist")):
        users[name] = get_user_model().objects.create_user(name, password=None)
        Membership.objects.create(user=users[name], unit=unit, role=role)
    return procedure, users


def receive(procedure, users, name: str):
    from motcua.dossiers.services import Applicant, DocumentLine, dossier_receive

    dossier = dossier_receive(
        actor=users["clerk"],
        procedure=procedure,
        applicant=Applicant(name=name),
        documents=[DocumentLine("Tờ khai", "original"), DocumentLine("CCCD", "copy")],
    )
    return dossier


def forward(users, dossier_id: int) -> None:
    from motcua.dossiers.services import dossier_transition

    dossier_transition(
        actor=users["clerk"], dossier_id=dossier_id, action="forward", assignee=users["specialist"]
    )


def outbox_cost(procedure, users, rounds: int) -> dict:
    """Statements and median time of one `forward`, sync off and on."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out: dict = {}
    for label, url in (("off", ""), ("on", "http://127.0.0.1:9/unused")):
        settings.MOTCUA_DVCQG_URL = url
        times, statements = [], []
        for i in range(rounds):
            settings.MOTCUA_DVCQG_URL = ""
            dossier = receive(procedure, users, f"Đo {label} {i}")
            settings.MOTCUA_DVCQG_URL = url
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                forward(users, dossier.pk)
                times.append(time.perf_counter() - start)
            statements = [q["sql"] for q in queries.captured_queries]
        out[label] = {"statements": len(statements), "median_ms": statistics.median(times) * 1000}
        out[f"{label}_sql"] = statements
    settings.MOTCUA_DVCQG_URL = ""
    return out


def start_stub(data: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "motcua",
            "dvcqg-stub",
            "--bind",
            "127.0.0.1:0",
            "--data",
            str(data),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline() if proc.stdout else ""
    return proc, "http://" + line.split("http://", 1)[1].split("/", 1)[0]


def run_command(env: dict[str, str]) -> tuple[float, dict]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "motcua", "sync", "dvcqg", "--once", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - start, json.loads(proc.stdout)


def arrival_rate(data: Path) -> tuple[int, float]:
    """(deliveries, per second) between the stub's first and last arrival: no start-up in it."""
    from datetime import datetime

    times = [
        datetime.fromisoformat(json.loads(line)["at"])
        for line in (data / "messages.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    window = (max(times) - min(times)).total_seconds()
    return len(times), (len(times) - 1) / window if window > 0 else float("inf")


def peer_loop(url: str, bodies: list[bytes]) -> float:
    """A bare loop of urllib POSTs: the ceiling of one sequential client against the stub."""
    start = time.perf_counter()
    for body in bodies:
        request = urllib.request.Request(
            url + "/dossiers",
            data=body,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            response.read()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    parser.add_argument("--dossiers", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--quick", action="store_true", help="100 dossiers, 20 rounds")
    args = parser.parse_args()
    if args.quick:
        args.dossiers, args.rounds = 100, 20
    db_url = fresh_database(args)
    from django.conf import settings

    from motcua.integrations.dvcqg.models import OutboxMessage

    procedure, users = catalogue()
    failures = []

    print(f"== outbox cost of one transition ({args.db}, {args.rounds} rounds each)")
    cost = outbox_cost(procedure, users, args.rounds)
    extra = [s for s in cost["on_sql"] if "dvcqg_outboxmessage" in s]
    print(
        f"statements: sync off {cost['off']['statements']}, on {cost['on']['statements']} "
        f"(extra: {[s.split('(')[0].strip() for s in extra]})"
    )
    print(
        f"median time: off {cost['off']['median_ms']:.2f} ms, on {cost['on']['median_ms']:.2f} ms "
        f"(+{cost['on']['median_ms'] - cost['off']['median_ms']:.2f} ms)"
    )
    if cost["on"]["statements"] != cost["off"]["statements"] + 1 or len(extra) != 1:
        failures.append("the outbox costs more than one statement")

    with tempfile.TemporaryDirectory() as tmp:
        stub, stub_url = start_stub(Path(tmp) / "stub")
        try:
            OutboxMessage.objects.all().delete()
            settings.MOTCUA_DVCQG_URL = stub_url
            t0 = time.perf_counter()
            for i in range(args.dossiers):
                dossier = receive(procedure, users, f"Người {i}")
                forward(users, dossier.pk)
            queued = OutboxMessage.objects.count()
            print(
                f"== sync throughput: {queued} messages queued for {args.dossiers} dossiers "
                f"in {time.perf_counter() - t0:.1f} s"
            )
            env = dict(os.environ, DATABASE_URL=db_url, MOTCUA_DVCQG_URL=stub_url)
            elapsed, result = run_command(env)
            print(f"command: {result}")
            rate = queued / elapsed
            arrived, steady = arrival_rate(Path(tmp) / "stub")
            print(
                f"motcua sync dvcqg --once: {elapsed:.2f} s wall with start-up ({rate:,.0f} "
                f"messages/s); between first and last arrival at the stub {steady:,.0f} messages/s"
            )
            if result["sent"] != queued or arrived != queued or result["pending"]:
                failures.append("not every message was delivered")
            bodies = [
                json.dumps(
                    {
                        "MessageId": str(uuid.uuid4()),
                        "Sequence": m.sequence,
                        "Reason": m.reason,
                        "HoSo": m.payload,
                    },
                    ensure_ascii=False,
                ).encode()
                for m in OutboxMessage.objects.order_by("id")
            ]
        finally:
            stub.terminate()
            stub.wait(timeout=20)
        peer, peer_url = start_stub(Path(tmp) / "peer")
        try:
            peer_time = peer_loop(peer_url, bodies)
        finally:
            peer.terminate()
            peer.wait(timeout=20)
        _, peer_rate = arrival_rate(Path(tmp) / "peer")
    print(
        f"peer, bare urllib loop: {peer_time:.2f} s; between first and last arrival "
        f"{peer_rate:,.0f} messages/s"
    )
    print(f"motcua / peer (arrival rates): {steady / peer_rate:.2f}")
    for failure in failures:
        print(f"FAIL: {failure}")
    print("PASS" if not failures else "FAIL")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
