"""Who may sign which document with the agency's key (issue 15); 404 for everyone else.

- a dossier's printed forms (DOMAIN §5): the leader of the dossier's unit signs every form; the
  intake clerk also signs the forms of the intake desk (receipt 01, supplement request 02,
  refusal 03 at intake), whose signature line is the receiving officer's;
- the dossier register (form 06/07): the leader of the units it covers;
- a blocking look-up certificate (DOMAIN §11): whoever holds the look-up (the notary office that
  searched, or the registry officer) — the certificate is issued to them, sealed by the agency;
- the published reform results (DOMAIN §10): the appraisal council (evaluators) that publishes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from motcua.dossiers.access import get_dossier_for_user
from motcua.dossiers.formsets import FormKind
from motcua.orgs.choices import Role
from motcua.orgs.selectors import roles_in, unit_ids_for

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser
    from motcua.dossiers.formsets import FormSpec
    from motcua.dossiers.models import Dossier

#: The forms the intake desk signs (their signature line is the receiving officer's).
DESK_FORMS = frozenset({FormKind.RECEIPT, FormKind.SUPPLEMENT, FormKind.REFUSAL})


def may_sign_form(user: AnyUser, dossier: Dossier, kind: str) -> bool:
    roles = roles_in(user, dossier.unit_id)
    if Role.LEADER in roles:
        return True
    return kind in DESK_FORMS and Role.INTAKE_CLERK in roles


def get_dossier_to_sign_form(user: AnyUser, code: str, number: str) -> tuple[Dossier, FormSpec]:
    """(dossier, form spec) when the user may sign that form of that dossier, else 404."""
    from motcua.dossiers.printing.context import FORM_NUMBERS, form_spec

    if number not in FORM_NUMBERS:
        raise Http404
    dossier = get_dossier_for_user(user, code, staff_only=True)
    spec = form_spec(dossier, number)
    if (
        spec is None
        or spec.kind == FormKind.REGISTER
        or not may_sign_form(user, dossier, spec.kind)
    ):
        raise Http404
    return dossier, spec


def register_signing_units(user: AnyUser) -> set[int]:
    """The units whose register the user may sign (as their leader); empty → 404."""
    units = unit_ids_for(user, Role.LEADER)
    if not units:
        raise Http404
    return units


def may_sign_reform_results(user: AnyUser) -> bool:
    from motcua.reform.access import is_evaluator

    return is_evaluator(user)
