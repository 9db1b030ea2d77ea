"""Reads restricted to what the user may see.

- officers (specialist, leader) and auditors of a unit: that unit's requests, every status;
- notaries: published requests of every unit (released ones too: the history matters);
- anyone else: nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from motcua.orgs.choices import Role
from motcua.orgs.selectors import unit_ids_for

from .choices import VISIBLE_TO_NOTARIES
from .models import BlockingRequest, SearchLog

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser

OFFICER_ROLES = (Role.SPECIALIST, Role.LEADER)
#: Longest text the worklist's search box takes.
MAX_WORKLIST_SEARCH = 100
VIEWER_ROLES = (Role.SPECIALIST, Role.LEADER, Role.AUDITOR)


def officer_unit_ids(user: AnyUser) -> set[int]:
    return unit_ids_for(user, *OFFICER_ROLES)


def viewer_unit_ids(user: AnyUser) -> set[int]:
    return unit_ids_for(user, *VIEWER_ROLES)


def notary_office_ids(user: AnyUser) -> set[int]:
    return unit_ids_for(user, Role.NOTARY)


def is_notary(user: AnyUser) -> bool:
    return bool(notary_office_ids(user))


def can_search(user: AnyUser) -> bool:
    return bool(viewer_unit_ids(user) or notary_office_ids(user))


def visibility_q(user: AnyUser, prefix: str = "") -> Q | None:
    """The condition on requests the user may see, or None when they may see nothing."""
    units = viewer_unit_ids(user)
    condition = Q(pk__in=[])
    allowed = False
    if units:
        condition |= Q(**{f"{prefix}unit_id__in": units})
        allowed = True
    if is_notary(user):
        condition |= Q(**{f"{prefix}status__in": list(VISIBLE_TO_NOTARIES)})
        allowed = True
    return condition if allowed else None


def requests_for_user(user: AnyUser) -> QuerySet[BlockingRequest]:
    condition = visibility_q(user)
    if condition is None:
        return BlockingRequest.objects.none()
    return BlockingRequest.objects.filter(condition)


def worklist_for_officer(user: AnyUser) -> QuerySet[BlockingRequest]:
    """Requests of the officer's units (and auditors'), newest first, with what the list shows."""
    return (
        BlockingRequest.objects.filter(unit_id__in=viewer_unit_ids(user))
        .select_related("authority_type", "entered_by", "approved_by")
        .order_by("-received_at", "-id")
    )


def worklist_search(queryset: QuerySet[BlockingRequest], text: str) -> QuerySet[BlockingRequest]:
    """Requests whose register number, sending authority, document number, sender or summary
    contain `text` (case and Vietnamese diacritics ignored for the authority, dots, dashes and
    spaces for the document number). Owners and assets are found on the look-up page, where
    every search is logged (Decree 356/2025): the worklist search does not reach them."""
    from .keys import ident_key, name_key

    text = (text or "").strip()[:MAX_WORKLIST_SEARCH]
    if not text:
        return queryset
    condition = (
        Q(request_no__icontains=text)
        | Q(authority_name__icontains=text)
        | Q(document_number__icontains=text)
        | Q(sender_person__icontains=text)
        | Q(summary__icontains=text)
    )
    folded = name_key(text)
    if folded:
        condition |= Q(authority_key__contains=folded)
    ident = ident_key(text)
    if ident:
        condition |= Q(document_number_key__contains=ident)
    return queryset.filter(condition)


def lookup_log_for_user(user: AnyUser) -> QuerySet[SearchLog]:
    """A notary office sees its own look-ups; officers of the registry see their own too."""
    offices = notary_office_ids(user)
    condition = Q(who=user)
    if offices:
        condition |= Q(office_id__in=offices)
    return SearchLog.objects.filter(condition).select_related("who", "office")
