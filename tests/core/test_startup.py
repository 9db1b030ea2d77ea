"""A motcua process starts with the garbage collector paused and gets it back, with the start-up
objects frozen, before any work runs (motcua.core.startup, issue 17)."""

import gc
import subprocess  # nosec B404
import sys

import pytest

PROBE = "import gc; print(gc.isenabled(), gc.get_freeze_count())"


def _run(argv: list[str]) -> tuple[bool, int]:
    done = subprocess.run(  # nosec B603
        [sys.executable, *argv], capture_output=True, text=True, timeout=120, check=True
    )
    enabled, frozen = done.stdout.split()[-2:]
    return enabled == "True", int(frozen)


def test_a_command_runs_with_the_collector_back_and_the_start_up_frozen():
    enabled, frozen = _run(["-m", "motcua", "shell", "-c", PROBE])
    assert enabled
    # The apps' models, admin and settings: far more than a bare interpreter's few thousand.
    assert frozen > 100_000


def test_a_web_worker_loads_its_views_before_serving_with_the_collector_back():
    script = (
        "import sys, motcua.wsgi\n"
        "print(sorted(m for m in ('motcua.urls', 'ninja', 'fpdf') if m in sys.modules))\n"
        f"{PROBE}"
    )
    done = subprocess.run(  # nosec B603
        [sys.executable, "-W", "ignore", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded, probe = done.stdout.splitlines()[-2:]
    # The URLconf and every view it names were imported before the first request (motcua's API
    # in django-ninja, the PDF forms in fpdf).
    assert loaded == "['fpdf', 'motcua.urls', 'ninja']"
    enabled, frozen = probe.split()
    assert enabled == "True"
    assert int(frozen) > 100_000


@pytest.fixture
def restores_collector():
    yield
    gc.unfreeze()
    gc.enable()


def test_the_collector_comes_back_when_a_command_fails_before_it_runs(restores_collector, capsys):
    from motcua.__main__ import main

    with pytest.raises(SystemExit):
        main(["motcua", "no-such-command"])
    assert gc.isenabled()
    assert "no-such-command" in capsys.readouterr().err


def test_the_collector_is_back_before_the_command_runs(restores_collector):
    from motcua.core.cli import CommandLine
    from motcua.core.startup import pause_collector

    pause_collector()
    CommandLine(["motcua", "check"]).fetch_command("check")
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
