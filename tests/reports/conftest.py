"""Helpers for the reports tests: dossiers written directly with chosen times."""

from __future__ import annotations

from datetime import datetime
from itertools import count

import pytest

from motcua.worktime import TZ


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
