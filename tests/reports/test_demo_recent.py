"""Demo data relative to today (issue 14): twelve months of history ending yesterday, so the
dashboard, its charts and the 766 index have figures on first run; a month with no dossier and no
PAKN shows "no data" on the 766 index and the dashboard, not a score."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.choices import Status
from motcua.dossiers.models import Dossier, DossierSequence
from motcua.dossiers.timeliness import classify
from motcua.feedback.models import Feedback, Rating
from motcua.reports import demo_recent
from motcua.reports.dashboard import monthly_rates
from motcua.reports.index766 import compute_index, last_day, months_back
from motcua.reports.models import MonthlyReport
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=TZ)
PER_MONTH = 40


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def load(unit, today=TODAY) -> str:
    out = io.StringIO()
    demo_recent.load(unit, out, today=today, per_month=PER_MONTH)
    return out.getvalue()


def test_twelve_months_ending_yesterday(frozen, units, procedure):
    assert "Loaded" in load(units["A"])
    first, last = demo_recent.window(TODAY)
    assert (first, last) == (date(2025, 7, 1), date(2026, 6, 14))
    rows = Dossier.objects.filter(unit=units["A"])
    assert rows.count() > 11 * PER_MONTH * 0.6
    assert all(r.is_historical for r in rows)
    received = [timezone.localtime(d).date() for d in rows.values_list("received_at", flat=True)]
    assert min(received) >= first and max(received) <= last
    # Every month of the dashboard has dossiers settled in it, with a realistic on-time rate.
    rates = monthly_rates(months_back(TODAY, 12), unit_ids=[units["A"].pk])
    assert all(r.settled > 0 for r in rates)
    assert all(r.rate is not None and 90 <= r.rate <= 100 for r in rates)
    # Nothing left open on the worklist, nothing finished in the future.
    statuses = set(rows.values_list("status", flat=True))
    assert statuses <= {Status.RETURNED, Status.WITHDRAWN, Status.STOPPED}
    for d in rows.filter(status=Status.RETURNED):
        assert d.received_at <= d.finished_at <= d.returned_at <= NOW
        assert classify(d.finished_at, d.due_at) in ("early", "on_time", "late")
    # Codes unique and well formed; ratings and PAKN beside them; finished months stored.
    assert rows.values("code").annotate(n=Count("pk")).filter(n__gt=1).count() == 0
    assert Rating.objects.filter(dossier__unit=units["A"]).exists()
    assert Feedback.objects.filter(unit=units["A"]).exists()
    assert not Feedback.objects.filter(answered_at__gt=NOW).exists()
    stored = set(MonthlyReport.objects.filter(unit=units["A"]).values_list("month", flat=True))
    assert stored == set(months_back(TODAY, 12)[:-1])


def test_the_766_index_has_figures_every_month(frozen, units, procedure):
    load(units["A"])
    for month in months_back(TODAY, 12):
        result = compute_index(month, min(last_day(month), TODAY), unit_ids=[units["A"].pk])
        assert result.has_data, month
        assert result.by_id("2.1").denominator > 0


def test_loading_again_adds_nothing_and_later_tops_up(frozen, units, procedure):
    load(units["A"])
    count = Dossier.objects.count()
    assert "already" in load(units["A"])
    assert Dossier.objects.count() == count
    frozen.move_to(NOW + timedelta(days=10))
    load(units["A"], today=TODAY + timedelta(days=10))
    new = Dossier.objects.filter(received_at__gte=datetime(2026, 6, 15, tzinfo=TZ))
    assert Dossier.objects.count() == count + new.count() and new.exists()
    assert max(timezone.localtime(d.received_at).date() for d in new) <= date(2026, 6, 24)


def test_codes_continue_after_the_days_counter(frozen, units, procedure):
    day = date(2026, 6, 10)
    DossierSequence.objects.create(agency_code=units["A"].code, day=day, last=5)
    load(units["A"])
    codes = list(
        Dossier.objects.filter(code__startswith=f"{units['A'].code}-260610-").values_list(
            "code", flat=True
        )
    )
    assert codes and min(int(c.rsplit("-", 1)[1]) for c in codes) == 6
    assert DossierSequence.objects.get(agency_code=units["A"].code, day=day).last == 5 + len(codes)


# --- "no data" -----------------------------------------------------------------------------------
def test_an_empty_month_has_no_score(units):
    result = compute_index(date(2024, 2, 1), date(2024, 2, 29), unit_ids=[units["A"].pk])
    assert not result.has_data
    assert result.total > 0  # the empty denominators' defaults, which pages must not show


def test_index_page_says_no_data_for_an_empty_month(client, personas):
    client.force_login(personas["leader"])
    html = client.get(reverse("reports:index766") + "?month=2024-02").content.decode()
    assert "data-no-data" in html and "Không có số liệu" in html


def test_dashboard_says_no_data_this_month_without_dossiers(client, personas, frozen):
    client.force_login(personas["leader"])
    response = client.get(reverse("reports:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-kpi="index"' in html and "Không có số liệu" in html
    # The chart's bars say it too (their titles), with no score.
    assert "Chỉ số 766 tháng 06/2026: không có số liệu" in html


def test_dashboard_scores_a_month_with_dossiers(client, personas, frozen, units, procedure):
    load(units["A"])
    client.force_login(personas["leader"])
    html = client.get(reverse("reports:dashboard")).content.decode()
    kpi = html.split('data-kpi="index"', 1)[1].split("</a>", 1)[0]
    assert "data-no-data" not in kpi and any(ch.isdigit() for ch in kpi)
