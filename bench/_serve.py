"""Helpers shared by the running-system benches (tracking_bench, startup_bench): a throwaway bare
Django project made with `django-admin startproject`, gunicorn started and stopped, a load run.

Not a test. Every server listens on 127.0.0.1 only; every load run is bounded in time.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess  # nosec B404  # gunicorn, django-admin, wrk: fixed argv
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def deployed_gunicorn_flags() -> list[str]:
    """The gunicorn flags of deploy/systemd/motcua.service's ExecStart, less the bind and the
    worker count (the bench sets those): read from the unit so that the two cannot drift."""
    unit = (ROOT / "deploy" / "systemd" / "motcua.service").read_text(encoding="utf-8")
    command = re.search(r"^ExecStart=(.*)$", unit.replace("\\\n", " "), re.M)
    assert command, "no ExecStart in deploy/systemd/motcua.service"
    words = command.group(1).split()[2:]  # after the gunicorn binary and the application
    flags: list[str] = []
    for flag, value in zip(words[::2], words[1::2], strict=True):
        if flag not in ("--bind", "--workers"):
            flags += [flag, value]
    return flags


#: The gunicorn flags of deploy/systemd/motcua.service, less the bind and the worker count.
GUNICORN_FLAGS = deployed_gunicorn_flags()

BARE_VIEW = """
from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("ok")


urlpatterns = [path("", hello)]
"""


def make_bare_project(where: Path) -> Path:
    """`django-admin startproject bare` in ``where`` with one view at / (the peer). Returns the
    project directory (holding manage.py)."""
    project = where / "bare"
    project.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # nosec B603
        [str(BIN / "django-admin"), "startproject", "bare", str(project)], check=True
    )
    (project / "bare" / "urls.py").write_text(BARE_VIEW, encoding="utf-8")
    settings = project / "bare" / "settings.py"
    text = settings.read_text(encoding="utf-8")
    text = text.replace("DEBUG = True", "DEBUG = False")
    text = re.sub(r"ALLOWED_HOSTS = \[\]", 'ALLOWED_HOSTS = ["127.0.0.1", "localhost"]', text)
    settings.write_text(text, encoding="utf-8")
    return project


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def gunicorn(app: str, *, workers: int, cwd: Path, env: dict[str, str]) -> Server:
    port = free_port()
    process = subprocess.Popen(  # nosec B603
        [
            str(BIN / "gunicorn"),
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *GUNICORN_FLAGS,
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240  # a loaded 2-core machine: 4 workers load slowly
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
            return Server(process, port)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn {app} did not answer on port {port}")


@dataclass
class Load:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    tool: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


_WRK_SCRIPT = """
wrk.method = "{method}"
wrk.body = "{body}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "{cookie}"
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %f %d %f %f\\n", summary.requests, summary.duration / 1e6,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def run_load(
    port: int,
    path: str,
    *,
    seconds: int,
    connections: int,
    method: str = "GET",
    body: str = "",
    cookie: str = "",
    workdir: Path,
) -> Load:
    """Load 127.0.0.1:port for ``seconds`` with ``connections`` at once: wrk if installed
    (Debian's package), else threads with http.client (slower: it competes for the cores)."""
    wrk = shutil.which("wrk")
    if wrk:
        script = workdir / "wrk.lua"
        script.write_text(
            _WRK_SCRIPT.format(method=method, body=body, cookie=cookie), encoding="utf-8"
        )
        out = subprocess.run(  # nosec B603
            [
                wrk,
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        line = next(x for x in out.splitlines() if x.startswith("RESULT "))
        n, secs, errors, p50, p99 = line.split()[1:]
        return Load(int(n), float(secs), int(errors), float(p50), float(p99), "wrk")
    return _python_load(port, path, seconds, connections, method, body, cookie)


def _python_load(port, path, seconds, connections, method, body, cookie) -> Load:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}

    def worker() -> None:
        mine: list[float] = []
        bad = 0
        while time.monotonic() < stop_at:
            t0 = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request(method, path, body=body or None, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status >= 400:
                    bad += 1
            except OSError:
                bad += 1
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - t0
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    return Load(len(latencies), elapsed, errors[0], p50, p99, "python threads")


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(extra)
    return env
