"""Writes of the feedback app: ratings (citizens) and PAKN (citizens, leaders, officers).

Every call is atomic and writes one audit event. Ratings are append-only: no service changes one.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.services import audit_record
from motcua.dossiers.choices import SETTLED
from motcua.dossiers.models import Dossier
from motcua.orgs.choices import Role
from motcua.orgs.models import Unit
from motcua.orgs.selectors import roles_in
from motcua.worktime import get_calendar

from .access import FEEDBACK_HANDLE_ROLES
from .choices import INDICES, FeedbackKind, FeedbackStatus, FeedbackTopic, Overall, SenderVerdict
from .models import Feedback, FeedbackSettings, Rating

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser, User


class FeedbackError(Exception):
    """A refused write; the message is shown to the user as it is."""


NOT_SETTLED = _("This dossier has no result yet; it can be rated once the result is issued.")
ALREADY_RATED = _("This dossier has already been rated. Thank you!")


@transaction.atomic
def rating_create(
    *,
    actor: AnyUser | None,
    dossier: Dossier,
    answers: dict,
    ip: str | None = None,
    now: datetime | None = None,
) -> Rating:
    """Record the citizen's rating of a settled dossier (one per dossier, DOMAIN §8)."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.status not in SETTLED:
        raise FeedbackError(NOT_SETTLED)
    if Rating.objects.filter(dossier=dossier).exists():
        raise FeedbackError(ALREADY_RATED)
    overall = (answers["overall_service"], answers["overall_result"])
    rating = Rating(
        dossier=dossier,
        overall_service=answers["overall_service"],
        overall_result=answers["overall_result"],
        comment=(answers.get("comment") or "").strip(),
        satisfied=Overall.NOT_SATISFIED not in overall,
        created_at=now or timezone.now(),
        **{name: answers[name] for name, _label in INDICES},
    )
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError as exc:  # a parallel submission won the race
        raise FeedbackError(ALREADY_RATED) from exc
    audit_record(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action="rating_create",
        obj=rating,
        data={"dossier": dossier.code, "satisfied": rating.satisfied},
        ip=ip,
    )
    return rating


def _new_code(now: datetime) -> str:
    return f"PAKN-{timezone.localtime(now):%y%m%d}-{secrets.token_hex(3).upper()}"


@transaction.atomic
def feedback_receive(
    *,
    actor: AnyUser | None,
    unit: Unit,
    kind: str,
    sender_name: str,
    sender_phone: str,
    content: str,
    sender_email: str = "",
    dossier: Dossier | None = None,
    now: datetime | None = None,
    ip: str | None = None,
) -> Feedback:
    """Register a citizen's feedback; the answer is due after the configured working days."""
    if kind not in FeedbackKind.values:
        raise FeedbackError(_("Unknown kind of feedback."))
    if dossier is not None and dossier.unit_id != unit.pk:
        raise FeedbackError(_("The dossier does not belong to this unit."))
    now = now or timezone.now()
    limits = FeedbackSettings.current()
    # DOMAIN §7, 5.2: reject, more information and answer are all counted from reception.
    due = _after_working_days(unit, now, limits.answer_working_days)
    for _attempt in range(5):
        code = _new_code(now)
        if not Feedback.objects.filter(code=code).exists():
            break
    item = Feedback.objects.create(
        code=code,
        unit=unit,
        dossier=dossier,
        kind=kind,
        sender_name=sender_name.strip(),
        sender_phone=sender_phone.strip(),
        sender_email=sender_email.strip(),
        content=content.strip(),
        received_at=now,
        due_at=due,
        reject_due_at=_after_working_days(unit, now, limits.reject_working_days),
        info_due_at=_after_working_days(unit, now, limits.info_working_days),
    )
    audit_record(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action="feedback_receive",
        obj=item,
        to_state=item.status,
        ip=ip,
    )
    return item


