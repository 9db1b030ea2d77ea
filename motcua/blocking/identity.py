"""Owners' identity documents in the registry (DOMAIN §12): type + number, typed by shape when a
line or an old import file gives only the number.

Where owners are written as text (the entry form's "name | ID | year" lines, the CSV import's
`owners` column), a number may carry its type as a prefix: "passport:C1234567",
"org_code:0100109106-001" (or the Vietnamese short forms hc:, msdn:, mst:, khac:). Without a prefix
the type is guessed by shape (`id_type_by_shape`): 12 digits CCCD, 9 CMND, 10 or 13 digits an
enterprise code, 6–9 letters and digits a passport.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.core.identity import IdType
from motcua.core.validators import id_type_by_shape, validate_identity_guessing

from .errors import BlockingError

#: Prefixes accepted before ":" (lowercase, without diacritics).
TYPE_PREFIXES: dict[str, str] = {
    "cccd": IdType.CCCD,
    "cancuoc": IdType.CCCD,
    "cmnd": IdType.CMND,
    "passport": IdType.PASSPORT,
    "hc": IdType.PASSPORT,
    "hochieu": IdType.PASSPORT,
    "org_code": IdType.ORG_CODE,
    "msdn": IdType.ORG_CODE,
    "mst": IdType.ORG_CODE,
    "other": IdType.OTHER,
    "khac": IdType.OTHER,
}


def split_typed(text: str) -> tuple[str, str]:
    """ "passport:C1234567" → ("passport", "C1234567"); no known prefix → ("", text)."""
    text = (text or "").strip()
    head, sep, tail = text.partition(":")
    if sep:
        kind = TYPE_PREFIXES.get(head.strip().lower().replace(" ", ""))
        if kind:
            return kind, tail.strip()
    return "", text


def typed(id_type: str, number: str) -> str:
    """The text form of an identity: the prefix only when the shape would not give the type."""
    if not number:
        return ""
    if not id_type or id_type_by_shape(number) == id_type:
        return number
    return f"{id_type}:{number}"


def check_owner_identity(id_type: str, raw: str) -> tuple[str, str]:
    """(type, normalised number) of an owner, or BlockingError naming the number; ("", "") when
    there is no number. A number without a type is typed by its shape."""
    if not id_type:
        id_type, raw = split_typed(raw)
    result = validate_identity_guessing(id_type, raw)
    if not result.ok:
        raise BlockingError(
            _("ID number %(value)s: %(reason)s") % {"value": raw, "reason": result.errors[0]}
        )
    return result.id_type, result.value


def owner_text(name: str, id_type: str, number: str) -> str:
    """ "Nguyễn Văn A (CCCD 046090001234)" as the certificate and lists print an owner."""
    if not number:
        return name
    label = str(IdType(id_type).label) if id_type in IdType.values else ""
    if not label:
        return f"{name} ({number})"
    return f"{name} ({label[:1].upper()}{label[1:]} {number})"
