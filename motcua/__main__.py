"""The `motcua` console command: Django's manage.py bound to motcua.settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a Django management command, e.g. `motcua migrate` or `motcua demo`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(list(argv) if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
