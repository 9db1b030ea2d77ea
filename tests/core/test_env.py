import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.env import env_bool, env_cache, env_int, env_list, env_str


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("TRUE", True), (" on ", True), ("0", False), ("no", False), ("", False)],
)
def test_env_bool(raw, expected):
    assert env_bool("X", environ={"X": raw}) is expected


def test_env_bool_default_when_unset():
    assert env_bool("X", True, environ={}) is True


def test_env_bool_rejects_junk_with_name_and_value():
    with pytest.raises(ImproperlyConfigured, match=r"MOTCUA_DEBUG='maybe' is not a boolean"):
        env_bool("MOTCUA_DEBUG", environ={"MOTCUA_DEBUG": "maybe"})


def test_env_int():
    assert env_int("N", environ={"N": " 42 "}) == 42
    assert env_int("N", 7, environ={}) == 7
    with pytest.raises(ImproperlyConfigured, match="N='4x' is not an integer"):
        env_int("N", environ={"N": "4x"})
    with pytest.raises(ImproperlyConfigured, match="below 0"):
        env_int("N", min_value=0, environ={"N": "-1"})
    with pytest.raises(ImproperlyConfigured, match="above 10"):
        env_int("N", max_value=10, environ={"N": "11"})
    with pytest.raises(ImproperlyConfigured, match="required"):
        env_int("N", environ={})


def test_env_str():
    assert env_str("S", environ={"S": "abc"}) == "abc"
    assert env_str("S", "dflt", environ={"S": ""}) == "dflt"
    with pytest.raises(ImproperlyConfigured, match="S is required"):
        env_str("S", environ={})


def test_env_list():
    assert env_list("L", environ={"L": "a, b,,c "}) == ["a", "b", "c"]
    assert env_list("L", ["x"], environ={}) == ["x"]
    with pytest.raises(ImproperlyConfigured, match="lists nothing"):
        env_list("L", ["x"], environ={"L": " , "})


def _import_settings(tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    environment.pop("DATABASE_URL", None)
    environment.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import motcua.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_bad_setting_stops_start_up_with_a_clear_message(tmp_path):
    result = _import_settings(tmp_path, MOTCUA_DEBUG="maybe")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "MOTCUA_DEBUG='maybe' is not a boolean" in result.stderr


def test_bad_database_url_is_reported(tmp_path):
    result = _import_settings(tmp_path, DATABASE_URL="nosuchdb://x")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_short_secret_key_rejected(tmp_path):
    result = _import_settings(tmp_path, MOTCUA_SECRET_KEY="short")
    assert result.returncode != 0
    assert "at least 32 characters" in result.stderr


def test_defaults_generate_a_secret_file_and_sqlite_in_cwd(tmp_path):
    result = _import_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"
    secret = tmp_path / ".motcua-secret"
    assert secret.exists()
    assert oct(secret.stat().st_mode & 0o777) == "0o600"
    first = secret.read_text()
    assert _import_settings(tmp_path).returncode == 0
    assert secret.read_text() == first  # reused, not regenerated


def test_env_cache_choices():
    assert env_cache(environ={})["default"]["BACKEND"].endswith("LocMemCache")
    db = env_cache(environ={"MOTCUA_CACHE_URL": "db"})["default"]
    assert db == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "motcua_cache",
    }
    redis = env_cache(environ={"MOTCUA_CACHE_URL": "redis://127.0.0.1:6379/3"})["default"]
    assert redis["BACKEND"].endswith("RedisCache") and redis["LOCATION"].endswith("/3")
    with pytest.raises(ImproperlyConfigured, match="MOTCUA_CACHE_URL='memcached://x'"):
        env_cache(environ={"MOTCUA_CACHE_URL": "memcached://x"})


def test_database_cache_is_shared_between_processes(tmp_path):
    """MOTCUA_CACHE_URL=db: `migrate` creates the table; what one process counts, another sees."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MOTCUA_CACHE_URL": "db",
        "MOTCUA_SECRET_KEY_FILE": str(tmp_path / "secret"),
    }

    def motcua(*args):
        return subprocess.run(
            [sys.executable, "-m", "motcua", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    motcua("migrate", "--verbosity", "0")
    motcua(
        "shell",
        "--no-imports",
        "-c",
        "from django.core.cache import cache; cache.set('hits', 3, 60)",
    )
    out = motcua(
        "shell",
        "--no-imports",
        "-c",
        "from django.core.cache import cache; print(cache.get('hits'))",
    )
    assert out.strip() == "3"