def _after_working_days(unit: Unit, start: datetime, days: int) -> datetime:
    """`days` working days after `start` on the unit's calendar."""
    calendar = get_calendar(unit.calendar_name)
    return calendar.add(start, hours=days * calendar.spec.hours_per_day)


def _locked(feedback_id: int) -> Feedback:
    return (
        Feedback.objects.select_for_update(of=("self",)).select_related("unit").get(pk=feedback_id)
    )


def _may_handle(actor: AnyUser, item: Feedback) -> bool:
    """A leader of the unit, or the assigned (or answering) officer still in a handling role."""
    roles = roles_in(actor, item.unit_id)
    if Role.LEADER in roles:
        return True
    return bool(roles & FEEDBACK_HANDLE_ROLES) and actor.pk in (
        item.assignee_id,
        item.answered_by_id,
    )


CLOSED = _("This feedback has already been answered or rejected.")


@transaction.atomic
def feedback_assign(*, actor: AnyUser, feedback_id: int, assignee: User) -> Feedback:
    """A leader of the unit hands the feedback to one of the unit's officers."""
    item = _locked(feedback_id)
    if Role.LEADER not in roles_in(actor, item.unit_id):
        raise FeedbackError(_("Only a leader of the unit can assign feedback."))
    if not item.is_open:
        raise FeedbackError(CLOSED)
    if not roles_in(assignee, item.unit_id) & FEEDBACK_HANDLE_ROLES:
        raise FeedbackError(_("The officer does not work in this unit."))
    before = item.status
    item.assignee, item.assigned_at, item.status = assignee, timezone.now(), FeedbackStatus.ASSIGNED
    item.save(update_fields=["assignee", "assigned_at", "status"])
    audit_record(
        actor=actor,
        action="feedback_assign",
        obj=item,
        from_state=before,
        to_state=item.status,
        data={"assignee": assignee.pk},
    )
    return item


@transaction.atomic
def feedback_answer(
    *, actor: User, feedback_id: int, answer: str, now: datetime | None = None
) -> Feedback:
    """The assigned officer (or a leader of the unit) answers the feedback."""
    item = _locked(feedback_id)
    if not _may_handle(actor, item):
        raise FeedbackError(_("Only the assigned officer or a leader can answer."))
    if not item.is_open:
        raise FeedbackError(CLOSED)
    text = (answer or "").strip()
    if not text:
        raise FeedbackError(_("Write the answer."))
    before = item.status
    item.answer, item.answered_at, item.answered_by = text, now or timezone.now(), actor
    item.status = FeedbackStatus.ANSWERED
    # DOMAIN §7, 5.2: the answer must be published within the limit after the answer.
    item.publish_due_at = _after_working_days(
        item.unit, item.answered_at, FeedbackSettings.current().publish_working_days
    )
    item.save(update_fields=["answer", "answered_at", "answered_by", "status", "publish_due_at"])
    audit_record(
        actor=actor,
        action="feedback_answer",
        obj=item,
        from_state=before,
        to_state=item.status,
        data={"on_time": item.answered_on_time},
    )
    return item


@transaction.atomic
def feedback_verdict(
    *, actor: AnyUser | None, feedback_id: int, verdict: str, ip: str | None = None
) -> Feedback:
    """The sender says once whether the answer satisfied them (766 group 5, ratio 2)."""
    item = _locked(feedback_id)
    if verdict not in SenderVerdict.values:
        raise FeedbackError(_("Choose satisfied or not satisfied."))
    if item.status != FeedbackStatus.ANSWERED:
        raise FeedbackError(_("This feedback has not been answered yet."))
    if item.sender_verdict:
        raise FeedbackError(_("You have already given your opinion of this answer."))
    item.sender_verdict = verdict
    item.save(update_fields=["sender_verdict"])
    audit_record(actor=None, action="feedback_verdict", obj=item, to_state=verdict, ip=ip)
    return item


