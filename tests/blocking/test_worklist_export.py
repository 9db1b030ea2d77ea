"""The registry's list (issue 14): a text search, and the list as Excel with the same filters, the
page's access (other units' requests never), audited as personal-data access."""

from __future__ import annotations

from datetime import datetime

import pytest
from core.listsheet_support import column, open_list

from motcua.audit.models import AuditEvent, PersonalDataAccess

pytestmark = pytest.mark.django_db

URL = "/ngan-chan/xuat-excel/"


@pytest.fixture
def requests_ab(make_request, units):
    first = make_request(authority="Tòa án nhân dân thành phố Huế", document_number="12/2025/QĐ")
    second = make_request(
        authority="Cục Thi hành án dân sự tỉnh", document_number="7/QĐ-THA", publish=True
    )
    return first, second


def test_text_search_on_the_list(client, officers, requests_ab):
    first, second = requests_ab
    client.force_login(officers["leader"])

    def codes(q):
        html = client.get("/ngan-chan/", {"q": q}).content.decode()
        return {r.request_no for r in (first, second) if f">{r.request_no}<" in html}

    assert codes("") == {first.request_no, second.request_no}
    assert codes("toa an") == {first.request_no}  # diacritics and case ignored
    assert codes("THI HÀNH ÁN") == {second.request_no}
    assert codes("12/2025") == {first.request_no}
    assert codes("7 QĐ-THA") == {second.request_no}  # dots, dashes and spaces ignored
    assert codes(second.request_no) == {second.request_no}
    assert codes("không có") == set()
    html = client.get("/ngan-chan/", {"q": "toa an"}).content.decode()
    assert 'value="toa an"' in html
    assert 'href="/ngan-chan/xuat-excel/?q=toa+an"' in html


def test_export_rows_types_and_search(client, officers, requests_ab):
    first, second = requests_ab
    client.force_login(officers["leader"])
    response = client.get(URL)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    ws, _h, headings, data = open_list(response.content, "Số vào sổ")
    assert {row[0].value for row in data} == {first.request_no, second.request_no}
    row = next(r for r in data if r[0].value == first.request_no)
    doc_date = row[column(headings, "Ngày văn bản")]
    assert doc_date.value == datetime(2025, 3, 10) and doc_date.number_format == "dd/mm/yyyy"
    received = row[column(headings, "Tiếp nhận lúc")]
    assert received.value == datetime(2025, 3, 10, 9, 0)  # local time, no zone
    assert row[column(headings, "Cơ quan gửi")].value == "Tòa án nhân dân thành phố Huế"
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)

    searched = client.get(URL, {"q": "thi hanh an"})
    _ws, _h, _headings, data = open_list(searched.content, "Số vào sổ")
    assert [r[0].value for r in data] == [second.request_no]


def test_export_is_audited(client, officers, requests_ab, units):
    client.force_login(officers["enter"])
    client.get(URL, {"q": "toa"})
    event = AuditEvent.objects.get(action="blocking.list_export")
    assert event.data["rows"] == 1 and event.data["filters"] == {"q": "toa"}
    assert event.data["units"] == [units["A"].pk]
    assert PersonalDataAccess.objects.filter(
        subject_type="blocking.worklist", who=officers["enter"]
    ).exists()


def test_access(client, personas, units, officers, make_request):
    make_request(unit=units["A"])
    assert client.get(URL).status_code == 302
    for persona in ("citizen1", "clerk", "notary"):
        client.force_login(personas[persona])
        assert client.get(URL).status_code == 404
    # An officer of unit B sees B's requests only: none of A's.
    from django.contrib.auth import get_user_model

    from motcua.orgs.models import Membership

    officer_b = get_user_model().objects.create_user("officer_b", "ob@example.org", "pw")
    Membership.objects.create(user=officer_b, unit=units["B"], role="specialist")
    client.force_login(officer_b)
    _ws, _h, _headings, data = open_list(client.get(URL).content, "Số vào sổ")
    assert data == []
