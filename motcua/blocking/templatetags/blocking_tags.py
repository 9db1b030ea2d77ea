"""Template filters of the registry pages."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.blocking.identity import owner_text as _owner_text

register = template.Library()


@register.filter
def owner_text(owner: Any) -> str:
    """An owner (model row or the dict of a search result) as "Name (Hộ chiếu C1234567)"."""
    if isinstance(owner, dict):
        return _owner_text(
            owner.get("name", ""), owner.get("id_type", ""), owner.get("id_number", "")
        )
    return _owner_text(owner.name, owner.id_type, owner.id_number)


@register.filter
def tx_kind(kind: str) -> str:
    """A notarized transaction's kind in words (issue 16)."""
    from motcua.notary.choices import TxKind

    return str(TxKind(kind).label) if kind in TxKind.values else kind


@register.filter
def party_role(role: str) -> str:
    """A party's role in words (issue 16)."""
    from motcua.notary.choices import PartyRole

    return str(PartyRole(role).label) if role in PartyRole.values else role


@register.filter
def enters_transactions(user: Any) -> bool:
    """The user is a notary or clerk of a notary organisation (issue 16: link to its pages)."""
    from motcua.notary.selectors import office_ids

    return bool(office_ids(user))
