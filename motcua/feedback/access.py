"""Who may see and handle citizen feedback (PAKN): issue 13 gap 8, least privilege in the data.

A feedback carries the sender's name, phone and e-mail. Only the roles that handle citizens'
matters see it: the intake desk, specialists and leaders of the unit, and its auditors (read-only).
Notaries, reform officers and appraisal-council members of the same unit get 404, like anyone else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from motcua.orgs.choices import Role
from motcua.orgs.selectors import unit_ids_for

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser

#: Roles that read a unit's feedback (the sender's personal data included).
FEEDBACK_READ_ROLES = (Role.INTAKE_CLERK, Role.SPECIALIST, Role.LEADER, Role.AUDITOR)
#: Roles a feedback may be assigned to, and that may answer it when assigned.
FEEDBACK_HANDLE_ROLES = frozenset({Role.INTAKE_CLERK, Role.SPECIALIST, Role.LEADER})


def feedback_unit_ids(user: AnyUser) -> set[int]:
    """The units whose feedback `user` may read; 404 when there are none."""
    ids = unit_ids_for(user, *FEEDBACK_READ_ROLES)
    if not ids:
        raise Http404
    return ids
