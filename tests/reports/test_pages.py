"""Dashboard, exports, drill-down and 766 pages: access (anonymous, no role, leader, province,
A asking for B → 404), content, links to the dossiers behind each figure, constant queries."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

JAN = {"date_from": "2023-01-01", "date_to": "2023-01-31"}
PAGES = [
    "/bao-cao/",
    "/bao-cao/dung-han/excel/?date_from=2023-01-01&date_to=2023-01-31",
    "/bao-cao/dung-han/pdf/?date_from=2023-01-01&date_to=2023-01-31",
    "/bao-cao/dung-han/in/?date_from=2023-01-01&date_to=2023-01-31",
    "/bao-cao/ho-so/?figure=settled_late&date_from=2023-01-01&date_to=2023-01-31",
    "/bao-cao/chi-so-766/?month=2023-01",
    "/bao-cao/hai-long/",
]


@pytest.fixture
def january(make_dossier):
    make_dossier(
        received="2023-01-03T09:00", due="2023-01-06T09:00", finished="2023-01-05T09:00", status=10
    )
    make_dossier(
        received="2023-01-03T09:00",
        due="2023-01-06T09:00",
        finished="2023-01-06T10:00",
        status=10,
        channel="online",
    )
    make_dossier(
        received="2023-01-04T09:00",
        due="2023-01-09T09:00",
        finished="2023-01-10T09:00",
        status=10,
        unit="B",
    )


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_goes_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "next=" in response["Location"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("who", ["citizen1", "clerk", "specialist", "notary"])
def test_no_reporting_role_gets_404(client, personas, url, who):
    client.force_login(personas[who])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", PAGES)
def test_leader_of_a_asking_for_b_gets_404(client, personas, url, units):
    client.force_login(personas["leader"])
    sep = "&" if "?" in url else "?"
    assert client.get(f"{url}{sep}unit={units['B'].code}").status_code == 404
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_province_reader_sees_every_unit(client, personas, url, units, january):
    from motcua.reports.models import ProvinceViewer

    ProvinceViewer.objects.create(user=personas["citizen2"])  # a provincial office account
    client.force_login(personas["citizen2"])
    sep = "&" if "?" in url else "?"
    assert client.get(f"{url}{sep}unit={units['B'].code}").status_code == 200


def test_drill_lists_only_the_dossiers_behind_the_figure(client, personas, january):
    client.force_login(personas["leader"])
    html = client.get("/bao-cao/ho-so/", {"figure": "settled_late", **JAN}).content.decode()
    assert html.count("data-code=") == 1  # unit B's late dossier is not the leader's
    client.force_login(personas["admin"])
    html = client.get("/bao-cao/ho-so/", {"figure": "settled_late", **JAN}).content.decode()
    assert html.count("data-code=") == 2
    assert client.get("/bao-cao/ho-so/", {"figure": "nonsense"}).status_code == 404
    assert (
        client.get("/bao-cao/ho-so/", {"figure": "settled_late", "date_from": "x"}).status_code
        == 404
    )


def test_report_cells_link_to_drill_down(client, personas, january):
    client.force_login(personas["leader"])
    html = client.get("/bao-cao/dung-han/", JAN).content.decode()
    assert "/bao-cao/ho-so/?figure=settled_late" in html
    assert "data-rules" in html  # the rules used are stated


def test_default_profile_changes_the_rate_and_is_stated(client, personas, january):
    from motcua.reports.models import RuleProfile

    RuleProfile.objects.update(is_default=False)
    RuleProfile.objects.filter(code="provincial").update(is_default=True)
    client.force_login(personas["leader"])
    with translation.override("en"):
        html = client.get("/bao-cao/dung-han/", JAN, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "100.00 %" in html or "100,00 %" in html  # 10:00 on the due date counts as on time
    assert "on the due date" in html and 'data-profile="provincial"' in html
    # The selector overrides the default for this report.
    with translation.override("en"):
        html = client.get(
            "/bao-cao/dung-han/", {**JAN, "profile": "motcua-2023"}, HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert 'data-profile="motcua-2023"' in html and "not after the due time" in html
    response = client.get("/bao-cao/dung-han/", {**JAN, "profile": "nope"})
    assert response.status_code == 400


def test_excel_export_official_layout(client, personas, january, units):
    from openpyxl import load_workbook

    from motcua.reports.models import ReportSettings

    ReportSettings.objects.create(receiving_name="Văn phòng UBND thành phố Huế")
    client.force_login(personas["admin"])
    with translation.override("en"):
        response = client.get(
            "/bao-cao/dung-han/excel/", {**JAN, "group_by": "unit"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = {c.value for row in ws.iter_rows() for c in row if c.value is not None}
    assert "II.06a" in str(ws["A1"].value)
    assert any("Văn phòng UBND thành phố Huế" in str(v) for v in cells)
    assert any("01/01/2023" in str(v) and "31/01/2023" in str(v) for v in cells)
    numbers = [ws.cell(10, col).value for col in range(1, 14)]
    assert numbers == [f"({n})" for n in range(1, 14)]
    total = [ws.cell(11, col).value for col in range(3, 14)]
    assert total == [3, 1, 2, 0, 3, 1, 0, 2, 0, 0, 0]
    assert ws.cell(12, 2).value and ws.cell(13, 2).value  # one row per unit
    assert any("Rate denominator" in str(v) for v in cells)


def test_pdf_export_and_print(client, personas, january):
    from pypdf import PdfReader

    client.force_login(personas["leader"])
    response = client.get("/bao-cao/dung-han/pdf/", JAN)
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "II.06a" in text and "(13)" in text
    html = client.get("/bao-cao/dung-han/in/", JAN).content.decode()
    assert "(13)" in html and "@page" in html


def test_export_with_bad_dates_is_400(client, personas):
    client.force_login(personas["leader"])
    response = client.get(
        "/bao-cao/dung-han/excel/", {"date_from": "2023-02-01", "date_to": "2023-01-01"}
    )
    assert response.status_code == 400


def test_dashboard_figures_and_links(client, personas, january, time_machine):
    from datetime import datetime

    from motcua.worktime import TZ

    time_machine.move_to(datetime(2023, 1, 20, 10, 0, tzinfo=TZ))
    client.force_login(personas["leader"])
    html = client.get("/bao-cao/").content.decode()
    assert 'data-kpi="rate"' in html and "50.00 %" in html.replace(",", ".")
    assert "<svg" in html and "/bao-cao/ho-so/?figure=settled_late" in html
    assert "/bao-cao/chi-so-766/" in html and "cdn" not in html.lower()


def test_dashboard_constant_queries(client, personas, make_dossier, django_assert_num_queries):
    client.force_login(personas["leader"])
    make_dossier(
        received="2023-01-03T09:00", due="2023-01-06T09:00", finished="2023-01-05T09:00", status=10
    )
    client.get("/bao-cao/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/bao-cao/")
    for day in range(3, 20):
        make_dossier(received=f"2023-01-{day:02d}T09:00", due="2023-01-25T09:00")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/bao-cao/")


def test_index766_page_shows_lost_points_and_dossiers(client, personas, january, units):
    from motcua.reports.models import IndexManualScore

    IndexManualScore.objects.create(
        unit=units["A"], month=date(2023, 1, 1), indicator="1.1", points=3, note="cổng DVC"
    )
    client.force_login(personas["leader"])
    html = client.get(
        "/bao-cao/chi-so-766/", {"month": "2023-01", "unit": units["A"].code}
    ).content.decode()
    assert 'data-indicator="1.1"' in html and "cổng DVC" in html
    assert 'data-drill="3.3"' in html  # one of the two was received at the counter
    assert 'data-drill="1.4"' in html  # neither was synced to the national portal
    assert 'data-drill="2.1"' not in html  # both on time by date (the 2nd ended on its due day)
    # the drill-down of 3.3 lists the counter dossier with the reason, and the online one while
    # its paper result has no electronic copy (DOMAIN §7, 3.3)
    from motcua.dossiers.models import Dossier

    query = {"figure": "766", "indicator": "3.3", "unit": units["A"].code, **JAN}
    drill = client.get("/bao-cao/ho-so/", query).content.decode()
    assert "T-000001" in drill and "T-000002" in drill and "3.3." in drill
    Dossier.objects.filter(code="T-000002").update(electronic_result=True)
    drill = client.get("/bao-cao/ho-so/", query).content.decode()
    assert "T-000001" in drill and "T-000002" not in drill
    # 1.1 is entered by hand: no drill-down; a period with from > to is 404
    assert (
        client.get("/bao-cao/ho-so/", {"figure": "766", "indicator": "1.1", **JAN}).status_code
        == 404
    )
    assert (
        client.get(
            "/bao-cao/chi-so-766/", {"date_from": "2023-02-01", "date_to": "2023-01-01"}
        ).status_code
        == 404
    )
    assert client.get("/bao-cao/chi-so-766/", {"month": "2023-13"}).status_code == 404
