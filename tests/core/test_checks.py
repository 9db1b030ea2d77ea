import os
import sqlite3
import subprocess
import sys

from motcua.checks import check_sqlite_wal, journal_mode_messages


def test_wal_check_clean_on_test_database(db):
    # The test database is SQLite in memory or PostgreSQL: nothing to report either way.
    assert check_sqlite_wal(databases=["default"]) == []


def test_journal_mode_messages():
    assert journal_mode_messages("default", "wal") == []
    assert [m.id for m in journal_mode_messages("default", "delete")] == ["motcua.E001"]


def test_embedded_database_is_created_in_wal_mode(tmp_path):
    """`motcua migrate` then `motcua check` in a fresh directory: SQLite file in WAL mode."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    for args in (["migrate", "--verbosity", "0"], ["check", "--database", "default"]):
        result = subprocess.run(
            [sys.executable, "-m", "motcua", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
    with sqlite3.connect(tmp_path / "motcua.sqlite3") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
