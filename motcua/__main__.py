"""The `motcua` console command: Django's manage.py bound to motcua.settings."""

import os
import sys

from motcua.core.startup import pause_collector, resume_collector


def main(argv: list[str] | None = None) -> None:
    """Run a Django management command, e.g. `motcua migrate` or `motcua demo`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    # Paused before Django is imported, resumed once the apps are loaded (motcua.core.startup).
    pause_collector()
    from motcua.core.cli import CommandLine

    try:
        CommandLine(list(argv) if argv is not None else sys.argv).execute()
    finally:
        resume_collector()


if __name__ == "__main__":
    main()
