"""Issue 13 quality bar: `motcua check --deploy` is clean with the production settings of
deploy/motcua.env.example exactly as shipped (its HSTS defaults included), warnings counted."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "motcua.env.example"


def _production_env() -> dict[str, str]:
    env = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line)
        if match:
            env[match.group(1)] = match.group(2).strip('"')
    return env


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    env.update(_production_env())
    # Only the placeholder secret is replaced (an unedited copy must not start).
    env["MOTCUA_SECRET_KEY"] = secrets.token_urlsafe(50)
    assert not any(name.startswith("MOTCUA_HSTS_") for name in env), "defaults are what is tested"
    assert env["MOTCUA_HTTPS"] == "1" and env["MOTCUA_DEBUG"] == "0"
    result = subprocess.run(  # noqa: S603 - our own entry point
        [sys.executable, "-m", "motcua", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
