"""The worklist as Excel (issue 14): the page's filters and unit, every row, numbers and dates as
such, every cell neutralised; the page's access; audited as personal-data access."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from core.listsheet_support import column, open_list
from django.utils import timezone

from dossiers.test_views_support import make_dossier
from motcua.audit.models import AuditEvent, PersonalDataAccess
from motcua.dossiers.choices import Status

pytestmark = pytest.mark.django_db

URL = "/ho-so/xuat-excel/"


@pytest.fixture
def rows(procedure):
    now = timezone.now()
    late = make_dossier(procedure, due_at=now - timedelta(days=2), name="Trần Thị Bé")
    late.supplement_requests = 2
    late.save(update_fields=["supplement_requests"])
    make_dossier(procedure, due_at=now + timedelta(days=5), name='=HYPERLINK("http://x","y")')
    make_dossier(procedure, status=Status.RETURNED, name="Đã trả")  # not on the worklist
    return late


def test_export_has_every_row_with_types(client, personas, rows):
    client.force_login(personas["specialist"])
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment;" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    ws, _header, headings, data = open_list(response.content, "Mã hồ sơ")
    assert headings[:3] == ["Mã hồ sơ", "Người nộp", "Thủ tục"]
    names = {row[1].value for row in data}
    assert names == {"Trần Thị Bé", '\'=HYPERLINK("http://x","y")'}  # a formula never
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    late = next(row for row in data if row[0].value == rows.code)
    due = late[column(headings, "Hạn xử lý")]
    assert isinstance(due.value, datetime) and due.number_format == "dd/mm/yyyy hh:mm"
    assert due.value == timezone.localtime(rows.due_at).replace(tzinfo=None, microsecond=0)
    count = late[column(headings, "Yêu cầu bổ sung")]
    assert count.value == 2 and count.data_type == "n"
    assert late[column(headings, "Tình trạng hạn")].value == "Quá hạn"
    assert "Sở Tư pháp" in str(ws["A2"].value) or "STP" in str(ws["A2"].value)


def test_export_follows_the_filters(client, personas, rows):
    client.force_login(personas["specialist"])
    response = client.get(URL, {"overdue": "on", "q": "tran thi"})
    _ws, _h, _headings, data = open_list(response.content, "Mã hồ sơ")
    assert [row[0].value for row in data] == [rows.code]
    ws = _ws
    notes = " ".join(str(ws.cell(r, 1).value) for r in range(2, 5))
    assert (
        "Điều kiện lọc:" in notes and "tran thi" in notes and "Điều kiện lọc: không có" not in notes
    )


def test_export_is_audited_as_personal_data_access(client, personas, rows, units):
    client.force_login(personas["specialist"])
    client.get(URL, {"overdue": "on"})
    event = AuditEvent.objects.get(action="dossier.worklist_export")
    assert event.actor == personas["specialist"]
    assert event.data["rows"] == 1 and event.data["units"] == [units["A"].pk]
    assert event.data["filters"] == {"overdue": "on"}
    access = PersonalDataAccess.objects.get(subject_type="dossiers.worklist")
    assert access.who == personas["specialist"] and access.subject_id == event.object_id


def test_bad_filters_are_400_and_nothing_is_exported(client, personas, rows):
    client.force_login(personas["specialist"])
    response = client.get(URL, {"status": "abc"})
    assert response.status_code == 400 and b"<form" in response.content
    assert not AuditEvent.objects.filter(action="dossier.worklist_export").exists()


def test_access(client, personas, rows):
    assert client.get(URL).status_code == 302
    for persona in ("citizen1", "notary"):
        client.force_login(personas[persona])
        assert client.get(URL).status_code == 404
    # Unit B's clerk gets a list of B's dossiers only: none of A's.
    client.force_login(personas["clerk_b"])
    _ws, _h, _headings, data = open_list(client.get(URL).content, "Mã hồ sơ")
    assert data == []


def test_the_page_links_to_the_export_with_its_filters(client, personas, rows):
    client.force_login(personas["specialist"])
    html = client.get("/ho-so/", {"overdue": "on", "page": "1"}).content.decode()
    assert 'href="/ho-so/xuat-excel/?overdue=on"' in html
