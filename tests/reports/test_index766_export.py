"""Excel and PDF of the whole 766 index, with the page's access rules; the admin of the yearly
maxima and targets (versioned, validated against the group maxima, audited)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": "2023-01-01", "date_to": "2023-01-31"}


@pytest.fixture
def january(make_dossier):
    make_dossier(
        received="2023-01-03T09:00", due="2023-01-06T09:00", finished="2023-01-09T09:00", status=10
    )


def test_excel_has_every_indicator_and_the_total(client, personas, january):
    from openpyxl import load_workbook

    client.force_login(personas["leader"])
    response = client.get("/bao-cao/chi-so-766/excel/", PERIOD)
    assert response.status_code == 200
    assert "ChiSo766_20230101_20230131.xlsx" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    ids = [row[0] for row in values if row[0] and "." in str(row[0]) and len(str(row[0])) <= 4]
    assert ids == [
        "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "3.1", "3.2", "3.3", "3.5", "3.6",
        "4.1", "4.2", "4.3", "4.4", "4.5", "5.1", "5.2", "5.3", "5.4",
    ]  # fmt: skip
    row21 = next(r for r in values if r[0] == "2.1")
    assert row21[2:4] == [0, 1] and row21[6] == 0  # late: 0 of 1 on time, 0 points
    assert any("/ 100.00" in str(r[0]) or "/ 100,00" in str(r[0]) for r in values if r[0])


def test_pdf_export(client, personas, january):
    from pypdf import PdfReader

    client.force_login(personas["leader"])
    response = client.get("/bao-cao/chi-so-766/pdf/", PERIOD)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "766" in text and "2.1" in text and "5.4" in text


@pytest.mark.parametrize("url", ["/bao-cao/chi-so-766/excel/", "/bao-cao/chi-so-766/pdf/"])
def test_export_access(client, personas, units, url):
    assert client.get(url, PERIOD).status_code == 302  # anonymous: login
    client.force_login(personas["clerk"])
    assert client.get(url, PERIOD).status_code == 404
    client.force_login(personas["leader"])
    assert client.get(url, {**PERIOD, "unit": units["B"].code}).status_code == 404


def _formset(rows: dict) -> dict:
    data = {
        "indicators-TOTAL_FORMS": str(len(rows)),
        "indicators-INITIAL_FORMS": "0",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
    }
    for n, (code, (maximum, target)) in enumerate(rows.items()):
        data[f"indicators-{n}-indicator"] = code
        data[f"indicators-{n}-max_points"] = str(maximum)
        data[f"indicators-{n}-target"] = str(target)
    return data


def test_admin_refuses_maxima_that_do_not_sum_to_the_group(admin_client):
    from motcua.reports.index766 import DEFAULTS
    from motcua.reports.models import IndexYear

    rows = {**DEFAULTS, "4.1": (Decimal(7), Decimal(100))}
    response = admin_client.post(
        "/admin/reports/indexyear/add/",
        {"year": 2026, "empty_full_points": "on", **_formset(rows)},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200  # the form again, nothing saved
    assert "Nhóm 4" in response.content.decode()
    assert not IndexYear.objects.filter(year=2026).exists()


def test_new_version_applies_from_its_year_on(admin_client, make_dossier):
    from motcua.reports.index766 import DEFAULTS, compute_index, year_settings

    rows = {
        **DEFAULTS,
        "2.1": (Decimal(16), Decimal(90)),
        "2.2": (Decimal(4), Decimal(100)),
    }
    response = admin_client.post(
        "/admin/reports/indexyear/add/",
        {"year": 2024, "empty_full_points": "on", **_formset(rows)},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert year_settings(2023).of("2.1") == (Decimal(20), Decimal(100))  # the seeded 2022 one
    assert year_settings(2025).of("2.1") == (Decimal(16), Decimal(90))  # latest earlier version
    make_dossier(
        received="2024-03-03T09:00", due="2024-03-06T09:00", finished="2024-03-05T09:00", status=10
    )
    result = compute_index(date(2024, 3, 1), date(2024, 3, 31))
    assert result.by_id("2.1").max == 16 and result.by_id("2.1").score == 16
