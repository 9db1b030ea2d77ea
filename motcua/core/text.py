"""Text normalisation for search: Vietnamese diacritics folding and identifier normalisation."""

from __future__ import annotations

import re
import unicodedata

# đ/Đ is a separate letter, not d + a combining mark, so NFD leaves it alone.
_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})
# Spaces, dots and dashes (ASCII and typographic) are ignored in serials and plates (DOMAIN §11).
_IDENTIFIER_NOISE = re.compile(r"[\s.\-\u2010-\u2015\u2212]+")


def fold(text: str) -> str:
    """Lowercase and strip Vietnamese diacritics: "Thừa Thiên Huế, Đà Nẵng" → "thua thien hue, da nang"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped).lower()


def normalize_identifier(value: str) -> str:
    """Uppercase and drop spaces, dots and dashes: "ab 123.456" → "AB123456", "75A-123.45" → "75A12345"."""
    # Removing noise can bring a combining mark next to a new base letter, and upper-casing can
    # change composition: repeat until stable so normalising twice changes nothing.
    previous = None
    while value != previous:
        previous = value
        value = unicodedata.normalize("NFC", _IDENTIFIER_NOISE.sub("", value).upper())
    return value
