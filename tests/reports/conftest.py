"""Helpers for the reports tests: dossiers written directly with chosen times."""

from __future__ import annotations

from datetime import datetime
from itertools import count

import pytest

from motcua.worktime import TZ


def seed_profiles() -> None:
    """The rule profiles of migration reports/0003 (a transactional test elsewhere may have
    flushed them)."""
    from importlib import import_module

    from motcua.reports.models import RuleProfile

    rows = import_module("motcua.reports.migrations.0003_seed_rule_profiles").PROFILES
    RuleProfile.objects.update(is_default=False)
    for row in rows:
        RuleProfile.objects.update_or_create(code=row["code"], defaults=row)


@pytest.fixture(autouse=True)
def legacy_default_profile(request):
    """The tests written before rule profiles assert motcua's 2023 rules (refused, withdrawn and
    stopped apart; timestamps compared): make "motcua-2023" the default for them. Tests of the
    seeded default (provincial practice) are marked `seeded_default`."""
    if request.node.get_closest_marker("django_db") is None:
        yield
        return
    request.getfixturevalue("transactional_db" if _transactional(request) else "db")
    from motcua.reports.models import RuleProfile

    seed_profiles()
    if request.node.get_closest_marker("seeded_default") is None:
        RuleProfile.objects.update(is_default=False)
        RuleProfile.objects.filter(code="motcua-2023").update(is_default=True)
    yield


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def make_dossier(units, procedure):
    """make_dossier(received=..., due=..., finished=..., closed=..., status=..., channel=..., unit=...)."""
    from motcua.dossiers.models import Dossier

    numbers = count(1)

    def make(
        *,
        received: str | None,
        due: str | None = None,
        finished: str | None = None,
        closed: str | None = None,
        status: int = 4,
        channel: str = "counter",
        unit: str = "A",
        phone: str = "0905123456",
        proc=None,
    ) -> Dossier:
        return Dossier.objects.create(
            code=f"T-{next(numbers):06d}",
            procedure=proc or procedure,
            unit=units[unit] if isinstance(unit, str) else unit,
            channel=channel,
            status=status,
            applicant_name="Nguyễn Văn An",
            applicant_phone=phone,
            received_at=local(received) if received else None,
            submitted_at=local(received) if received else local("2023-01-01T08:00"),
            due_at=local(due) if due else None,
            finished_at=local(finished) if finished else None,
            closed_at=local(closed) if closed else None,
        )

    return make
