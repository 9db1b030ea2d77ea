import io
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.core.management.commands.demo import demo_loaders


@pytest.mark.django_db
def test_demo_no_serve_is_idempotent_and_creates_demo_admin(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES}  # drop the cached storage bound to the old root
    err = io.StringIO()
    call_command("demo", "--no-serve", stderr=err, verbosity=0)
    assert "WARNING: created demo administrator admin/admin" in err.getvalue()
    assert (tmp_path / "static" / "vendor" / "pico" / "pico.min.css").exists()
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password("admin")

    err = io.StringIO()
    call_command("demo", "--no-serve", stderr=err, verbosity=0)
    assert "already exists" in err.getvalue()
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_demo_loaders_include_core():
    names = [name for name, _ in demo_loaders()]
    assert "motcua.core" in names


@pytest.mark.parametrize("bind", ["8000", "localhost", "127.0.0.1:http", "127.0.0.1:70000"])
def test_demo_rejects_bad_bind(bind):
    with pytest.raises(CommandError, match="HOST:PORT"):
        call_command("demo", "--no-serve", "--bind", bind)


def test_console_script_main_runs_check(monkeypatch, capsys):
    import gc

    from motcua.__main__ import main

    try:
        main(["motcua", "check"])
    finally:
        gc.unfreeze()  # main freezes what is alive: the test process's objects here
    assert "no issues" in capsys.readouterr().out
    assert sys.modules["motcua.settings"]
    assert gc.isenabled()
