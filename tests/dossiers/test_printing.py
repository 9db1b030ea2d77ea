"""Printed forms 01–05 (HTML and PDF) and the form 06 register (Excel): content, access, audit."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.audit.models import AuditEvent, PersonalDataAccess
from motcua.dossiers.printing.context import rule_set_slug, template_names
from motcua.dossiers.printing.register import HEADINGS
from motcua.dossiers.services import Applicant, DocumentLine, dossier_receive, dossier_transition
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Thị Ánh Tuyết"
APPLICANT = Applicant(
    name=NAME,
    id_number="046195000123",
    phone="0905123456",
    email="tuyet@example.org",
    address="12 Lê Lợi, phường Thuận Hóa, Huế",
)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def receive(personas, procedure, at="2025-03-10T08:00", **kw):
    return dossier_receive(
        actor=personas["clerk"],
        procedure=procedure,
        applicant=kw.pop("applicant", APPLICANT),
        documents=[
            DocumentLine("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "original"),
            DocumentLine("Bản sao Căn cước công dân", "copy", 2),
        ],
        received_at=local(at),
        **kw,
    )


def act(personas, who, dossier, action, at, **kw):
    return dossier_transition(
        actor=personas[who], dossier_id=dossier.pk, action=action, at=local(at), **kw
    )


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def received(personas, procedure):
    return receive(personas, procedure)


@pytest.fixture
def supplement(personas, procedure):
    d = receive(personas, procedure)
    return act(
        personas,
        "clerk",
        d,
        "request_supplement",
        "2025-03-10T09:00",
        note="Bổ sung bản sao giấy khai sinh\nTờ khai ghi thiếu nơi cư trú",
    )


@pytest.fixture
def refused(personas, procedure):
    from motcua.dossiers.services import dossier_submit_online

    procedure.online_level = "full"
    procedure.save()
    d = dossier_submit_online(
        actor=personas["citizen1"],
        procedure=procedure,
        applicant=APPLICANT,
        submitted_at=local("2025-03-10T08:00"),
    )
    return act(personas, "clerk", d, "refuse", "2025-03-10T09:00", note="Không thuộc thẩm quyền")


@pytest.fixture
def apologised(personas, procedure):
    d = receive(personas, procedure)
    act(personas, "clerk", d, "forward", "2025-03-10T09:00")
    return act(
        personas,
        "leader",
        d,
        "apologise",
        "2025-03-10T10:00",
        note="Cần xác minh thông tin tại cơ quan khác",
        new_appointment=local("2025-03-17T10:00"),
    )


@pytest.fixture
def processed(personas, procedure):
    d = receive(personas, procedure)
    act(personas, "clerk", d, "forward", "2025-03-10T09:00", assignee=personas["specialist"])
    # Intake on its due date (on time), assessment a day early, approval a day late.
    act(personas, "specialist", d, "forward", "2025-03-10T16:00", assignee=personas["leader"])
    return act(personas, "leader", d, "result_ready", "2025-03-12T09:00")


# --- every form renders for a dossier in the matching state --------------------------------------
@pytest.mark.parametrize(
    ("number", "fixture", "expected"),
    [
        (
            "01",
            "received",
            ["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Số điện thoại", "0905123456"],
        ),
        ("02", "supplement", ["PHIẾU YÊU CẦU BỔ SUNG", "Bổ sung bản sao giấy khai sinh"]),
        ("03", "refused", ["PHIẾU TỪ CHỐI TIẾP NHẬN", "Không thuộc thẩm quyền"]),
        ("04", "apologised", ["PHIẾU XIN LỖI VÀ HẸN LẠI", "Cần xác minh thông tin", "17/03/2025"]),
        ("05", "processed", ["PHIẾU KIỂM SOÁT QUÁ TRÌNH", "Thẩm định", "Quá hạn"]),
    ],
)
def test_each_form_renders_as_html_and_pdf(request, personas, number, fixture, expected):
    dossier = request.getfixturevalue(fixture)
    client = client_for(personas["clerk"])
    html = client.get(f"/ho-so/{dossier.code}/in/{number}/")
    assert html.status_code == 200
    body = html.content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body
    assert "Độc lập - Tự do - Hạnh phúc" in body
    assert dossier.code in body and NAME in body
    for text in expected:
        assert text in body
    assert "@page { size: A4" in body

    pdf = client.get(f"/ho-so/{dossier.code}/in/{number}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert NAME in text  # the Vietnamese name is real text, correctly encoded
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert dossier.code in text
    for snippet in expected:
        if snippet not in ("17/03/2025",):
            assert snippet in " ".join(text.split()) or snippet in text
    assert AuditEvent.objects.filter(action="dossier.print", object_id=str(dossier.pk)).count() == 2
    assert PersonalDataAccess.objects.filter(subject_id=str(dossier.pk)).count() == 2


def test_form01_has_qr_code_to_tracking_page_and_all_fields(personas, received):
    body = client_for(personas["clerk"]).get(f"/ho-so/{received.code}/in/01/").content.decode()
    assert "<svg" in body
    assert f"/tra-cuu/?ma={received.code}" in body
    for text in [
        "Sở Tư pháp".upper(),
        "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
        f"Số: {received.register_number}/TNHS",
        "Huế, ngày 10 tháng 03 năm 2025",
        "12 Lê Lợi",
        "tuyet@example.org",
        "Cấp Phiếu lý lịch tư pháp",
        "Bản sao Căn cước công dân",
        "3 ngày làm việc",
        "08 giờ 00 phút, ngày 10/03/2025",
        "10/03/2025",
        "Tại Bộ phận tiếp nhận và trả kết quả",
        f"Quyển số 01/2025, Số thứ tự {received.register_number}",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
    ]:
        assert text in body, text
    # The due time (3 working days from Monday 08:00) is printed as hour, minute, date.
    due = received.due_at.astimezone(TZ)
    assert f"{due:%H} giờ {due:%M} phút, ngày {due:%d/%m/%Y}" in body


def test_form01_pdf_embeds_the_qr_image(personas, received):
    content = client_for(personas["clerk"]).get(f"/ho-so/{received.code}/in/01.pdf").content
    reader = PdfReader(io.BytesIO(content))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1
    assert "/tra-cuu/?ma=" in pdf_text(content)


def test_form05_classifies_each_step(personas, processed):
    body = client_for(personas["leader"]).get(f"/ho-so/{processed.code}/in/05/").content.decode()
    assert body.count('class="step"') == 3
    results = re.findall(r'<td class="result">([^<]*)</td>', body)
    assert results == ["Đúng hạn", "Trước hạn", "Quá hạn"]
    assert "Trần Văn Minh" in body and "Lê Quang Hùng" in body  # who received each hand-over
    assert "specialist_a" not in body and "leader_a" not in body  # names, not login names


def test_rule_version_picks_its_template_set(personas, procedure):
    old = receive(personas, procedure)
    new = receive(personas, procedure, at="2025-07-02T08:00")
    assert (old.rule_version, new.rule_version) == ("61/2018", "118/2025")
    assert rule_set_slug(new.rule_version) == "118-2025"
    assert template_names(new, "apology")[0] == "dossiers/print/118-2025/apology.html"
    client = client_for(personas["clerk"])
    assert "Thông tư số 01/2018/TT-VPCP" in client.get(f"/ho-so/{old.code}/in/01/").content.decode()
    assert "Thông tư số 03/2025/TT-VPCP" in client.get(f"/ho-so/{new.code}/in/01/").content.decode()
    # An unknown rule version falls back to the default set.
    new.rule_version = "999/2030"
    assert template_names(new, "receipt")[-1] == "dossiers/print/forms/receipt.html"
    new.save()
    assert client.get(f"/ho-so/{new.code}/in/01/").status_code == 200
    assert client.get(f"/ho-so/{new.code}/in/01.pdf").content.startswith(b"%PDF")


def test_form_not_matching_the_state_is_404_with_a_message(personas, received):
    client = client_for(personas["clerk"])
    for number in ("02", "03", "04"):
        response = client.get(f"/ho-so/{received.code}/in/{number}/")
        assert response.status_code == 404
        assert received.code in response.content.decode()
        assert client.get(f"/ho-so/{received.code}/in/{number}.pdf").status_code == 404
    assert client.get(f"/ho-so/{received.code}/in/06/").status_code == 404
    assert not AuditEvent.objects.filter(action="dossier.print").exists()


# --- access matrix ------------------------------------------------------------------------------
def test_anonymous_is_sent_to_login(received):
    for path in (f"/ho-so/{received.code}/in/01/", f"/ho-so/{received.code}/in/05.pdf"):
        response = Client().get(path)
        assert response.status_code == 302
        assert "next=" in response["Location"]


@pytest.mark.parametrize("who", ["clerk_b", "citizen2", "notary"])
def test_outsiders_get_404_for_every_form(personas, processed, who):
    client = client_for(personas[who])
    for number in ("01", "02", "03", "04", "05"):
        assert client.get(f"/ho-so/{processed.code}/in/{number}/").status_code == 404
        assert client.get(f"/ho-so/{processed.code}/in/{number}.pdf").status_code == 404
    assert client.get("/ho-so/000.00.12.H57-990101-9999/in/01/").status_code == 404


@pytest.mark.parametrize("who", ["clerk", "specialist", "leader", "auditor"])
def test_staff_of_the_unit_may_print(personas, processed, who):
    assert client_for(personas[who]).get(f"/ho-so/{processed.code}/in/05/").status_code == 200


def test_citizen_owner_gets_form01_only(personas, procedure):
    from motcua.dossiers.services import dossier_submit_online

    procedure.online_level = "full"
    procedure.save()
    d = dossier_submit_online(
        actor=personas["citizen1"],
        procedure=procedure,
        applicant=APPLICANT,
        submitted_at=local("2025-03-10T08:00"),
    )
    client = client_for(personas["citizen1"])
    assert client.get(f"/ho-so/{d.code}/in/01/").status_code == 404  # not received yet
    act(personas, "clerk", d, "accept", "2025-03-10T09:00")
    assert client.get(f"/ho-so/{d.code}/in/01/").status_code == 200
    assert client.get(f"/ho-so/{d.code}/in/01.pdf").content.startswith(b"%PDF")
    assert client.get(f"/ho-so/{d.code}/in/05/").status_code == 404
    assert client_for(personas["citizen2"]).get(f"/ho-so/{d.code}/in/01/").status_code == 404
    # The applicant's own print is audited, but it is not a staff access to personal data.
    assert (
        AuditEvent.objects.filter(action="dossier.print", actor=personas["citizen1"]).count() == 2
    )
    assert not PersonalDataAccess.objects.filter(who=personas["citizen1"]).exists()


@pytest.mark.parametrize("path", ["/in/01/", "/in/01.pdf", "/in/05/", "/in/05.pdf"])
def test_print_runs_a_fixed_number_of_queries(personas, processed, path, django_assert_num_queries):
    # session, user, memberships, dossier, form templates of its rule version, documents and the
    # receiving officer (01) or steps and transfers (05), audit event, personal-data access (each
    # one INSERT that reads its hash chain's tail itself, audit/chain.py)
    client = client_for(personas["leader"])
    with django_assert_num_queries(9):
        assert client.get(f"/ho-so/{processed.code}{path}").status_code == 200


# --- form 06: the register ---------------------------------------------------------------------
def register(client, start="2025-03-01", end="2025-03-31"):
    return client.get("/ho-so/so-theo-doi.xlsx", {"from": start, "to": end})


def test_register_workbook_has_title_columns_and_rows(personas, procedure):
    first = receive(personas, procedure)
    act(personas, "clerk", first, "forward", "2025-03-10T09:00")
    second = receive(personas, procedure, at="2025-03-12T09:00")
    receive(personas, procedure, at="2025-04-02T09:00")  # outside the period
    response = register(client_for(personas["clerk"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "SỔ THEO DÕI HỒ SƠ (Mẫu số 06)"  # Circular 01/2018 in March 2025
    assert "Sở Tư pháp" in ws["A2"].value
    assert ws["A3"].value == "Từ ngày 01/03/2025 đến ngày 31/03/2025"
    assert [c.value for c in ws[5]] == HEADINGS
    assert [c.value for c in ws[6]] == [f"({i})" for i in range(1, 14)]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=7)]
    assert [r[1] for r in rows] == [first.code, second.code]
    one = rows[0]
    assert one[0] == 1 and one[2] == "Cấp Phiếu lý lịch tư pháp" and one[3] == 1
    assert one[4] == NAME and "0905123456" in one[5] and one[6] == "Sở Tư pháp"
    assert one[7] == "10/03/2025 08:00"
    assert one[9] == "10/03/2025 09:00"  # handed over by the intake desk
    assert not rows[1][9]  # still at the intake desk
    assert AuditEvent.objects.filter(action="dossier.register_export").count() == 1
    assert PersonalDataAccess.objects.filter(subject_type="dossiers.register").count() == 1


def test_register_only_has_the_users_units(personas, procedure):
    receive(personas, procedure)
    response = register(client_for(personas["clerk_b"]))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.max_row == 6 and "Sở Nội vụ" in ws["A2"].value


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("", "2025-03-31"),
        ("2025-13-01", "2025-03-31"),
        ("2025-03-31", "2025-03-01"),
        ("x", "y"),
        ("2024-01-01", "2025-12-31"),
    ],
)
def test_register_bad_dates_are_400_in_vietnamese(personas, start, end):
    response = register(client_for(personas["clerk"]), start, end)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().strip()
    assert not AuditEvent.objects.filter(action="dossier.register_export").exists()


def test_register_access(personas):
    assert Client().get("/ho-so/so-theo-doi.xlsx?from=2025-03-01&to=2025-03-31").status_code == 302
    for who in ("citizen1", "notary"):
        assert register(client_for(personas[who])).status_code == 404


def test_register_query_count_is_constant(personas, procedure, django_assert_num_queries):
    client = client_for(personas["clerk"])
    receive(personas, procedure)
    register(client)  # warm up

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert register(client).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for hour in range(8, 11):
        receive(personas, procedure, at=f"2025-03-11T{hour:02d}:00")
    assert count() == small
