"""Issue 13 gap 15: dependencies are pinned with hashes (requirements/*.txt, made by `make lock`),
and a lock that no longer matches pyproject.toml is caught offline (docs/deploy.md "Supply chain").
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_lock_module():
    spec = importlib.util.spec_from_file_location("motcua_lock", ROOT / "requirements" / "lock.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


lock = _load_lock_module()


@pytest.fixture
def checkout(tmp_path):
    """A copy of pyproject.toml and requirements/ to break."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_committed_locks_match_pyproject():
    assert lock.check(ROOT) == []


def test_every_pin_is_exact_and_hashed():
    for name in lock.LOCKS:
        records, pins = lock.parse_lock((ROOT / "requirements" / name).read_text(encoding="utf-8"))
        assert records and len(pins) > 20, name
        assert all(pin.hashes for pin in pins), name
    runtime = {p.name for p in lock.parse_lock((ROOT / "requirements/runtime.txt").read_text())[1]}
    # Production gets no test tools; everything builds from the lock (setuptools included).
    assert {"django", "setuptools", "psycopg-binary"} <= runtime
    assert not {"pytest", "schemathesis", "mypy", "pandas"} & runtime


def test_a_new_dependency_without_make_lock_is_caught(checkout):
    _edit(
        checkout / "pyproject.toml",
        '    "polib>=1.2,<2",\n',
        '    "polib>=1.2,<2",\n    "rich>=13",\n',
    )
    errors = lock.check(checkout)
    assert any("`project: rich>=13`, the lock was made without it" in e for e in errors), errors
    # In every lock that holds the runtime dependencies; rich is pulled in by schemathesis, so
    # only its missing record says that test.txt is stale, while runtime.txt lacks the pin too.
    assert any(e.startswith("runtime.txt: rich>=13 (project) is not pinned") for e in errors)


def test_a_changed_specifier_or_extra_is_caught(checkout):
    _edit(checkout / "pyproject.toml", '"Django>=5.2,<5.3"', '"Django>=6.0,<6.1"')
    _edit(checkout / "pyproject.toml", '"psycopg[binary,pool]', '"psycopg[c,pool]')
    errors = lock.check(checkout)
    assert any(
        re.search(r"django==5\.2\.\S+ does not satisfy django<6\.1,>=6\.0", e) for e in errors
    )
    assert any(
        "`project: psycopg[c,pool]<4,>=3.2`, the lock was made without it" in e for e in errors
    )


def test_a_removed_dependency_is_caught(checkout):
    _edit(checkout / "pyproject.toml", '    "segno>=1.6,<2",\n', "")
    errors = lock.check(checkout)
    assert any(
        "locked from `project: segno<2,>=1.6`, which pyproject.toml no longer has" in e
        for e in errors
    )
    assert any("segno is pinned for pyproject.toml, which no longer asks" in e for e in errors)


def test_a_hand_edited_pin_is_caught(checkout):
    runtime = checkout / "requirements" / "runtime.txt"
    pin = next(p for p in lock.parse_lock(runtime.read_text())[1] if p.name == "pypdf")
    _edit(runtime, f"pypdf=={pin.version} \\\n", "pypdf==5.0.0 \\\n")
    text = runtime.read_text()
    runtime.write_text(re.sub(r"(pypdf==5\.0\.0 \\\n)(    --hash=\S+(?: \\)?\n)+", r"\1", text))
    errors = lock.check(checkout)
    assert f"runtime.txt: pypdf==5.0.0, but test.txt has pypdf=={pin.version}" in errors
    assert "runtime.txt: pypdf==5.0.0 has no --hash" in errors


def test_make_install_and_bench_install_from_the_locks_with_hashes():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet --require-hashes -r requirements/test.txt" in makefile
    assert "pip install --quiet --require-hashes -r requirements/bench.txt" in makefile
    assert "pip install --quiet --no-deps --no-build-isolation -e ." in makefile
    assert "requirements/lock.py check" in makefile
    # The re-install stamp follows the lock, not only pyproject.toml.
    assert re.search(
        r"^\$\(INSTALL_STAMP\): pyproject\.toml requirements/test\.txt", makefile, re.M
    )
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "requirements/lock.py check" in ci
