"""Background jobs: reminders before a step is due, escalation when overdue, monthly figures.

Each job is idempotent: a message is sent at most once (a `JobMark` row, unique per kind and
key, is written in the same transaction as the send is logged), and the monthly figures are
rewritten in place. Run them from cron / systemd timers (`motcua report remind|escalate|monthly`)
or enqueue the django-tasks wrappers in `motcua.reports.tasks` for the `db_worker`.

Emails go through the notifications app's transport (Django's email backend, settings
MOTCUA_EMAIL_URL) and are logged in its delivery log (`notifications.Delivery`). Their texts are
the notifications app's message templates `step_reminder` and `step_overdue`, which
administrators edit in the admin (built-in texts and placeholders: `motcua.notifications.defaults`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.choices import OPEN
from motcua.dossiers.models import DossierStep
from motcua.notifications.models import Channel, Delivery, DeliveryStatus, TemplateKey
from motcua.notifications.services import public_url, render_message
from motcua.orgs.choices import Role
from motcua.orgs.models import Membership
from motcua.worktime import get_calendar

from .models import JobMark, ReportSettings

logger = logging.getLogger("motcua.reports.jobs")


@dataclass
class JobResult:
    sent: int = 0
    skipped: int = 0  # already sent before (idempotence) or nobody to send to
    failed: int = 0


def _send(*, kind: TemplateKey, mark: str, to: list[str], context: dict, step: DossierStep) -> str:
    """Send message `kind` once per (kind, mark): 'sent', 'skipped' or 'failed' (retried next run).

    The text is rendered only once the mark is taken, so steps already reminded cost no rendering.
    """
    if not to:
        return "skipped"
    subject = body = ""

    def log(error: str = "") -> None:
        for address in to:
            Delivery.objects.create(
                channel=Channel.EMAIL,
                recipient=address,
                key=kind,
                subject=subject[:255],
                body=body,
                dossier=step.dossier,
                dossier_code=step.dossier.code,
                status=DeliveryStatus.FAILED if error else DeliveryStatus.SENT,
                error=error,
            )

    try:
        with transaction.atomic():
            JobMark.objects.create(kind=kind, key=mark)  # IntegrityError: sent before
            # The administrators' template first; a broken one falls back to the built-in text.
            subject, body, html = render_message(kind, context, language=settings.LANGUAGE_CODE)
            message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
            message.attach_alternative(html, "text/html")
            message.send()
            log()
    except IntegrityError:
        return "skipped"
    except Exception as exc:  # SMTP down…: the mark is rolled back, so the next run retries
        logger.warning("%s %s failed: %s", kind, mark, exc)
        log(str(exc) or repr(exc))
        return "failed"
    return "sent"


def _open_steps():
    return DossierStep.objects.select_related("dossier__procedure", "assignee", "unit").filter(
        finished_at__isnull=True, due_at__isnull=False, dossier__status__in=list(OPEN)
    )


def _context(step: DossierStep) -> dict[str, str]:
    """Placeholders of the step_reminder / step_overdue templates: plain strings only (the
    administrators' templates render with a bare engine; list in motcua.notifications.defaults)."""
    dossier = step.dossier
    assignee = step.assignee
    return {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "step": step.name,
        "assignee": assignee.full_name if assignee else "",
        "due_at": timezone.localtime(step.due_at).strftime("%H:%M %d/%m/%Y"),
        "unit": step.unit.name,
        "link": public_url(reverse("dossiers:detail", args=[dossier.code])),
    }


def remind_steps(now: datetime | None = None) -> JobResult:
    """Email the officer holding a step due within the next N working hours (settings)."""
    now = now or timezone.now()
    hours = ReportSettings.current().reminder_hours
    result = JobResult()
    candidates = _open_steps().filter(due_at__gt=now, assignee__isnull=False)
    for step in candidates.order_by("due_at")[:5000]:
        calendar = get_calendar(step.unit.calendar_name)
        if calendar.working_minutes(now, step.due_at) > hours * 60:
            continue
        outcome = _send(
            kind=TemplateKey.STEP_REMINDER,
            mark=f"{step.pk}:{step.due_at.isoformat()}",
            to=[step.assignee.email] if step.assignee.email else [],
            context=_context(step),
            step=step,
        )
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def escalate_overdue(now: datetime | None = None) -> JobResult:
    """Email the unit's leaders once about each step past its due time."""
    now = now or timezone.now()
    result = JobResult()
    steps = list(_open_steps().filter(due_at__lt=now).order_by("due_at")[:5000])
    leaders: dict[int, list[str]] = {}
    for unit_id, email in Membership.objects.filter(
        unit_id__in={s.unit_id for s in steps}, role=Role.LEADER
    ).values_list("unit_id", "user__email"):
        if email:
            leaders.setdefault(unit_id, []).append(email)
    for step in steps:
        outcome = _send(
            kind=TemplateKey.STEP_OVERDUE,
            mark=f"{step.pk}:{step.due_at.isoformat()}",
            to=sorted(set(leaders.get(step.unit_id, []))),
            context=_context(step),
            step=step,
        )
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def previous_month(today: date) -> date:
    return date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)


def monthly(month: date | None = None) -> int:
    """Store the monthly figures of `month` (default: last month) for every unit."""
    from .rollup import store_month

    month = month or previous_month(timezone.localdate())
    return store_month(month)  # the department's default rule profile
