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
