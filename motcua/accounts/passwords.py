"""Password policy: a bundled list of weak passwords, common in Vietnam and in the Department.

Used with Django's validators (settings.AUTH_PASSWORD_VALIDATORS): at least 10 characters, the
similarity check against the user's own data, Django's 20,000 common passwords, not only
digits, and this list (motcua/accounts/weak_passwords.txt). Demo accounts are created by the demo
loaders with ``set_password`` and are not validated (docs/deploy.md).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.core.text import fold

WEAK_LIST = Path(__file__).with_name("weak_passwords.txt")
_NOT_LETTER = re.compile(r"[^a-z]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


@cache
def weak_passwords(path: Path = WEAK_LIST) -> frozenset[str]:
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(_NOT_ALNUM.sub("", fold(line)))
    return frozenset(words)


def _variants(password: str) -> set[str]:
    """The forms compared with the list: whole (letters and digits), letters only."""
    folded = fold(password)
    return {_NOT_ALNUM.sub("", folded), _NOT_LETTER.sub("", folded)} - {""}


class WeakPasswordValidator:
    """Refuse passwords on the bundled list, whatever their case, diacritics, digits and symbols."""

    def validate(self, password: str, user=None) -> None:
        if _variants(password) & weak_passwords():
            raise ValidationError(
                _("This password is too easy to guess (a common word, name or pattern)."),
                code="password_weak_vi",
            )

    def get_help_text(self) -> str:
        return _("Your password can't be a common word, a place name or a simple pattern.")
