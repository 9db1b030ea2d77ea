"""The dossier state machine of DOMAIN §4 as a table: (action, from status) → (to status, roles).

Services consult this table and nothing else to decide whether a transition is allowed; there is no
other way to change a dossier's status.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.orgs.choices import Role

from .choices import Status

CLERK, SPECIALIST, LEADER = Role.INTAKE_CLERK, Role.SPECIALIST, Role.LEADER
#: Pseudo-role held by the dossier's own applicant (actor == dossier.applicant_user), never a unit
#: membership: the citizen portal's actions go through this same table (issue 7).
APPLICANT = "applicant"


class Action(models.TextChoices):
    ACCEPT = "accept", _("accept the online dossier")
    REFUSE = "refuse", _("refuse")
    REQUEST_SUPPLEMENT = "request_supplement", _("request a supplement")
    SUPPLEMENT_RECEIVED = "supplement_received", _("supplement received")
    FORWARD = "forward", _("forward to the next step")
    RETURN_STEP = "return_step", _("return to the previous step")
    TRANSFER = "transfer", _("transfer to a coordinating agency")
    TRANSFER_BACK = "transfer_back", _("coordinating agency answered")
    REQUEST_PAYMENT = "request_payment", _("request fee payment")
    PAYMENT_RECEIVED = "payment_received", _("fee paid")
    STOP = "stop", _("stop processing")
    WITHDRAW = "withdraw", _("withdraw at the applicant's request")
    APOLOGISE = "apologise", _("apologise and give a new appointment")
    RESULT_READY = "result_ready", _("result ready")
    RETURN_RESULT = "return_result", _("return the result")
    SUPPLEMENT_ONLINE = "supplement_online", _("supplement submitted online by the applicant")
    PAY_ONLINE = "pay_online", _("fee paid online")
    COLLECT_RESULT = "collect_result", _("electronic result collected by the applicant")


@dataclass(frozen=True)
class Rule:
    target: Status | None  # None: the status does not change
    roles: frozenset[str]


def _r(target: Status | None, *roles: str) -> Rule:
    return Rule(target, frozenset(roles))


S = Status
TRANSITIONS: dict[tuple[str, int], Rule] = {
    (Action.ACCEPT, S.SUBMITTED_ONLINE): _r(S.RECEIVED, CLERK),
    (Action.REFUSE, S.SUBMITTED_ONLINE): _r(S.REFUSED, CLERK),
    # Refusal after reception: appraisal finds the dossier ineligible; the competent leader
    # signs form 03 with the reasons (DOMAIN §4). The dossier keeps its reception time.
    (Action.REFUSE, S.RECEIVED): _r(S.REFUSED, LEADER),
    (Action.REFUSE, S.IN_PROGRESS): _r(S.REFUSED, LEADER),
    (Action.REQUEST_SUPPLEMENT, S.SUBMITTED_ONLINE): _r(S.WAITING_SUPPLEMENT, CLERK),
    (Action.REQUEST_SUPPLEMENT, S.RECEIVED): _r(S.WAITING_SUPPLEMENT, CLERK, SPECIALIST),
    (Action.REQUEST_SUPPLEMENT, S.IN_PROGRESS): _r(S.WAITING_SUPPLEMENT, SPECIALIST, LEADER),
    (Action.SUPPLEMENT_RECEIVED, S.WAITING_SUPPLEMENT): _r(S.IN_PROGRESS, CLERK),
    (Action.FORWARD, S.RECEIVED): _r(S.IN_PROGRESS, CLERK),
    (Action.FORWARD, S.IN_PROGRESS): _r(None, SPECIALIST, LEADER),
    (Action.RETURN_STEP, S.IN_PROGRESS): _r(None, SPECIALIST, LEADER),
    (Action.TRANSFER, S.IN_PROGRESS): _r(None, SPECIALIST, LEADER),
    (Action.TRANSFER_BACK, S.IN_PROGRESS): _r(None, SPECIALIST, LEADER),
    (Action.REQUEST_PAYMENT, S.RECEIVED): _r(S.WAITING_PAYMENT, CLERK),
    (Action.REQUEST_PAYMENT, S.IN_PROGRESS): _r(S.WAITING_PAYMENT, SPECIALIST, LEADER),
    (Action.PAYMENT_RECEIVED, S.WAITING_PAYMENT): _r(S.IN_PROGRESS, CLERK),
    (Action.WITHDRAW, S.SUBMITTED_ONLINE): _r(S.WITHDRAWN, CLERK, APPLICANT),
    (Action.WITHDRAW, S.RECEIVED): _r(S.WITHDRAWN, CLERK, APPLICANT),
    (Action.WITHDRAW, S.IN_PROGRESS): _r(S.WITHDRAWN, CLERK, APPLICANT),
    (Action.WITHDRAW, S.WAITING_SUPPLEMENT): _r(S.WITHDRAWN, CLERK, APPLICANT),
    (Action.WITHDRAW, S.WAITING_PAYMENT): _r(S.WITHDRAWN, CLERK, APPLICANT),
    (Action.STOP, S.RECEIVED): _r(S.STOPPED, LEADER),
    (Action.STOP, S.IN_PROGRESS): _r(S.STOPPED, LEADER),
    (Action.STOP, S.WAITING_SUPPLEMENT): _r(S.STOPPED, LEADER),
    (Action.STOP, S.WAITING_PAYMENT): _r(S.STOPPED, LEADER),
    (Action.APOLOGISE, S.IN_PROGRESS): _r(None, LEADER),
    (Action.APOLOGISE, S.WAITING_SUPPLEMENT): _r(None, LEADER),
    (Action.APOLOGISE, S.WAITING_PAYMENT): _r(None, LEADER),
    (Action.RESULT_READY, S.IN_PROGRESS): _r(S.RESULT_READY, LEADER),
    (Action.RETURN_RESULT, S.RESULT_READY): _r(S.RETURNED, CLERK),
    # The applicant's own actions (citizen portal). A supplement before reception sends the
    # dossier back to the intake queue (status 1, a fresh 8-working-hour limit); after reception it
    # stays "waiting for supplement" until the clerk confirms it is complete (supplement_received).
    (Action.SUPPLEMENT_ONLINE, S.WAITING_SUPPLEMENT): _r(None, APPLICANT),
    # Only the payments service calls this, after the provider confirmed the payment.
    (Action.PAY_ONLINE, S.WAITING_PAYMENT): _r(S.IN_PROGRESS, APPLICANT),
    (Action.COLLECT_RESULT, S.RESULT_READY): _r(S.RETURNED, APPLICANT),
}

#: Actions that also require the actor to hold the role of the dossier's current step.
STEP_BOUND = frozenset({Action.FORWARD, Action.RETURN_STEP, Action.RESULT_READY})


def rule_for(action: str, status: int) -> Rule | None:
    return TRANSITIONS.get((action, status))


def allowed_actions(status: int, roles: set[str], step_role: str | None = None) -> list[str]:
    """Actions the state machine lets someone with `roles` take now (for showing buttons)."""
    out = []
    for (action, source), rule in TRANSITIONS.items():
        if source != status or not (rule.roles & roles):
            continue
        if action in STEP_BOUND and step_role is not None and step_role not in roles:
            continue
        out.append(action)
    return out
