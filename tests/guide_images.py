"""Where the end-to-end tests put their screenshots.

The screenshots double as the user guides' pictures (docs/images/). A normal test run writes them
to a scratch folder so that it does not rewrite committed files; to refresh the guides, run the
end-to-end tests with MOTCUA_GUIDE_SCREENSHOTS=1 and commit docs/images/.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

DOCS_IMAGES = Path(__file__).resolve().parents[1] / "docs" / "images"


def images_dir() -> Path:
    if os.environ.get("MOTCUA_GUIDE_SCREENSHOTS") == "1":
        return DOCS_IMAGES
    scratch = Path(tempfile.gettempdir()) / "motcua-screenshots"
    scratch.mkdir(exist_ok=True)
    return scratch


def guide_mode() -> bool:
    return os.environ.get("MOTCUA_GUIDE_SCREENSHOTS") == "1"


def save_screenshot(page, name: str, *, full_page: bool = False) -> Path:
    """The page (its viewport unless `full_page`) as a PNG in images_dir().

    For the guides the picture is reduced to at most 96 colours, without dithering: screenshots of
    forms and tables stay sharp and take a fifth of the space (docs/images must stay small)."""
    path = images_dir() / name
    data = page.screenshot(full_page=full_page)
    if not guide_mode():
        path.write_bytes(data)
        return path
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    small = image.quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)
    return path
