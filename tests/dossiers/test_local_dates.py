"""`Dossier.finished_on` / `due_on`: the database's local dates of the two timestamps (ADR 0002)."""

from datetime import UTC, date, datetime

import pytest

from motcua.dossiers.importer import insert_rows
from motcua.dossiers.models import Dossier
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db


def _dossier(units, procedure, code="LD-1", **times):
    return Dossier.objects.create(
        code=code,
        procedure=procedure,
        unit=units["A"],
        channel="counter",
        status=9,
        applicant_name="Trần Thị Bình",
        received_at=datetime(2023, 3, 1, 8, tzinfo=TZ),
        **times,
    )


def _dates(pk):
    return Dossier.objects.filter(pk=pk).values_list("finished_on", "due_on").get()


def test_local_midnight_is_the_boundary(units, procedure):
    # 16:59:59.999999 UTC is 23:59:59.999999 in Viet Nam (SQLite's date() would round it up if
    # the fraction were kept); 17:00 UTC is already the next local day.
    d = _dossier(
        units,
        procedure,
        finished_at=datetime(2023, 3, 10, 16, 59, 59, 999999, tzinfo=UTC),
        due_at=datetime(2023, 3, 10, 17, 0, tzinfo=UTC),
    )
    assert _dates(d.pk) == (date(2023, 3, 10), date(2023, 3, 11))


def test_recomputed_on_save_and_on_queryset_update(units, procedure):
    d = _dossier(units, procedure, due_at=datetime(2023, 3, 10, 16, tzinfo=TZ))
    assert _dates(d.pk) == (None, date(2023, 3, 10))
    d.finished_at = datetime(2023, 3, 9, 9, tzinfo=TZ)
    d.save()
    assert _dates(d.pk) == (date(2023, 3, 9), date(2023, 3, 10))
    Dossier.objects.filter(pk=d.pk).update(due_at=None, finished_at=None)
    assert _dates(d.pk) == (None, None)


def test_bulk_insert_leaves_them_to_the_database(units, procedure):
    insert_rows(
        Dossier,
        [
            {
                "code": "LD-BULK",
                "procedure_id": procedure.pk,
                "unit_id": units["A"].pk,
                "channel": "online",
                "status": 10,
                "applicant_name": "Lê Văn Cường",
                "received_at": datetime(2023, 5, 2, 8, tzinfo=TZ),
                "due_at": datetime(2023, 5, 5, 17, tzinfo=TZ),
                "finished_at": datetime(2023, 5, 5, 7, 30, tzinfo=TZ),
            }
        ],
    )
    pk = Dossier.objects.get(code="LD-BULK").pk
    assert _dates(pk) == (date(2023, 5, 5), date(2023, 5, 5))
