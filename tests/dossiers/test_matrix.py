"""The (role × state × action) matrix: `dossier_transition` allows exactly what the table says.

For every status and action, each persona acts on a fresh dossier set up (with the ORM) so that the
only possible reason for a refusal is the transition table: notes, a new appointment, a
coordinating unit and its time slot are always given, and the current step's role is the actor's.
"""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from motcua.audit.models import AuditEvent
from motcua.dossiers.choices import Status
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, Transfer
from motcua.dossiers.services import dossier_transition
from motcua.dossiers.workflow import STEP_BOUND, TRANSITIONS, Action

from .test_views_support import local, make_dossier

pytestmark = pytest.mark.django_db

#: Each persona's role in unit A (the dossiers' unit); None: no role there.
PERSONA_ROLE = {
    "clerk": "intake_clerk",
    "specialist": "specialist",
    "leader": "leader",
    "clerk_b": None,  # a clerk, but of unit B
    "auditor": "auditor",
    "citizen1": None,  # a citizen, but not this dossier's applicant
    "owner": "applicant",  # citizen2, the dossier's own applicant (pseudo-role, issue 7)
}


def actor_for(personas, persona: str):
    return personas["citizen2"] if persona == "owner" else personas[persona]


AT = local("2025-03-11T09:00")  # a Tuesday morning, well before the due time
DUE = local("2025-03-20T10:00")


def snapshot(dossier: Dossier) -> tuple:
    row = Dossier.objects.get(pk=dossier.pk)
    return (
        model_to_dict(row),
        row.updated_at,
        list(DossierStep.objects.filter(dossier=dossier).values()),
        list(Transfer.objects.filter(dossier=dossier).values()),
        DossierEvent.objects.filter(dossier=dossier).count(),
        AuditEvent.objects.count(),
    )


def setup_dossier(
    procedure, status: int, action: str, persona: str, units, applicant=None
) -> Dossier:
    role = PERSONA_ROLE[persona]
    role = role if role and role != "applicant" else "intake_clerk"
    # Step 2 of 4 has both a previous and a next step (forward / return_step possible).
    dossier = make_dossier(
        procedure,
        status=status,
        received_at=local("2025-03-10T08:00"),
        due_at=DUE if status != Status.SUBMITTED_ONLINE else local("2025-03-11T16:00"),
        step_order=2,
        step_role=role,
        applicant_user=applicant,
    )
    if action == Action.TRANSFER_BACK:
        Transfer.objects.create(
            dossier=dossier,
            to_unit=units["B"],
            sent_at=local("2025-03-10T09:00"),
            due_at=local("2025-03-11T09:00"),
        )
    return dossier


def kwargs_for(action: str, units) -> dict:
    return {
        "note": "Lý do cụ thể",
        "at": AT,
        "to_unit": units["B"] if action == Action.TRANSFER else None,
        "transfer_hours": 8 if action == Action.TRANSFER else None,
        "new_appointment": local("2025-03-25T10:00") if action == Action.APOLOGISE else None,
    }


def expected(action: str, status: int, persona: str) -> bool:
    rule = TRANSITIONS.get((action, status))
    role = PERSONA_ROLE[persona]
    return rule is not None and role is not None and role in rule.roles


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("status", list(Status))
def test_matrix(personas, procedure, units, status, action):
    outcomes = {}
    for persona in PERSONA_ROLE:
        dossier = setup_dossier(
            procedure, status, action, persona, units, applicant=personas["citizen2"]
        )
        before = snapshot(dossier)
        try:
            result = dossier_transition(
                actor=actor_for(personas, persona),
                dossier_id=dossier.pk,
                action=action,
                **kwargs_for(action, units),
            )
        except DossierError as exc:
            outcomes[persona] = False
            assert snapshot(dossier) == before, f"{persona} refused but something changed: {exc}"
            continue
        outcomes[persona] = True
        rule = TRANSITIONS[(action, status)]
        assert result.status == (rule.target if rule.target is not None else status)
        assert DossierEvent.objects.filter(dossier=dossier, action=action).count() == 1
        assert AuditEvent.objects.filter(action=f"dossier.{action}").exists()
    wanted = {persona: expected(action, status, persona) for persona in PERSONA_ROLE}
    assert outcomes == wanted


def test_matrix_covers_every_table_entry():
    """Every (action, status) pair of the table names at least one persona's role."""
    roles = {r for r in PERSONA_ROLE.values() if r}
    for (action, status), rule in TRANSITIONS.items():
        assert rule.roles & roles, (action, status)
        assert action in Action.values and status in Status.values


@pytest.mark.parametrize("action", sorted(STEP_BOUND))
def test_step_bound_actions_need_the_step_role(personas, procedure, units, action):
    """Allowed by the table but the current step belongs to another role: refused, unchanged."""
    rule_status = next(s for (a, s) in TRANSITIONS if a == action)
    rule = TRANSITIONS[(action, rule_status)]
    for persona, role in PERSONA_ROLE.items():
        if role not in rule.roles:
            continue
        other = "auditor"  # nobody's working role
        dossier = make_dossier(procedure, status=rule_status, step_order=2, step_role=other)
        before = snapshot(dossier)
        with pytest.raises(DossierError):
            dossier_transition(
                actor=actor_for(personas, persona),
                dossier_id=dossier.pk,
                action=action,
                **kwargs_for(action, units),
            )
        assert snapshot(dossier) == before


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.IN_PROGRESS])
def test_refusal_after_reception_is_the_leaders_alone(status):
    # DOMAIN §4: appraisal finds a received dossier ineligible; the competent leader refuses.
    assert TRANSITIONS[(Action.REFUSE, status)].target == Status.REFUSED
    allowed = {persona for persona in PERSONA_ROLE if expected(Action.REFUSE, status, persona)}
    assert allowed == {"leader"}
    assert expected(Action.REFUSE, Status.SUBMITTED_ONLINE, "clerk")
    assert not expected(Action.REFUSE, Status.SUBMITTED_ONLINE, "leader")
