"""Issue 17: statutory holidays are kept between processes, per installed `holidays` version."""

from __future__ import annotations

import json
import sys

from motcua.worktime.loader import _holidays_cache_file, statutory_holidays


def test_holidays_are_kept_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("MOTCUA_HOLIDAYS_CACHE_DIR", str(tmp_path))
    computed = statutory_holidays("VN", 2024, 2025)
    cache = _holidays_cache_file("VN", 2024, 2025)
    assert cache is not None and cache.parent == tmp_path and cache.is_file()
    assert sorted(json.loads(cache.read_text())) == sorted(d.isoformat() for d in computed)
    # Read back without the package: the same dates.
    monkeypatch.setitem(sys.modules, "holidays", None)
    assert statutory_holidays("VN", 2024, 2025) == computed


def test_the_cache_can_be_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv("MOTCUA_HOLIDAYS_CACHE_DIR", "off")
    assert _holidays_cache_file("VN", 2024, 2025) is None
    assert statutory_holidays("VN", 2024, 2024)  # computed, nothing written
