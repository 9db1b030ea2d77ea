"""Compile .po catalogues to .mo with polib (no system gettext needed)."""

from django.core.management.base import BaseCommand, CommandError

from motcua.core.i18n import compile_po, is_up_to_date, po_files


class Command(BaseCommand):
    help = (
        "Compile every .po file in LOCALE_PATHS and the apps' locale folders to .mo using polib. "
        "With --check, change nothing and exit non-zero if any .mo is missing or stale."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report .mo files that are missing or out of date; exit 1 if any.",
        )

    def handle(self, *args, check: bool = False, **options):
        paths = list(po_files())
        if not paths:
            raise CommandError("No .po files found.")
        stale = [p for p in paths if not is_up_to_date(p)]
        if check:
            for path in stale:
                self.stderr.write(f"stale: {path.with_suffix('.mo')}")
            if stale:
                raise CommandError(f"{len(stale)} .mo file(s) out of date; run compilemessages_py.")
            self.stderr.write(f"{len(paths)} catalogue(s) up to date.")
            return
        for path in paths:
            mo = compile_po(path)
            self.stderr.write(f"compiled {mo}")
