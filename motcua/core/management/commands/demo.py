"""`motcua demo`: migrate, load every app's demo data, collect static files, serve."""

from __future__ import annotations

import importlib
import os
import sys

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


def demo_loaders() -> list[tuple[str, object]]:
    """(app name, load function) for each motcua app that has a `demo` module with `load`."""
    loaders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("motcua."):
            continue
        module_name = f"{config.name}.demo"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # this app has no demo data
            raise
        load = getattr(module, "load", None)
        if callable(load):
            loaders.append((config.name, load))
    return loaders


def public_url_for(bind: str) -> str:
    """The address people open for a server bound to HOST:PORT (0.0.0.0 / [::]: this machine)."""
    host, _sep, port = bind.rpartition(":")
    if host in ("0.0.0.0", "::", "[::]", ""):  # nosec B104  # a name for "every interface"
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def _valid_bind(value: str) -> str:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"--bind {value!r} must look like HOST:PORT, e.g. 127.0.0.1:8000")
    return value


class Command(BaseCommand):
    help = (
        "Migrate the database, load the demo data of every app (idempotent; creates the demo "
        "administrator admin/admin), collect static files, then serve with gunicorn."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Prepare everything but do not start the server.",
        )
        parser.add_argument(
            "--bind",
            default="127.0.0.1:8000",
            help="HOST:PORT to serve on (default 127.0.0.1:8000).",
        )
        parser.add_argument(
            "--workers", type=int, default=2, help="Number of gunicorn workers (default 2)."
        )

    def handle(self, *args, no_serve: bool = False, bind: str = "", workers: int = 2, **options):
        bind = _valid_bind(bind)
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        verbosity = options.get("verbosity", 1)
        # Links in emails, SMS and QR codes follow the address actually served (issue 14: never
        # port 8000 when the demo runs elsewhere), unless MOTCUA_PUBLIC_URL says otherwise.
        if not os.environ.get("MOTCUA_PUBLIC_URL"):
            os.environ["MOTCUA_PUBLIC_URL"] = public_url_for(bind)
            settings.MOTCUA_PUBLIC_URL = os.environ["MOTCUA_PUBLIC_URL"]
        self.stderr.write(f"Links in messages point to {settings.MOTCUA_PUBLIC_URL}")

        self.stderr.write("== Migrating the database")
        call_command("migrate", interactive=False, verbosity=verbosity)

        self.stderr.write("== Loading demo data")
        for name, load in demo_loaders():
            self.stderr.write(f"-- {name}")
            with transaction.atomic():
                load(self.stderr)

        self.stderr.write("== Collecting static files")
        call_command("collectstatic", interactive=False, verbosity=0)

        if no_serve:
            self.stderr.write("Ready (not serving: --no-serve).")
            return

        self.stderr.write(f"== Serving on http://{bind}/  (Ctrl+C to stop)")
        sys.stdout.flush()
        sys.stderr.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "motcua.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
        ]
        os.execv(sys.executable, argv)  # nosec B606  # fixed argv: this Python running gunicorn
