"""Who may enter, see and search transactions.

- enter and correct, see the record: the organisation's notaries (role `notary` in the unit) and its
  clerks (role `intake_clerk` in a unit of kind `notary_office`) — their own organisation only;
- search (results and warnings, never the record page of another organisation): every notary, and
  the blocking registry's officers and auditors (the department keeps the database);
- anyone else: nothing (404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from motcua.blocking.selectors import can_search
from motcua.orgs.choices import Role, UnitKind
from motcua.orgs.models import Unit
from motcua.orgs.selectors import unit_ids_for

from .models import Transaction

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser


def office_ids(user: AnyUser) -> set[int]:
    """The notary organisations whose transactions the user enters and sees."""
    notary = unit_ids_for(user, Role.NOTARY)
    clerk = unit_ids_for(user, Role.INTAKE_CLERK)
    if clerk:
        clerk = set(
            Unit.objects.filter(pk__in=clerk, kind=UnitKind.NOTARY_OFFICE).values_list(
                "pk", flat=True
            )
        )
    return notary | clerk


def can_search_transactions(user: AnyUser) -> bool:
    return can_search(user)


def transactions_for_user(user: AnyUser) -> QuerySet[Transaction]:
    """The organisation's own transactions (newest first)."""
    return Transaction.objects.filter(office_id__in=office_ids(user)).select_related("office")
