"""Text forms of parties shared by the entry page and the import: "Role|Name|ID" items separated by
";" (the CSV column) or by new lines (the page). The role is a code (`transferor`…) or its
Vietnamese name ("bên bán", "bên nhận thế chấp"…); the ID may carry its type as a prefix
("passport:C1234567", as the blocking registry's owners)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from motcua.core.text import fold

from .choices import PartyRole
from .errors import NotaryError
from .services import PartyInput

#: Vietnamese names of the roles, folded (no diacritics, lowercase, single spaces).
ROLE_ALIASES: dict[str, str] = {
    "ben ban": PartyRole.TRANSFEROR,
    "ben chuyen nhuong": PartyRole.TRANSFEROR,
    "ben tang cho": PartyRole.TRANSFEROR,
    "ben doi": PartyRole.TRANSFEROR,
    "ben mua": PartyRole.TRANSFEREE,
    "ben nhan chuyen nhuong": PartyRole.TRANSFEREE,
    "ben duoc tang cho": PartyRole.TRANSFEREE,
    "ben nhan tang cho": PartyRole.TRANSFEREE,
    "ben nhan doi": PartyRole.TRANSFEREE,
    "ben the chap": PartyRole.MORTGAGOR,
    "ben nhan the chap": PartyRole.MORTGAGEE,
    "ben cho thue": PartyRole.LESSOR,
    "ben thue": PartyRole.LESSEE,
    "ben uy quyen": PartyRole.PRINCIPAL,
    "ben duoc uy quyen": PartyRole.AGENT,
    "nguoi thua ke": PartyRole.HEIR,
    "ben khac": PartyRole.OTHER,
}


def parse_role(text: str) -> str:
    key = " ".join(fold(text or "").replace("_", " ").split())
    if key.replace(" ", "_") in PartyRole.values:
        return key.replace(" ", "_")
    role = ROLE_ALIASES.get(key)
    if role is None:
        raise NotaryError(_("Unknown party role: %(role)s.") % {"role": text.strip()})
    return role


def parse_parties(text: str) -> list[PartyInput]:
    """ "transferor|Nguyễn Văn A|046090001234; bên mua|Lê Thị B|046190005678" → parties."""
    parties = []
    for item in re.split(r"[;\n]", text or ""):
        if not item.strip():
            continue
        parts = [p.strip() for p in item.split("|")]
        if len(parts) < 2 or len(parts) > 3 or not parts[1]:
            raise NotaryError(
                _("Party “%(item)s”: write Role|Name|ID (the ID may be empty).")
                % {"item": item.strip()}
            )
        parties.append(
            PartyInput(parse_role(parts[0]), parts[1], parts[2] if len(parts) > 2 else "")
        )
    return parties


def parties_text(parties) -> str:
    """The page's text form of parties (one per line), for the correction form."""
    from motcua.blocking.identity import typed

    return "\n".join(f"{p.role} | {p.name} | {typed(p.id_type, p.id_number)}" for p in parties)
