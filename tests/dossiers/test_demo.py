"""The current demo dossiers: made through the services, at every stage, loaded once."""

import io

import pytest

from motcua.dossiers.choices import Status
from motcua.dossiers.models import Dossier


@pytest.mark.django_db
def test_demo_dossiers_fill_the_worklist_once():
    from motcua.dossiers import demo
    from motcua.orgs import demo as orgs_demo
    from motcua.procedures import demo as procedures_demo

    out = io.StringIO()
    orgs_demo.load(out)
    procedures_demo.load(out)
    demo.load(out)
    current = Dossier.objects.filter(is_historical=False)
    assert current.count() == 6
    statuses = set(current.values_list("status", flat=True))
    assert {Status.RECEIVED, Status.IN_PROGRESS, Status.RESULT_READY} <= statuses
    assert all(d.events.exists() and d.due_at for d in current)
    demo.load(out)
    assert Dossier.objects.filter(is_historical=False).count() == 6
