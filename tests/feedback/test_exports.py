"""Excel exports of the PAKN list and the satisfaction report (issue 14): the pages' rows and
figures, counts and shares as numbers, the pages' access, audited; no sender's details."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from core.listsheet_support import column, open_list
from django.utils import timezone

from motcua.audit.models import AuditEvent

from .conftest import answers
from .test_pakn import form

pytestmark = pytest.mark.django_db


@pytest.fixture
def feedback_ab(client, units):
    from motcua.feedback.models import Feedback

    client.post("/gop-y/", form(units["A"], content="=1+1 nội dung"))
    client.post("/gop-y/", form(units["B"], sender_name="Người Bé"))
    client.logout()
    return {f.unit_id: f for f in Feedback.objects.all()}


def test_pakn_list_export(client, personas, units, feedback_ab):
    item = feedback_ab[units["A"].pk]
    client.force_login(personas["clerk"])
    response = client.get("/phan-anh/xuat-excel/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    ws, _h, headings, data = open_list(response.content, "Mã giao dịch")
    assert [row[0].value for row in data] == [item.code]  # unit B's never
    due = data[0][column(headings, "Hạn trả lời")]
    assert isinstance(due.value, datetime) and due.number_format == "dd/mm/yyyy hh:mm"
    assert due.value == timezone.localtime(item.due_at).replace(tzinfo=None, microsecond=0)
    text = " ".join(str(c.value) for r in ws.iter_rows() for c in r if c.value is not None)
    assert "Trần Thị Bình" not in text and "0912345678" not in text  # no sender's details
    event = AuditEvent.objects.get(action="feedback.list_export")
    assert event.data["rows"] == 1 and event.data["units"] == [units["A"].pk]
    # ?open=1 is kept from the page.
    html = client.get("/phan-anh/", {"open": "1"}).content.decode()
    assert 'href="/phan-anh/xuat-excel/?open=1"' in html


def test_pakn_list_export_access(client, personas, feedback_ab):
    url = "/phan-anh/xuat-excel/"
    assert client.get(url).status_code == 302
    for persona in ("citizen1", "notary"):
        client.force_login(personas[persona])
        assert client.get(url).status_code == 404


def test_satisfaction_export_numbers(client, personas, units, settled, feedback_ab):
    from openpyxl import load_workbook

    client.post(f"/danh-gia/{settled.code}/", answers())
    client.force_login(personas["leader"])
    year = timezone.localdate().year
    response = client.get("/bao-cao/hai-long/excel/", {"year": year})
    assert response.status_code == 200
    assert f"hai-long-{year}.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Theo quý", "Theo đơn vị", "Theo thủ tục", "PAKN"]
    _ws, _h, headings, data = open_list(response.content, "Quý", sheet="Theo quý")
    total = data[0]
    assert total[0].value == "Tổng số"
    assert total[1].value == 1 and total[1].data_type == "n"
    share = total[column(headings, "Tỷ lệ theo cách tính SIPAS (%)")]
    assert share.data_type == "n" and 0 <= share.value <= 100
    assert share.number_format == "#,##0.00"
    _ws, _h, headings, pakn = open_list(response.content, "Đơn vị", sheet="PAKN")
    assert pakn[0][1].value == 1 and pakn[0][1].data_type == "n"  # unit A's feedback only
    event = AuditEvent.objects.get(action="feedback.satisfaction_export")
    assert event.data["rows"] == 1 and event.data["units"] == [units["A"].pk]
    assert (
        'href="/bao-cao/hai-long/excel/?year=' in client.get("/bao-cao/hai-long/").content.decode()
    )


def test_satisfaction_export_access(client, personas, units):
    url = "/bao-cao/hai-long/excel/"
    assert client.get(url).status_code == 302
    client.force_login(personas["clerk"])
    assert client.get(url).status_code == 404
    client.force_login(personas["leader"])
    assert client.get(url, {"unit": units["B"].code}).status_code == 404
    assert client.get(url, {"year": "x"}).status_code == 404
    client.force_login(personas["admin"])  # the province reads every unit
    assert client.get(url, {"unit": units["B"].code}).status_code == 200
