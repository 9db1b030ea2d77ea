"""/bao-cao/dung-han/: who sees what, the table, bad input, constant queries."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

URL = "/bao-cao/dung-han/"
JAN = {"date_from": "2023-01-01", "date_to": "2023-01-31"}


def login(client, personas, who):
    client.force_login(personas[who])
    return client


@pytest.fixture
def january(make_dossier):
    make_dossier(
        received="2023-01-03T09:00", due="2023-01-06T09:00", finished="2023-01-05T09:00", status=10
    )
    make_dossier(
        received="2023-01-03T09:00", due="2023-01-06T09:00", finished="2023-01-06T10:00", status=10
    )
    make_dossier(received="2023-01-04T09:00", due="2023-01-09T09:00", unit="B")


def col(html: str, name: str) -> str:
    marker = f'data-col="{name}">'
    start = html.index(marker) + len(marker)
    return html[start : html.index("<", start)]


def test_url_name():
    assert reverse("reports:ontime") == URL


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL, JAN)
    assert response.status_code == 302 and "next=" in response["Location"]


@pytest.mark.parametrize("who", ["citizen1", "clerk", "specialist", "notary", "clerk_b"])
def test_no_reporting_role_gets_404(client, personas, who):
    assert login(client, personas, who).get(URL, JAN).status_code == 404


@pytest.mark.parametrize("who", ["leader", "auditor"])
def test_leader_and_auditor_see_their_units_figures(client, personas, january, who):
    response = login(client, personas, who).get(URL, JAN)
    assert response.status_code == 200
    html = response.content.decode()
    assert col(html, "3") == "2"  # unit B's dossier is not counted
    assert (col(html, "8"), col(html, "10")) == ("1", "1")
    assert "50.00 %" in html or "50,00 %" in html
    for n in range(1, 14):
        assert f"({n})" in html
    assert "000.00.13.H57" not in html  # unit B is not offered either


def test_leader_asking_for_another_unit_gets_404(client, personas, january, units):
    response = login(client, personas, "leader").get(URL, {**JAN, "unit": units["B"].code})
    assert response.status_code == 404
    response = client.get(URL, {**JAN, "unit": "999.99.99.H57"})
    assert response.status_code == 404


def test_leader_choosing_own_unit(client, personas, january, units):
    response = login(client, personas, "leader").get(URL, {**JAN, "unit": units["A"].code})
    assert response.status_code == 200 and col(response.content.decode(), "3") == "2"


def test_superuser_sees_all_units_or_one(client, personas, january, units):
    login(client, personas, "admin")
    assert col(client.get(URL, JAN).content.decode(), "3") == "3"
    response = client.get(URL, {**JAN, "unit": units["B"].code})
    assert col(response.content.decode(), "3") == "1"


def test_form_without_period_shows_defaults_and_no_table(client, personas):
    response = login(client, personas, "leader").get(URL)
    assert response.status_code == 200
    assert 'data-col="3"' not in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2023-02-01", "date_to": "2023-01-01"},
        {"date_from": "2023-13-01", "date_to": "2023-01-31"},
        {"date_from": "", "date_to": "2023-01-31"},
        {"date_from": "2000-01-01", "date_to": "2023-01-31"},
    ],
)
def test_bad_period_answers_400_with_a_message(client, personas, params):
    with translation.override("en"):
        response = login(client, personas, "leader").get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert 'data-col="3"' not in response.content.decode()


def test_constant_number_of_queries(client, personas, make_dossier, django_assert_num_queries):
    from motcua.reports import daily

    login(client, personas, "leader")
    daily.rebuild()  # as installed (`motcua report rebuild-daily`); writes keep it in step
    make_dossier(received="2023-01-02T09:00", due="2023-02-10T09:00")
    client.get(URL, JAN)  # warm caches (content types, sessions)
    # session, user, memberships, province flag, units, report settings, II.06a grouped (from the
    # daily figures), labels, and the workspace header: dossiers waiting, blocking requests to
    # approve. Before the daily figures are filled, one more (the raw rows answer).
    with django_assert_num_queries(10) as few:
        client.get(URL, JAN)
    for day in range(4, 28):
        make_dossier(received=f"2023-01-{day:02d}T09:00", due="2023-02-10T09:00")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL, JAN)
    assert col(response.content.decode(), "3") == "25"  # 1 + 24
