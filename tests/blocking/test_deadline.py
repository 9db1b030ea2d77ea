"""The blocking procedure's time limit comes from the catalogue (DOMAIN §11), for entries AND
releases: a release is due 16 working hours after its own document arrives."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from motcua.blocking import services as s
from motcua.blocking.errors import BlockingError
from motcua.blocking.models import BlockingRequest, Release
from motcua.blocking.stats import blocking_ontime
from motcua.procedures.models import Procedure
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db

MON_9 = datetime(2025, 3, 10, 9, 0, tzinfo=TZ)


def local(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def test_entry_due_is_the_catalogues_time_limit(make_request, blocking_procedure):
    assert make_request(received_at=MON_9).due_at == local(2025, 3, 12, 9)  # 16 h: Wed 09:00
    blocking_procedure.time_value = Decimal(8)
    blocking_procedure.save()
    assert make_request(received_at=MON_9).due_at == local(2025, 3, 11, 9)  # 8 h: Tue 09:00
    blocking_procedure.time_value = Decimal(1)
    blocking_procedure.time_unit = "working_days"
    blocking_procedure.save()
    assert make_request(received_at=MON_9).due_at == local(2025, 3, 11, 9)


def test_setting_names_the_procedure(make_request, blocking_procedure, settings, units):
    Procedure.objects.create(
        code="NC-REAL",
        name="Ngăn chặn (thật)",
        unit=units["A"],
        time_value=Decimal(24),
        time_unit="working_hours",
    )
    settings.MOTCUA_BLOCKING_PROCEDURE_CODE = "NC-REAL"
    assert make_request(received_at=MON_9).due_at == local(2025, 3, 13, 9)


def test_missing_procedure_is_a_clear_refusal_and_nothing_is_saved(
    make_request, settings, tmp_path, units, capsys
):
    settings.MOTCUA_BLOCKING_PROCEDURE_CODE = "KHONG-CO"
    with pytest.raises(BlockingError, match="KHONG-CO.*MOTCUA_BLOCKING_PROCEDURE_CODE"):
        make_request(received_at=MON_9)
    assert BlockingRequest.objects.count() == 0
    path = tmp_path / "old.csv"
    from motcua.blocking.importer import COLUMNS

    path.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("blocking", "import", str(path), "--unit", units["A"].code)
    err = capsys.readouterr().err
    assert "KHONG-CO" in err and "MOTCUA_BLOCKING_PROCEDURE_CODE" in err


def _release(r, officers, *, received_at=None, at=None, document_date=date(2025, 3, 20)):
    return s.request_release(
        actor=officers["enter"],
        request_id=r.pk,
        asset_ids=[r.assets.get().pk],
        document_number=f"GT-{r.pk}",
        document_date=document_date,
        received_at=received_at,
        at=at,
    )


def test_release_is_due_after_its_own_document(make_request, officers):
    r = make_request(received_at=MON_9, publish=True)
    arrived = local(2025, 3, 20, 14)  # Thursday 14:00 → due Monday 24 March 14:00
    release = _release(r, officers, received_at=arrived, at=local(2025, 3, 24, 15))
    release.refresh_from_db()
    assert release.received_at == arrived
    assert release.due_at == local(2025, 3, 24, 14)
    assert release.is_late
    on_time = _release(
        make_request(received_at=MON_9, publish=True, serial="ZZ 1"),
        officers,
        received_at=arrived,
        at=local(2025, 3, 21, 9),
    )
    assert not on_time.is_late


def test_release_receipt_in_the_future_or_before_its_date_is_refused(make_request, officers):
    r = make_request(received_at=MON_9, publish=True)
    with pytest.raises(BlockingError):
        _release(r, officers, received_at=local(2025, 3, 25, 9), at=local(2025, 3, 24, 9))
    with pytest.raises(BlockingError):
        _release(r, officers, received_at=local(2025, 3, 19, 9), at=local(2025, 3, 24, 9))
    assert Release.objects.count() == 0


def test_release_without_receipt_time_is_received_now(make_request, officers):
    r = make_request(received_at=MON_9, publish=True)
    release = _release(r, officers, at=local(2025, 3, 21, 9))
    assert release.received_at == release.entered_at == local(2025, 3, 21, 9)
    assert release.due_at == local(2025, 3, 25, 9) and not release.is_late


def test_statistics_count_releases_like_entries(make_request, officers):
    publish = local(2025, 3, 11, 9)  # entries: early
    requests = []
    for n in range(3):
        r = make_request(received_at=MON_9, serial=f"ST {n}")
        s.request_approve(actor=officers["second"], request_id=r.pk, at=publish)
        s.request_publish(actor=officers["second"], request_id=r.pk, at=publish)
        requests.append(r)
    arrived = local(2025, 3, 20, 14)  # due Mon 24 March 14:00
    _release(requests[0], officers, received_at=arrived, at=local(2025, 3, 21, 9))  # early
    _release(requests[1], officers, received_at=arrived, at=local(2025, 3, 24, 13))  # on time
    _release(requests[2], officers, received_at=arrived, at=local(2025, 3, 24, 15))  # late
    march = (date(2025, 3, 1), date(2025, 3, 31))
    releases = blocking_ontime(*march, part="releases")
    assert (
        releases["received_total"],
        releases["settled_early"],
        releases["settled_on_time"],
        releases["settled_late"],
    ) == (3, 1, 1, 1)
    assert releases["on_time_rate"] == 66.67
    entries = blocking_ontime(*march, part="entries")
    assert (entries["received_total"], entries["settled_early"]) == (3, 3)
    both = blocking_ontime(*march)
    assert both["received_total"] == 6 and both["settled_late"] == 1
    assert both["on_time_rate"] == 83.33
    # A release document received at the end of a period and recorded after it is carried over,
    # overdue at the end of the first period if its due time passed.
    late_arrival = local(2025, 3, 28, 9)  # Friday → due Tuesday 1 April 09:00
    extra = make_request(received_at=MON_9, publish=True, serial="ST 9")
    _release(extra, officers, received_at=late_arrival, at=local(2025, 4, 2, 9))
    march_releases = blocking_ontime(*march, part="releases")
    assert march_releases["in_progress_within"] == 1
    april = blocking_ontime(date(2025, 4, 1), date(2025, 4, 30), part="releases")
    assert (april["carried_over"], april["settled_late"]) == (1, 1)
    with pytest.raises(ValueError):
        blocking_ontime(*march, part="nothing")


def test_release_by_web_with_receipt_time_warns_when_late(client, officers, make_request):
    r = make_request(received_at=MON_9, publish=True)
    client.force_login(officers["second"])
    response = client.post(
        f"/ngan-chan/{r.pk}/giai-toa/",
        {
            "document_number": "9/GT",
            "document_date": "2025-03-20",
            "received_at": "2025-03-20T14:00",
            "assets": [str(r.assets.get().pk)],
        },
        follow=True,
    )
    assert response.status_code == 200
    release = Release.objects.get()
    assert release.received_at == local(2025, 3, 20, 14) and release.is_late
    body = response.content.decode()
    assert "được cập nhật sau thời hạn (14:00 24/03/2025)" in body
    assert "cập nhật trễ hạn" in body  # the release's line on the record page


def test_demo_loads_the_catalogue_when_the_procedure_is_missing(settings):
    from motcua.blocking import demo
    from motcua.orgs import demo as orgs_demo

    orgs_demo.load(io.StringIO())
    assert not Procedure.objects.filter(code="DEMO-NC-01").exists()
    demo.load(io.StringIO())
    assert Procedure.objects.get(code="DEMO-NC-01").time_value == 16
    assert BlockingRequest.objects.filter(due_at__isnull=False).count() == 30
