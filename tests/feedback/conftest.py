from __future__ import annotations

import pytest
from django.core.cache import cache
from portal.conftest import media, online_procedure, submit_online  # noqa: F401


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def settled(units, procedure):
    """A settled dossier of unit A; phone ends 3456, ID number ends 7890."""
    from django.utils import timezone

    from motcua.dossiers.models import Dossier

    now = timezone.now()
    return Dossier.objects.create(
        code="000.00.12.H57-230105-0001",
        procedure=procedure,
        unit=units["A"],
        channel="counter",
        status=10,
        applicant_name="Nguyễn Văn An",
        applicant_phone="0905123456",
        applicant_id_number="046090017890",
        received_at=now,
        submitted_at=now,
        due_at=now,
        finished_at=now,
    )


def answers(**over):
    data = {
        "overall_service": "3",
        "overall_result": "2",
        "time_total": "2",
        "time_agencies": "2",
        "visits": "1",
        "agencies_contacted": "2",
        "one_stop": "2",
        "published": "2",
        "attitude": "2",
        "feedback_handled": "0",
        "online_progress": "2",
        "comment": "Nhanh",
        "factor": "0905123456",
    }
    data.update(over)
    return data
