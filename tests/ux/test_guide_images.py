"""The user guides' pictures (docs/images/, taken by the end-to-end tests): every picture a guide
shows exists, every role walk's picture is shown by a guide at both sizes, and the folder stays
small."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
IMAGES = DOCS / "images"
WALK = Path(__file__).with_name("test_roles_e2e.py")
REFERENCE = re.compile(r"""(?:\]\(|src=")(images/[^)"\s]+)""")


def _references() -> set[str]:
    return {ref for guide in DOCS.rglob("*.md") for ref in REFERENCE.findall(guide.read_text())}


def test_every_picture_a_guide_shows_exists():
    missing = sorted(ref for ref in _references() if not (DOCS / ref).is_file())
    assert missing == []


def test_every_role_walk_picture_is_in_a_guide_at_both_sizes():
    source = WALK.read_text()
    names = set(re.findall(r'shot="(vai-tro-[a-z0-9-]+)"', source))
    names |= {
        f"vai-tro-{slug}-trang-dau"
        for slug in re.findall(r'Role\(\s*"[^"]+",\s*"[^"]+",\s*"([a-z-]+)"', source)
    }
    names.add("vai-tro-khach-trang-chu")
    assert len(names) > 20
    shown = _references()
    missing = sorted(
        f"images/{name}-{size}.png"
        for name in names
        for size in ("1366", "390")
        if f"images/{name}-{size}.png" not in shown
    )
    assert missing == []


def test_the_pictures_stay_small():
    sizes = {path.name: path.stat().st_size for path in IMAGES.glob("*.png")}
    assert max(sizes.values()) < 400_000, max(sizes, key=sizes.get)
    assert sum(sizes.values()) < 6_000_000
