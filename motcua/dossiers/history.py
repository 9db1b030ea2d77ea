"""A dossier event as a sentence a person reads (issue 14): the staff dossier page, the citizen's
dossier page and the public tracking page all word their history from here.

The buttons keep the imperative labels of `workflow.Action` ("forward to the next step"); the history
says what happened ("The dossier was passed to the next step.").
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.dossiers.choices import Status

#: action code → what happened, as a sentence.
EVENT_SENTENCES = {
    "submit_online": _("The dossier was submitted online."),
    "receive": _("The one-stop desk received the dossier."),
    "refuse_at_counter": _("The one-stop desk refused to receive the dossier."),
    "accept": _("The online dossier was accepted."),
    "refuse": _("The dossier was refused."),
    "request_supplement": _("The agency asked for the dossier to be supplemented."),
    "supplement_received": _("The supplement was received."),
    "forward": _("The dossier was passed to the next step."),
    "return_step": _("The dossier was sent back to the previous step."),
    "transfer": _("The dossier was sent to a coordinating agency."),
    "transfer_back": _("The coordinating agency answered."),
    "request_payment": _("The agency asked for the fees to be paid."),
    "payment_received": _("The fees were paid."),
    "stop": _("Processing of the dossier was stopped."),
    "withdraw": _("The dossier was withdrawn at the applicant's request."),
    "apologise": _("The agency apologised and gave a new appointment."),
    "result_ready": _("The result is ready."),
    "return_result": _("The result was handed to the applicant."),
    "supplement_online": _("The applicant supplemented the dossier online."),
    "pay_online": _("The applicant paid the fees online."),
    "collect_result": _("The applicant downloaded the electronic result."),
}

#: Actions whose sentence already says where the dossier now stands: no "status: …" after them.
_SAYS_ITS_STATUS = frozenset(
    {
        "submit_online",
        "receive",
        "refuse_at_counter",
        "refuse",
        "request_supplement",
        "request_payment",
        "stop",
        "withdraw",
        "result_ready",
        "return_result",
    }
)


def event_sentence(action: str) -> str:
    """The sentence of an action code; an unknown code (an older or foreign event) as it is."""
    sentence = EVENT_SENTENCES.get(action)
    return str(sentence) if sentence is not None else action


def status_after(action: str, from_status: int | None, to_status: int | None) -> str | None:
    """The new status's label when the event changed it and its sentence does not say so."""
    if not to_status or to_status == from_status or action in _SAYS_ITS_STATUS:
        return None
    return str(Status(to_status).label)


def event_lines(events) -> list[tuple[object, str, str | None]]:
    """(event, sentence, new status or None) for the timeline of a dossier page."""
    return [
        (e, event_sentence(e.action), status_after(e.action, e.from_status, e.to_status))
        for e in events
    ]
