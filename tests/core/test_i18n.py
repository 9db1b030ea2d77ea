"""The committed .mo files must match the hand-maintained .po files (see docs/i18n.md)."""

from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.utils import translation

from motcua.core.i18n import catalogue, compile_po, is_up_to_date, po_files

LOCALE = Path(__file__).resolve().parents[2] / "motcua" / "locale"


def test_both_catalogues_exist():
    assert (LOCALE / "vi" / "LC_MESSAGES" / "django.po").exists()
    assert (LOCALE / "en" / "LC_MESSAGES" / "django.po").exists()


@pytest.mark.parametrize("po_path", sorted(LOCALE.glob("*/LC_MESSAGES/*.po")), ids=str)
def test_committed_mo_is_up_to_date(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run `motcua compilemessages_py`"
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(mo_path))
    assert catalogue(po.translated_entries()) == catalogue(mo), (
        f"{mo_path} is stale: run `motcua compilemessages_py` and commit the .mo"
    )
    assert is_up_to_date(po_path)


def test_every_vietnamese_entry_is_translated():
    po = polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))
    assert not po.untranslated_entries()
    assert not po.fuzzy_entries()
    assert po.percent_translated() == 100


def test_po_files_only_covers_motcua():
    paths = list(po_files())
    assert paths
    assert all("site-packages" not in str(p) for p in paths)


def test_compile_roundtrip(tmp_path):
    source = LOCALE / "vi" / "LC_MESSAGES" / "django.po"
    po_copy = tmp_path / "django.po"
    po_copy.write_bytes(source.read_bytes())
    assert not is_up_to_date(po_copy)
    compile_po(po_copy)
    assert is_up_to_date(po_copy)


def test_check_mode_passes_on_committed_files():
    call_command("compilemessages_py", "--check")


def test_translation_is_active():
    with translation.override("vi"):
        assert (
            translation.gettext("Friendly – On time – Simple") == "Thân thiện – Đúng hẹn – Đơn giản"
        )
    with translation.override("en"):
        assert translation.gettext("Friendly – On time – Simple") == "Friendly – On time – Simple"
