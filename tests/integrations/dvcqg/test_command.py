"""`motcua sync dvcqg` and `motcua dvcqg-stub` as commands, and kill -9 of a real worker process."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from motcua.dossiers.services import Applicant, dossier_receive
from motcua.integrations.dvcqg.models import OutboxMessage

from .conftest import advance, arrival_order, receive


def sync(*args: str) -> dict:
    out = io.StringIO()
    call_command("sync", "dvcqg", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_once_delivers_and_prints_the_counts(sync_on, personas, procedure):
    advance(personas, receive(personas, procedure), steps=2)
    assert sync("--once") == {
        "sent": 3,
        "failed": 0,
        "pending": 0,
        "parked": 0,
        "ratings": 0,
        "feedback": 0,
    }


@pytest.mark.django_db
def test_backfill_queues_the_current_state_of_the_period(settings, sync_on, personas, procedure):
    settings.MOTCUA_DVCQG_URL = ""  # imported while the sync was off
    tz = timezone.get_current_timezone()
    days = [datetime(2025, 3, d, 9, 0, tzinfo=tz) for d in (3, 4, 20)]
    dossiers = [
        dossier_receive(
            actor=personas["clerk"],
            procedure=procedure,
            applicant=Applicant(name=f"Người {i}"),
            received_at=at,
        )
        for i, at in enumerate(days)
    ]
    advance(personas, dossiers[0], steps=3)
    assert not OutboxMessage.objects.exists()
    settings.MOTCUA_DVCQG_URL = sync_on.url
    assert sync("--backfill", "--from", "2025-03-01", "--to", "2025-03-10") == {"queued": 2}
    assert set(OutboxMessage.objects.values_list("reason", flat=True)) == {"backfill"}
    result = sync("--once")
    assert (result["sent"], result["pending"]) == (2, 0)
    held = {d["code"]: d["status"] for d in sync_on.get("/_stub/dossiers")}
    assert held == {dossiers[0].code: 9, dossiers[1].code: 2}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--backfill", "--from", "2025-03-01"], "--to"),
        (["--backfill", "--from", "1/3/2025", "--to", "2025-03-10"], "--from"),
        (["--backfill", "--from", "2025-03-10", "--to", "2025-03-01"], "sau"),
        (["--once", "--from", "2025-03-01"], "--backfill"),
    ],
)
def test_bad_input_exits_2_with_one_line(sync_on, capsys, args, says):
    with pytest.raises(SystemExit) as exit_info:
        call_command("sync", "dvcqg", *args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("lỗi:") and says in err[0]
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_sync_off_is_refused_by_the_command(settings, capsys):
    settings.MOTCUA_DVCQG_URL = ""
    with pytest.raises(SystemExit) as exit_info:
        call_command("sync", "dvcqg", "--once")
    assert exit_info.value.code == 2
    assert "MOTCUA_DVCQG_URL" in capsys.readouterr().err


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_DVCQG_")}
    env.update(extra)
    return env


@pytest.mark.parametrize(
    "args",
    [["sync"], ["sync", "dvcqg", "--bogus"], ["dvcqg-stub"], ["dvcqg-stub", "--data", "d", "--fail-rate", "2"]],
)  # fmt: skip
def test_bad_arguments_in_a_real_process(tmp_path, args):
    proc = subprocess.run(
        [sys.executable, "-m", "motcua", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(),
        timeout=120,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lỗi:"), proc.stderr


def test_the_stub_command_serves_and_keeps_what_it_received(tmp_path):
    """`motcua dvcqg-stub` in its own process; what it stored survives a restart."""
    import urllib.request

    def start():
        proc = subprocess.Popen(
            [sys.executable, "-m", "motcua", "dvcqg-stub", "--bind", "127.0.0.1:0"]
            + ["--data", str(tmp_path / "data")],
            stdout=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env=_env(),
        )
        line = proc.stdout.readline()
        return proc, line.split("http://", 1)[1].split("/", 1)[0]

    def call(address, path, body=None):
        request = urllib.request.Request(
            f"http://{address}{path}",
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Idempotency-Key": "m-1"},
            method="GET" if body is None else "POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read())

    proc, address = start()
    try:
        message = {"MessageId": "m-1", "Sequence": 1, "Reason": "receive"}
        message["HoSo"] = {"MaHoSo": "X-1", "TrangThaiHoSo": 2, "NgayTiepNhan": "20250303090000"}
        assert call(address, "/dossiers", message) == {"accepted": True, "duplicate": False}
        assert call(address, "/dossiers", message)["duplicate"] is True
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    proc, address = start()
    try:
        assert call(address, "/_stub/dossiers") == [
            {
                "code": "X-1",
                "status": 2,
                "received_at": "2025-03-03T09:00:00+07:00",
                "due_at": None,
                "finished_at": None,
                "messages": 2,
            }
        ]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


# --- kill -9 of the worker mid-delivery ---------------------------------------------------------


def _database_url_for_subprocess(tmp_path: Path) -> str:
    """The test database as another process can open it (SQLite: a file copy of the memory DB)."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        return f"postgres://{auth}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"
    connection.ensure_connection()
    target = sqlite3.connect(tmp_path / "worker.sqlite3")
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{tmp_path / 'worker.sqlite3'}"


def _wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_kill_9_of_the_worker_mid_delivery_loses_nothing(sync_on, personas, procedure, tmp_path):
    dossiers = [
        advance(personas, receive(personas, procedure, name=name), steps=2)
        for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường")
    ]
    expected = {str(m) for m in OutboxMessage.objects.values_list("message_id", flat=True)}
    assert len(expected) == 9
    env = _env(
        DATABASE_URL=_database_url_for_subprocess(tmp_path),
        MOTCUA_DVCQG_URL=sync_on.url,
        MOTCUA_DVCQG_TIMEOUT="2",  # lease of a one-message batch: 2 × (1 + 1) = 4 s
        MOTCUA_DVCQG_BATCH="1",
        MOTCUA_DVCQG_POLL_SECONDS="1",
        MOTCUA_DVCQG_BACKOFF_BASE="0",
    )
    command = [sys.executable, "-m", "motcua", "sync", "dvcqg"]

    sync_on.server.delay = 30  # the portal stores the message, then is slow to answer …
    worker = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    try:
        first = _wait_for(lambda: sync_on.get("/_stub/messages"), 60, "the first delivery")
    finally:
        worker.kill()  # … and the worker is killed -9 before it hears back
        worker.wait(timeout=20)
    assert worker.returncode == -signal.SIGKILL
    (killed,) = first
    sync_on.server.delay = 0

    worker = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(
            lambda: {m["id"] for m in sync_on.get("/_stub/messages")} >= expected,
            90,
            "every message after the restart",
        )
    finally:
        worker.send_signal(signal.SIGTERM)  # stops cleanly
        assert worker.wait(timeout=30) == 0, worker.stderr.read()

    held = {m["id"]: m for m in sync_on.get("/_stub/messages")}
    assert set(held) == expected  # nothing lost, nothing invented
    assert held[killed["id"]]["deliveries"] == 2  # re-sent with the same id, counted once by id
    assert sum(m["deliveries"] for m in held.values()) == 10
    latest = {d["code"]: d["status"] for d in sync_on.get("/_stub/dossiers")}
    for dossier in dossiers:
        assert arrival_order(sync_on, dossier.code) == [1, 2, 3]
        assert latest[dossier.code] == dossier.status == 4

    proc = subprocess.run(
        [*command, "--once", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    result = json.loads(proc.stdout)
    assert (result["pending"], result["parked"], result["sent"]) == (0, 0, 0), proc.stderr
