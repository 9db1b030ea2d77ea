"""django-tasks wrappers of the report jobs (database backend; run `motcua db_worker`).

The periodic schedule itself is cron / systemd timers calling `motcua report remind|escalate|
monthly` (docs/deploy.md); `--enqueue` hands the run to the worker instead of doing it inline.
"""

from __future__ import annotations

from datetime import date

from django_tasks import task

from . import jobs


@task()
def remind_steps_task() -> dict:
    return vars(jobs.remind_steps())


@task()
def escalate_overdue_task() -> dict:
    return vars(jobs.escalate_overdue())


@task()
def monthly_task(month: str | None = None) -> int:
    return jobs.monthly(date.fromisoformat(month) if month else None)