@transaction.atomic
def feedback_classify(*, actor: User, feedback_id: int, topic: str) -> Feedback:
    """An officer of the unit classifies the feedback (DOMAIN §7, 5.1): policy, procedure or an
    official's conduct. It may be corrected later; each change is one audit event."""
    item = _locked(feedback_id)
    if not roles_in(actor, item.unit_id):
        raise FeedbackError(_("Only an officer of the unit can classify feedback."))
    if topic not in FeedbackTopic.values:
        raise FeedbackError(_("Choose what the feedback is about."))
    before = item.topic
    if before == topic:
        return item
    item.topic = topic
    item.save(update_fields=["topic"])
    audit_record(
        actor=actor, action="feedback_classify", obj=item, from_state=before, to_state=topic
    )
    return item


@transaction.atomic
def feedback_reject(
    *, actor: User, feedback_id: int, reason: str, now: datetime | None = None
) -> Feedback:
    """The assigned officer or a leader rejects the feedback, with the reason (DOMAIN §7, 5.2:
    within the reject limit of reception)."""
    item = _locked(feedback_id)
    if not _may_handle(actor, item):
        raise FeedbackError(_("Only the assigned officer or a leader can reject feedback."))
    if not item.is_open:
        raise FeedbackError(CLOSED)
    text = (reason or "").strip()
    if not text:
        raise FeedbackError(_("Write the reason for rejecting the feedback."))
    before = item.status
    item.rejected_at, item.reject_reason = now or timezone.now(), text
    item.status = FeedbackStatus.REJECTED
    item.save(update_fields=["rejected_at", "reject_reason", "status"])
    audit_record(
        actor=actor,
        action="feedback_reject",
        obj=item,
        from_state=before,
        to_state=item.status,
        data={"on_time": item.reject_due_at is None or item.rejected_at <= item.reject_due_at},
    )
    return item


@transaction.atomic
def feedback_request_info(
    *, actor: User, feedback_id: int, note: str, now: datetime | None = None
) -> Feedback:
    """The assigned officer or a leader asks the sender for more information, once (DOMAIN §7,
    5.2: within the information limit of reception). The feedback stays open."""
    item = _locked(feedback_id)
    if not _may_handle(actor, item):
        raise FeedbackError(_("Only the assigned officer or a leader can ask for information."))
    if not item.is_open:
        raise FeedbackError(CLOSED)
    if item.info_requested_at is not None:
        raise FeedbackError(_("More information has already been requested for this feedback."))
    text = (note or "").strip()
    if not text:
        raise FeedbackError(_("Write what information is needed."))
    item.info_requested_at, item.info_note = now or timezone.now(), text
    item.save(update_fields=["info_requested_at", "info_note"])
    audit_record(
        actor=actor,
        action="feedback_request_info",
        obj=item,
        from_state=item.status,
        to_state=item.status,
        data={"on_time": item.info_due_at is None or item.info_requested_at <= item.info_due_at},
    )
    return item


@transaction.atomic
def feedback_publish(*, actor: User, feedback_id: int, now: datetime | None = None) -> Feedback:
    """Publish the answer (DOMAIN §7, 5.2: within the publish limit after the answer)."""
    item = _locked(feedback_id)
    if not _may_handle(actor, item):
        raise FeedbackError(_("Only the assigned officer or a leader can publish the answer."))
    if item.status != FeedbackStatus.ANSWERED:
        raise FeedbackError(_("This feedback has not been answered yet."))
    if item.published_at is not None:
        raise FeedbackError(_("The answer has already been published."))
    item.published_at = now or timezone.now()
    item.save(update_fields=["published_at"])
    audit_record(
        actor=actor,
        action="feedback_publish",
        obj=item,
        from_state=item.status,
        to_state=item.status,
        data={"on_time": item.publish_due_at is None or item.published_at <= item.publish_due_at},
    )
    return item
