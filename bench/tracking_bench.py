"""The public tracking page through gunicorn with the production configuration, beside a bare
Django view served the same way in the same run (issue 17).

    .venv/bin/python bench/tracking_bench.py [--pg-url URL] [--redis-url URL] [--seconds 10]
                                             [--workers 4] [--connections 8] [--rounds 3]

Not a test. Production configuration: PostgreSQL with the connection pool (MOTCUA_DB_POOL, the
default), the rate limiter on Redis (MOTCUA_CACHE_URL=redis://…), DEBUG off, the gunicorn flags of
deploy/systemd/motcua.service. MOTCUA_HTTPS stays off (TLS is nginx's). Each request is a real
lookup: POST /tra-cuu/ with a dossier code and the applicant's phone number (200, the dossier's
public timeline); the limiter counts every request (its limit is raised so that one load
generator's address is not stopped). Configurations measured one after the other:

- bare: `django-admin startproject` with one view returning "ok" (default middleware);
- tracking, production: pool + Redis limiter;
- tracking, database limiter: pool + MOTCUA_CACHE_URL=db (a single-machine install);
- tracking, no pool: MOTCUA_DB_POOL=0, MOTCUA_DB_CONN_MAX_AGE=0 (before issue 17).

The bare view and the production configuration are measured `--rounds` times, one after the
other (this shared 2-core host varies by ±20 % from one minute to the next): each round's ratio
is printed, and the table gives the median round. Prints req/s, p50 and p99 latency and the
ratio to the bare view. Target: production ≥ 20 % of
bare, p99 ≤ 50 ms. The load generator is wrk when installed (apt-get install wrk), else Python
threads; it runs on the same 2 cores as the servers, as does PostgreSQL.
"""

from __future__ import annotations

import argparse
import http.client
import re
import subprocess  # nosec B404
import sys
import tempfile
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _serve import (  # noqa: E402
    BIN,
    ROOT,
    Load,
    base_env,
    gunicorn,
    make_bare_project,
    run_load,
)

PHONE = "0905123456"


def prepare(env: dict[str, str]) -> str:
    """Migrate, load the demo data, give one dossier a known phone; return its code."""
    subprocess.run(  # nosec B603
        [str(BIN / "motcua"), "demo", "--no-serve", "--verbosity", "0"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    script = (
        "from motcua.dossiers.models import Dossier\n"
        "d = Dossier.objects.order_by('pk').first()\n"
        f"Dossier.objects.filter(pk=d.pk).update(applicant_phone='{PHONE}')\n"
        "print(d.code)\n"
    )
    out = subprocess.run(  # nosec B603
        [str(BIN / "motcua"), "shell", "-c", script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip().splitlines()[-1]


def csrf(port: int) -> tuple[str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/tra-cuu/")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = next(
        c.split(";")[0]
        for c in response.headers.get_all("Set-Cookie") or []
        if c.startswith("csrftoken=")
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on /tra-cuu/"
    return cookie, token.group(1)


def check_lookup(port: int, body: str, cookie: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    conn.request("POST", "/tra-cuu/", body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    assert response.status == 200, f"lookup answered {response.status}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/motcua_track_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    server, name = args.pg_url.rsplit("/", 1)
    exists = subprocess.run(  # nosec B603 B607
        ["psql", f"{server}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(  # nosec B603 B607
            ["psql", f"{server}/postgres", "-c", f'CREATE DATABASE "{name}"'], check=False
        )

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        common = {
            "DATABASE_URL": args.pg_url,
            "MOTCUA_SECRET_KEY": "bench-" + "x" * 50,
            "MOTCUA_DEBUG": "0",
            "MOTCUA_STATIC_ROOT": str(work / "static"),
            "MOTCUA_TRACKING_RATE_PER_IP": "1000000000",
            "MOTCUA_LOG_LEVEL": "WARNING",
        }
        production = base_env(**common, MOTCUA_CACHE_URL=args.redis_url)
        code = prepare(production)
        subprocess.run(  # nosec B603 B607
            ["redis-cli", "-u", args.redis_url, "FLUSHDB"], check=False, capture_output=True
        )
        configs = [
            ("tracking, production (pool + Redis limiter)", production),
            ("tracking, database limiter (pool + db)", base_env(**common, MOTCUA_CACHE_URL="db")),
            (
                "tracking, no pool (before issue 17)",
                base_env(**common, MOTCUA_CACHE_URL="db", MOTCUA_DB_POOL="0"),
            ),
        ]
        bare_dir = make_bare_project(work)

        def measure_bare() -> Load:
            srv = gunicorn(
                "bare.wsgi:application", workers=args.workers, cwd=bare_dir, env=base_env()
            )
            try:
                run_load(srv.port, "/", seconds=2, connections=args.connections, workdir=work)
                return run_load(
                    srv.port, "/", seconds=args.seconds, connections=args.connections, workdir=work
                )
            finally:
                srv.stop()

        def measure_tracking(env: dict[str, str]) -> Load:
            srv = gunicorn("motcua.wsgi:application", workers=args.workers, cwd=ROOT, env=env)
            try:
                cookie, token = csrf(srv.port)
                body = urllib.parse.urlencode(
                    {"csrfmiddlewaretoken": token, "ma": code, "factor": PHONE}
                )
                check_lookup(srv.port, body, cookie)
                kw = dict(method="POST", body=body, cookie=cookie, workdir=work)
                run_load(srv.port, "/tra-cuu/", seconds=2, connections=args.connections, **kw)
                return run_load(
                    srv.port, "/tra-cuu/", seconds=args.seconds, connections=args.connections, **kw
                )
            finally:
                srv.stop()

        rounds = []
        for number in range(1, args.rounds + 1):
            bare, mine = measure_bare(), measure_tracking(production)
            rounds.append((mine.rps / bare.rps, bare, mine))
            print(
                f"round {number}: bare {bare.rps:.0f} req/s, production {mine.rps:.0f} req/s "
                f"(p99 {mine.p99_ms:.1f} ms): {mine.rps / bare.rps:.1%}",
                flush=True,
            )
        _ratio, bare, mine = sorted(rounds, key=lambda r: r[0])[len(rounds) // 2]
        results = [("bare Django view (startproject)", bare), (configs[0][0], mine)]
        for label, env in configs[1:]:
            results.append((label, measure_tracking(env)))

    print(
        f"gunicorn --workers {args.workers} (sync), {args.connections} connections, "
        f"{args.seconds} s each, load: {bare.tool}; bare and production: the median of "
        f"{args.rounds} rounds"
    )
    print(
        f"{'configuration':48} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'/bare':>6}"
    )
    for label, load in results:
        print(
            f"{label:48} {load.rps:8.0f} {load.p50_ms:7.1f} {load.p99_ms:7.1f} "
            f"{load.errors:6d} {load.rps / bare.rps:6.1%}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
