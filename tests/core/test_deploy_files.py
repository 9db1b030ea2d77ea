"""The production examples in deploy/ against the code they deploy.

- systemd units: required sections and keys, the shared sandbox, and a timer for every job.
- Every `motcua` command (and `report` subcommand) run by a unit exists and accepts the
  options given. The gunicorn options exist in the installed gunicorn.
- deploy/motcua.env.example lists exactly the variables the code reads, with valid values.
- nginx: request limit, proxy headers, timeouts, and no aliases or headers that the app owns.

docs/deploy.md says what these files are for.
"""

from __future__ import annotations

import argparse
import ast
import configparser
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

from motcua import env as env_helpers

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SYSTEMD = DEPLOY / "systemd"
ENV_EXAMPLE = DEPLOY / "motcua.env.example"
NGINX_CONF = DEPLOY / "nginx" / "motcua.conf"
MANAGE_SCRIPT = DEPLOY / "bin" / "motcua-manage"
DEPLOY_DOC = ROOT / "docs" / "deploy.md"

VENV_BIN = "/opt/motcua/venv/bin/"
STATE_DIR = "/var/lib/motcua"
ENV_FILE = "/etc/motcua/motcua.env"
TIME_ZONE = "Asia/Ho_Chi_Minh"
# nginx's client_max_body_size is this many files at the per-file limit MOTCUA_MAX_UPLOAD_MB:
# one request carries one file per required document (docs/deploy.md, "nginx").
FILES_PER_REQUEST = 5
# Headers Django sets itself (SecurityMiddleware, XFrameOptionsMiddleware); nginx must not repeat them.
DJANGO_SECURITY_HEADERS = {
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "cross-origin-opener-policy",
    "strict-transport-security",
}
SANDBOX = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ReadWritePaths": STATE_DIR,
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "CapabilityBoundingSet": "",
}
ENV_HELPERS = {"env_str", "env_int", "env_bool", "env_list", "env_cache"}


# --- systemd ------------------------------------------------------------------------------------


def unit_files(suffix: str) -> list[Path]:
    return sorted(SYSTEMD.glob(f"*.{suffix}"))


@cache
def parse_unit(path: Path) -> configparser.ConfigParser:
    """A unit file as configparser reads it: case kept, `%` and `$` literal, repeated keys allowed."""
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    return parser


def exec_start(path: Path) -> list[str]:
    """ExecStart as an argv; backslash-continued lines joined as systemd joins them."""
    raw = parse_unit(path)["Service"]["ExecStart"]
    return shlex.split(re.sub(r"\\\s*\n\s*", " ", raw))


def motcua_units() -> list[Path]:
    return [p for p in unit_files("service") if exec_start(p)[0] == VENV_BIN + "motcua"]


def timer_driven(path: Path) -> bool:
    return path.with_suffix(".timer").exists()


def test_deploy_files_exist():
    assert (SYSTEMD / "motcua.service").is_file()
    assert (SYSTEMD / "motcua-worker.service").is_file()
    assert ENV_EXAMPLE.is_file() and NGINX_CONF.is_file() and MANAGE_SCRIPT.is_file()
    assert (DEPLOY / "postgresql.md").is_file()
    assert len(unit_files("timer")) >= 3


@pytest.mark.parametrize("path", unit_files("service"), ids=lambda p: p.name)
def test_service_unit_sections_and_sandbox(path):
    unit = parse_unit(path)
    assert {"Unit", "Service"} <= set(unit.sections())
    assert unit["Unit"].get("Description")
    service = unit["Service"]
    assert service["User"] == "motcua" and service["Group"] == "motcua"
    assert service["EnvironmentFile"] == ENV_FILE
    assert service["WorkingDirectory"] == STATE_DIR
    assert service["StateDirectory"] == "motcua"
    for key, value in SANDBOX.items():
        assert service.get(key) == value, f"{path.name}: {key}={service.get(key)!r}, want {value!r}"
    # The running code may not rewrite the static files it serves.
    assert service["ReadOnlyPaths"].lstrip("-") == f"{STATE_DIR}/static"
    assert Path(exec_start(path)[0]).is_absolute()


@pytest.mark.parametrize("name", ["motcua.service", "motcua-worker.service"])
def test_long_running_services_restart_and_start_at_boot(name):
    unit = parse_unit(SYSTEMD / name)
    assert not timer_driven(SYSTEMD / name)
    assert unit["Service"]["Restart"] in {"always", "on-failure"}
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_timer_driven_services_are_oneshot_without_install():
    jobs = [p for p in unit_files("service") if timer_driven(p)]
    assert jobs
    for path in jobs:
        unit = parse_unit(path)
        assert unit["Service"]["Type"] == "oneshot", path.name
        assert "Install" not in unit.sections(), f"{path.name}: started by its timer only"


