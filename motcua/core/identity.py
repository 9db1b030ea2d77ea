"""Identity document types of applicants and owners (DOMAIN §12): a type and a number.

A Department of Justice serves foreigners and organisations too, so an identity is never a bare
number. Validation per type lives in `motcua.core.validators`; this module only names the types and
guesses the type of a legacy number from its shape (used by the data migrations).
"""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdType(models.TextChoices):
    """DOMAIN §12: CCCD/căn cước, CMND (legacy), passport, enterprise/organisation code, other."""

    CCCD = "cccd", _("citizen ID card (CCCD / căn cước)")
    CMND = "cmnd", _("old ID card (CMND)")
    PASSPORT = "passport", _("passport")
    ORG_CODE = "org_code", _("enterprise / organisation code")
    OTHER = "other", _("other document")


_DIGITS = re.compile(r"\d+")


def guess_id_type(number: str) -> str:
    """The type a stored number most likely is, by its shape: 12 digits CCCD, 9 digits CMND.

    Empty for an empty number; `other` for anything else (a person checks it later)."""
    value = re.sub(r"[\s.\-]", "", number or "")
    if not value:
        return ""
    if _DIGITS.fullmatch(value) and len(value) == 12:
        return IdType.CCCD
    if _DIGITS.fullmatch(value) and len(value) == 9:
        return IdType.CMND
    return IdType.OTHER
