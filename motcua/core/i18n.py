"""Translation catalogues compiled with polib, so no system gettext is needed (ADR 0001)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings


def locale_dirs() -> list[Path]:
    """LOCALE_PATHS plus the locale/ folder of each motcua app (never third-party packages)."""
    dirs = [Path(p) for p in settings.LOCALE_PATHS]
    for config in apps.get_app_configs():
        if config.name != "motcua" and not config.name.startswith("motcua."):
            continue
        candidate = Path(config.path) / "locale"
        if candidate.is_dir() and candidate not in dirs:
            dirs.append(candidate)
    return dirs


def po_files() -> Iterator[Path]:
    """Every .po file under the locale folders, in a stable order."""
    for directory in locale_dirs():
        yield from sorted(directory.glob("*/LC_MESSAGES/*.po"))


def catalogue(entries) -> dict[tuple[str | None, str], object]:
    """(msgctxt, msgid) → msgstr (or plural forms) for comparison of a .po with its .mo."""
    result: dict[tuple[str | None, str], object] = {}
    for entry in entries:
        if entry.msgid_plural:
            value: object = (entry.msgid_plural, tuple(sorted(entry.msgstr_plural.items())))
        else:
            value = entry.msgstr
        result[(entry.msgctxt or None, entry.msgid)] = value
    return result


def is_up_to_date(po_path: Path) -> bool:
    """True when the .mo next to po_path holds exactly the .po's translated entries."""
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return False
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(mo_path))
    return catalogue(po.translated_entries()) == catalogue(mo) and po.metadata == mo.metadata


def compile_po(po_path: Path) -> Path:
    """Write the .mo next to the .po and return its path."""
    mo_path = po_path.with_suffix(".mo")
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return mo_path