@pytest.mark.parametrize("path", unit_files("timer"), ids=lambda p: p.name)
def test_timer_units(path):
    unit = parse_unit(path)
    assert {"Unit", "Timer", "Install"} <= set(unit.sections())
    timer = unit["Timer"]
    assert timer["OnCalendar"].endswith(" " + TIME_ZONE), "Vietnam time, whatever the server clock"
    assert timer["Persistent"] == "true"
    assert unit["Install"]["WantedBy"] == "timers.target"
    service = path.with_suffix(".service")
    assert service.exists() and "Unit" not in timer, "the timer starts the service of its own name"


def test_every_oneshot_service_has_a_timer():
    for path in unit_files("service"):
        if parse_unit(path)["Service"].get("Type") == "oneshot":
            assert timer_driven(path), path.name


@pytest.mark.parametrize(
    ("timer", "calendar", "argv"),
    [
        ("motcua-remind.timer", "Mon..Fri *-*-* 07..17:00/15", ["report", "remind"]),
        ("motcua-escalate.timer", "Mon..Fri *-*-* 07..17:00/15", ["report", "escalate"]),
        ("motcua-monthly.timer", "*-*-01 02:00", ["report", "monthly"]),
        (
            "motcua-compact-daily.timer",
            "*-*-* *:50",
            ["report", "rebuild-daily", "--compact"],
        ),
    ],
)
def test_report_jobs_run_as_documented(timer, calendar, argv):
    """docs/deploy.md ("Background jobs") gives these schedules and commands."""
    unit = parse_unit(SYSTEMD / timer)
    assert unit["Timer"]["OnCalendar"] == f"{calendar} {TIME_ZONE}"
    assert exec_start((SYSTEMD / timer).with_suffix(".service"))[1:] == argv
    doc = DEPLOY_DOC.read_text(encoding="utf-8")
    assert f"`{timer}`" in doc and f"`{calendar}`" in doc and f"motcua {' '.join(argv)}" in doc


def test_every_timer_is_in_the_guide():
    doc = DEPLOY_DOC.read_text(encoding="utf-8")
    for path in unit_files("timer"):
        assert f"`{path.name}`" in doc, path.name


def _subcommand_choices(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse has no public accessor for subparsers
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


@pytest.mark.parametrize("path", motcua_units(), ids=lambda p: p.name)
def test_motcua_command_of_unit_exists_and_accepts_its_options(path):
    argv = exec_start(path)
    name, args = argv[1], argv[2:]
    commands = get_commands()
    assert name in commands, f"{path.name}: no management command {name!r}"
    parser = load_command_class(commands[name], name).create_parser("motcua", name)
    subcommands = _subcommand_choices(parser)
    if subcommands:
        assert args and args[0] in subcommands, (
            f"{path.name}: {args[:1]} not in {sorted(subcommands)}"
        )
    parser.parse_args(args)  # raises CommandError (or exits) on an unknown option


def test_report_subcommands_used_by_units_exist():
    parser = load_command_class("motcua.reports", "report").create_parser("motcua", "report")
    choices = _subcommand_choices(parser)
    used = {exec_start(p)[2] for p in motcua_units() if exec_start(p)[1] == "report"}
    assert used == {"remind", "escalate", "monthly", "rebuild-daily"}
    assert used <= set(choices)


def test_worker_unit_runs_the_django_tasks_db_worker():
    argv = exec_start(SYSTEMD / "motcua-worker.service")
    assert argv[:2] == [VENV_BIN + "motcua", "db_worker"]
    assert get_commands()["db_worker"] == "django_tasks_db"


def gunicorn_args() -> argparse.Namespace:
    from gunicorn.config import Config

    argv = exec_start(SYSTEMD / "motcua.service")
    assert argv[0] == VENV_BIN + "gunicorn"
    return Config().parser().parse_args(argv[1:])


def test_gunicorn_unit_serves_the_wsgi_application():
    import gc

    import motcua.wsgi

    gc.unfreeze()  # importing it froze the test process's objects (motcua.core.startup)

    args = gunicorn_args()
    assert args.args == ["motcua.wsgi:application"]
    assert callable(motcua.wsgi.application)
    # TCP on loopback: allauth needs REMOTE_ADDR, which a Unix socket does not give.
    assert args.bind == ["127.0.0.1:8000"]
    assert int(args.timeout) > 0 and int(args.workers) >= 2


def _systemd_analyze() -> str:
    path = shutil.which("systemd-analyze")
    if path is None:
        pytest.skip("systemd-analyze is not installed")
    return path


def test_timer_calendars_are_valid_systemd_expressions():
    tool = _systemd_analyze()
    calendars = sorted({parse_unit(p)["Timer"]["OnCalendar"] for p in unit_files("timer")})
    result = subprocess.run(
        [tool, "calendar", "--iterations=1", *calendars], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_systemd_analyze_verify_accepts_the_units(tmp_path):
    """systemd's own parser: unknown keys or bad values are reported (the venv path made real)."""
    tool = _systemd_analyze()
    venv_bin = str(Path(sys.executable).parent) + "/"
    for path in [*unit_files("service"), *unit_files("timer")]:
        text = path.read_text(encoding="utf-8").replace(VENV_BIN, venv_bin)
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    units = sorted(str(p) for p in tmp_path.iterdir())
    result = subprocess.run(
        [tool, "verify", "--man=no", *units], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_manage_script_uses_the_units_environment():
    text = MANAGE_SCRIPT.read_text(encoding="utf-8")
    assert os.access(MANAGE_SCRIPT, os.X_OK)
    assert f"EnvironmentFile={ENV_FILE}" in text
    assert f"--working-directory={STATE_DIR}" in text
    assert "--uid=motcua" in text and VENV_BIN + "motcua" in text
    assert subprocess.run(["sh", "-n", str(MANAGE_SCRIPT)]).returncode == 0


# --- environment --------------------------------------------------------------------------------


@cache
def settings_env_reads() -> dict[str, str]:
    """Every environment variable the motcua package reads → how (env_int, os.environ.get…)."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "motcua").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            name, how = None, None
            if isinstance(node, ast.Call) and node.args:
                first = node.args[0]
                func = ast.unparse(node.func)
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    if func in ENV_HELPERS or func.split(".")[-1] in ENV_HELPERS:
                        name, how = first.value, func.split(".")[-1]
                    elif func in {"os.environ.get", "os.getenv", "environ.get", "getenv"}:
                        name, how = first.value, "os.environ"
            elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
                if isinstance(node.slice, ast.Constant) and isinstance(node.ctx, ast.Load):
                    name, how = node.slice.value, "os.environ"
            if name:
                found[name] = how
    return found


@cache
def env_example() -> dict[str, tuple[bool, str]]:
    """NAME → (active, value) from the example; `#NAME=value` is a variable left at its default."""
    entries: dict[str, tuple[bool, str]] = {}
    for number, line in enumerate(ENV_EXAMPLE.read_text(encoding="utf-8").splitlines(), 1):
        match = re.fullmatch(r"(#?)([A-Z][A-Z0-9_]*)=(.*)", line)
        if not match:
            assert not re.match(r"\s*(export\s+)?[A-Z][A-Z0-9_]*=", line), f"line {number}: {line}"
            continue
        commented, name, value = match.groups()
        assert name not in entries, f"line {number}: {name} listed twice"
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        entries[name] = (not commented, value)
    return entries


def active_env() -> dict[str, str]:
    return {name: value for name, (active, value) in env_example().items() if active}


def test_settings_reads_are_found():
    reads = settings_env_reads()
    assert reads["MOTCUA_MAX_UPLOAD_MB"] == "env_int"
    assert reads["DATABASE_URL"] == "env_str"
    assert "DJANGO_SETTINGS_MODULE" not in reads  # set with setdefault, not a setting


def test_env_example_lists_exactly_the_variables_the_code_reads():
    read, listed = set(settings_env_reads()), set(env_example())
    assert not read - listed, (
        f"read by the code but missing from the example: {sorted(read - listed)}"
    )
    assert not listed - read, f"in the example but read by nothing: {sorted(listed - read)}"


def test_env_example_values_pass_the_typed_helpers():
    reads = settings_env_reads()
    for name, (_active, value) in env_example().items():
        helper = getattr(env_helpers, reads.get(name, ""), None)
        if helper is not None:
            helper(name, "", environ={name: value})  # raises ImproperlyConfigured on junk


def test_env_example_is_a_production_configuration():
    env = active_env()
    assert env["MOTCUA_HTTPS"] == "1"
    assert env_helpers.env_bool("MOTCUA_DEBUG", True, environ=env) is False
    assert env["DATABASE_URL"].startswith("postgres://")
    # An unedited copy must stop start-up: the settings refuse keys under 32 characters.
    assert len(env["MOTCUA_SECRET_KEY"]) < 32
    assert env["MOTCUA_PUBLIC_URL"].startswith("https://")
    assert all(o.startswith("https://") for o in env["MOTCUA_CSRF_TRUSTED_ORIGINS"].split(","))


def test_env_example_paths_are_where_the_units_may_write():
    entries = env_example()
    for name in ("MOTCUA_MEDIA_ROOT", "MOTCUA_EMAIL_FILE_PATH", "MOTCUA_SECRET_KEY_FILE"):
        assert entries[name][1].startswith(STATE_DIR + "/"), name
    assert entries["MOTCUA_STATIC_ROOT"][1] == f"{STATE_DIR}/static"


def _check_deploy(secret_key: str, tmp_path: Path, **extra: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    env.update(active_env())
    env["MOTCUA_SECRET_KEY"] = secret_key
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "motcua", "check", "--deploy"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_the_hsts_flags_turned_off(tmp_path):
    """docs/deploy.md: the example is clean (tests/security/test_check_deploy.py); a site served at
    a domain's apex that turns both HSTS flags off gets exactly W005 and W021, nothing else."""
    result = _check_deploy(
        secrets.token_urlsafe(50),
        tmp_path,
        MOTCUA_HSTS_INCLUDE_SUBDOMAINS="0",
        MOTCUA_HSTS_PRELOAD="0",
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert set(re.findall(r"\((\w+\.[EW]\d+)\)", output)) == {"security.W005", "security.W021"}


def test_unedited_env_example_stops_start_up(tmp_path):
    result = _check_deploy(env_example()["MOTCUA_SECRET_KEY"][1], tmp_path)
    assert result.returncode != 0
    assert "MOTCUA_SECRET_KEY must be at least 32 characters" in result.stderr


# --- nginx --------------------------------------------------------------------------------------


@cache
def nginx_directives() -> list[tuple[str, list[str]]]:
    """(name, arguments) of every simple directive, comments removed (no nested includes)."""
    text = re.sub(r"#[^\n]*", "", NGINX_CONF.read_text(encoding="utf-8"))
    directives = []
    for statement in re.split(r"[;{}]", text):
        words = statement.split()
        if words:
            directives.append((words[0], words[1:]))
    return directives


def nginx_values(name: str) -> list[list[str]]:
    return [args for directive, args in nginx_directives() if directive == name]


def _megabytes(value: str) -> int:
    match = re.fullmatch(r"(\d+)([mM])", value)
    assert match, f"client_max_body_size {value!r}: write it in megabytes, e.g. 50m"
    return int(match.group(1))


def _upload_default_mb() -> int:
    """The default of MOTCUA_MAX_UPLOAD_MB as written in motcua/settings.py."""
    tree = ast.parse((ROOT / "motcua" / "settings.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and ast.unparse(node.func) == "env_int"
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == "MOTCUA_MAX_UPLOAD_MB"
        ):
            return ast.literal_eval(node.args[1])
    raise AssertionError("MOTCUA_MAX_UPLOAD_MB is not read with env_int in settings.py")


def test_client_max_body_size_follows_the_upload_limit():
    per_file = _upload_default_mb()
    values = nginx_values("client_max_body_size")
    assert len(values) == 1
    limit = _megabytes(values[0][0])
    # A single file at the limit, plus multipart overhead, must pass nginx.
    assert limit > per_file
    assert limit == FILES_PER_REQUEST * per_file
    doc = DEPLOY_DOC.read_text(encoding="utf-8")
    assert set(re.findall(r"client_max_body_size (\w+)", doc)) == {values[0][0]}


def test_nginx_proxy_headers():
    headers = {args[0].lower(): args[1:] for args in nginx_values("proxy_set_header")}
    # Overwritten from the connection, never passed on from the client (SECURE_PROXY_SSL_HEADER).
    assert headers["x-forwarded-proto"] == ["$scheme"]
    # The app's client_ip reads the rightmost entry, which nginx appends.
    assert headers["x-forwarded-for"] == ["$proxy_add_x_forwarded_for"]
    assert headers["host"] == ["$host"]


def test_nginx_proxies_to_gunicorn_and_waits_longer_than_it():
    args = gunicorn_args()
    assert nginx_values("proxy_pass") == [[f"http://{args.bind[0]}"]]
    (read_timeout,) = nginx_values("proxy_read_timeout")
    assert int(read_timeout[0].rstrip("s")) > int(args.timeout)


def test_nginx_redirects_http_and_serves_tls():
    listens = [" ".join(args) for args in nginx_values("listen")]
    assert any("443 ssl" in listen for listen in listens)
    assert ["301", "https://$server_name$request_uri"] in nginx_values("return")
    assert nginx_values("ssl_certificate") and nginx_values("ssl_certificate_key")
    assert ["on"] in nginx_values("gzip")


def test_nginx_leaves_static_media_and_security_headers_to_the_app():
    locations = [args[-1] for args in nginx_values("location")]
    assert not [loc for loc in locations if loc.startswith(("/static", "/media"))]
    assert not nginx_values("alias")
    added = {args[0].lower() for args in nginx_values("add_header")}
    assert not added & DJANGO_SECURITY_HEADERS
