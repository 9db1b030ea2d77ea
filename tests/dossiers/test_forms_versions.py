"""Both form sets (DOMAIN §5): Circular 03/2025 (seven forms) for dossiers received from 1 July
2025, Circular 01/2018 (six) before; numbers and titles as data; control sheet hand-overs; the
register book on form 01; counter refusal page; the register page."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import pytest
from django.test import Client
from pypdf import PdfReader

from motcua.dossiers.choices import Status
from motcua.dossiers.formsets import BUILTIN, form_by_number
from motcua.dossiers.models import Dossier, FormTemplate
from motcua.dossiers.services import (
    Applicant,
    DocumentLine,
    dossier_receive,
    dossier_refuse_at_counter,
    dossier_transition,
)
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db

NAME = "Lê Thị Hồng Nhung"
APPLICANT = Applicant(name=NAME, phone="0905123456", email="nhung@example.org")
NEW_TITLES = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "04": "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    "05": "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
    "06": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}
OLD_TITLES = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "04": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    "05": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def receive(personas, procedure, at):
    return dossier_receive(
        actor=personas["clerk"],
        procedure=procedure,
        applicant=APPLICANT,
        documents=[DocumentLine("Tờ khai", "original")],
        received_at=local(at),
    )


def act(personas, who, dossier, action, at, **kw):
    return dossier_transition(
        actor=personas[who], dossier_id=dossier.pk, action=action, at=local(at), **kw
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def flat(html: bytes) -> str:
    return " ".join(html.decode().split())


def lifecycle(personas, procedure, units, start: str) -> dict[str, Dossier]:
    """One dossier per form: received, supplement, refused, apologised, stopped, processed."""
    day = start[:10]
    out = {"received": receive(personas, procedure, f"{day}T08:00")}
    d = receive(personas, procedure, f"{day}T08:10")
    out["supplement"] = act(
        personas, "clerk", d, "request_supplement", f"{day}T08:30", note="Bổ sung tờ khai"
    )
    d = receive(personas, procedure, f"{day}T08:20")
    act(personas, "clerk", d, "forward", f"{day}T08:40")
    out["refused"] = act(personas, "leader", d, "refuse", f"{day}T09:00", note="Không đủ điều kiện")
    d = receive(personas, procedure, f"{day}T08:30")
    act(personas, "clerk", d, "forward", f"{day}T08:50")
    out["apology"] = act(
        personas,
        "leader",
        d,
        "apologise",
        f"{day}T09:30",
        note="Chờ xác minh",
        new_appointment=d.due_at + timedelta(days=5),
    )
    d = receive(personas, procedure, f"{day}T08:40")
    out["stopped"] = act(personas, "leader", d, "stop", f"{day}T10:00", note="Có tranh chấp")
    d = receive(personas, procedure, f"{day}T08:50")
    act(personas, "clerk", d, "forward", f"{day}T09:00", assignee=personas["specialist"])
    act(
        personas,
        "specialist",
        d,
        "transfer",
        f"{day}T10:00",
        to_unit=units["B"],
        transfer_hours=4,
        note="Xác minh",
    )
    act(personas, "specialist", d, "transfer_back", f"{day}T13:30")
    act(personas, "specialist", d, "forward", f"{day}T14:00", assignee=personas["leader"])
    act(personas, "leader", d, "result_ready", f"{day}T15:00")
    out["processed"] = act(personas, "clerk", d, "return_result", f"{day}T16:00")
    return out


NEW_CASES = [
    ("01", "received"),
    ("02", "supplement"),
    ("03", "refused"),
    ("04", "apology"),
    ("05", "stopped"),
    ("06", "processed"),
]
OLD_CASES = [
    ("01", "received"),
    ("02", "supplement"),
    ("03", "refused"),
    ("04", "apology"),
    ("05", "processed"),
]


@pytest.mark.parametrize(("number", "which"), NEW_CASES)
def test_circular_03_2025_forms_for_dossiers_received_from_july_2025(
    personas, procedure, units, number, which
):
    dossier = lifecycle(personas, procedure, units, "2025-07-07")[which]
    assert dossier.rule_version == "118/2025"
    client = client_for(personas["clerk"])
    html = client.get(f"/ho-so/{dossier.code}/in/{number}/")
    assert html.status_code == 200, html.content[:300]
    body = flat(html.content)
    assert NEW_TITLES[number] in body and NAME in body
    assert f"Mẫu số {number} – Phụ lục I, Thông tư số 03/2025/TT-VPCP" in body
    pdf = client.get(f"/ho-so/{dossier.code}/in/{number}.pdf")
    assert pdf.status_code == 200
    text = pdf_text(pdf.content)
    assert NEW_TITLES[number] in text and NAME in text
    assert f"Mẫu số {number}" in text and "03/2025/TT-VPCP" in text


@pytest.mark.parametrize(("number", "which"), OLD_CASES)
def test_circular_01_2018_forms_for_dossiers_received_before(
    personas, procedure, units, number, which
):
    dossier = lifecycle(personas, procedure, units, "2025-03-10")[which]
    assert dossier.rule_version == "61/2018"
    client = client_for(personas["clerk"])
    body = flat(client.get(f"/ho-so/{dossier.code}/in/{number}/").content)
    assert OLD_TITLES[number] in body
    assert f"Mẫu số {number} – Thông tư số 01/2018/TT-VPCP" in body
    text = pdf_text(client.get(f"/ho-so/{dossier.code}/in/{number}.pdf").content)
    assert OLD_TITLES[number] in text and f"Mẫu số {number}" in text


def test_numbers_mean_different_forms_in_each_version(personas, procedure, units):
    new = lifecycle(personas, procedure, units, "2025-07-07")
    old = lifecycle(personas, procedure, units, "2025-03-10")
    client = client_for(personas["clerk"])
    # 05: the stop notice now, the control sheet before; 06/07 (register) are not per dossier.
    assert client.get(f"/ho-so/{new['processed'].code}/in/05/").status_code == 404
    assert client.get(f"/ho-so/{new['processed'].code}/in/06/").status_code == 200
    assert client.get(f"/ho-so/{new['processed'].code}/in/07/").status_code == 404
    assert client.get(f"/ho-so/{old['stopped'].code}/in/05/").status_code == 200
    assert "KIỂM SOÁT" in flat(client.get(f"/ho-so/{old['stopped'].code}/in/05/").content)
    assert client.get(f"/ho-so/{old['processed'].code}/in/06/").status_code == 404
    # The stop notice does not exist under Circular 01/2018.
    page = flat(client.get(f"/ho-so/{old['stopped'].code}/").content)
    assert "Thông báo dừng" not in page and "05 · Phiếu kiểm soát" in page
    new_page = client.get(f"/ho-so/{new['stopped'].code}/").content.decode()
    assert f"/ho-so/{new['stopped'].code}/in/05/" in new_page
    assert "05 · Thông báo dừng giải quyết hồ sơ" in new_page
    assert "07 ·" not in new_page  # the register is not a per-dossier link


def test_control_sheet_rows_per_hand_over(personas, procedure, units):
    d = lifecycle(personas, procedure, units, "2025-07-07")["processed"]
    body = client_for(personas["leader"]).get(f"/ho-so/{d.code}/in/06/").content.decode()
    kinds = re.findall(r'<tr class="(step|transfer|return)">', body)
    # intake → specialist, the co-operating agency, → leader, then the desk hands the result over
    assert kinds == ["step", "step", "transfer", "step", "return"]
    assert "Sở Nội vụ" in body  # the co-operating agency
    assert 'class="cooperating">Sở Nội vụ' in body
    last = body[body.index('<tr class="return">') :]
    assert "Tổ chức/cá nhân" in last and "Bộ phận tiếp nhận và trả kết quả" in last
    results = re.findall(r'<td class="result">([^<]*)</td>', body)
    assert len(results) == 5 and all(r in {"Trước hạn", "Đúng hạn", "Quá hạn"} for r in results)
    text = pdf_text(client_for(personas["leader"]).get(f"/ho-so/{d.code}/in/06.pdf").content)
    assert "Sở Nội vụ" in text and "Tổ chức/cá nhân" in text


def test_form01_prints_officer_and_register_book(personas, procedure, units):
    personas["clerk"].first_name, personas["clerk"].last_name = "Hoa", "Phan Thị"
    personas["clerk"].save()
    receive(personas, procedure, "2025-07-07T08:00")
    d = receive(personas, procedure, "2025-07-08T08:00")
    client = client_for(personas["clerk"])
    body = flat(client.get(f"/ho-so/{d.code}/in/01/").content)
    assert "Quyển số 01/2025, Số thứ tự 2" in body
    assert "Số: 2/TNHS" in body
    officer = personas["clerk"].get_full_name()
    assert f'class="name officer">{officer}' in body
    text = pdf_text(client.get(f"/ho-so/{d.code}/in/01.pdf").content)
    assert "Quyển số 01/2025, Số thứ tự 2" in text and officer in text


def test_refusal_after_reception_is_signed_by_the_leader(personas, procedure, units):
    d = lifecycle(personas, procedure, units, "2025-07-07")["refused"]
    body = flat(client_for(personas["clerk"]).get(f"/ho-so/{d.code}/in/03/").content)
    assert "THỦ TRƯỞNG CƠ QUAN" in body and "Qua thẩm định" in body
    assert "Không đủ điều kiện" in body and "Lê Quang Hùng" in body
    assert personas["leader"].username not in body


def test_form_templates_are_data_seeded_and_overridable(personas, procedure):
    seeded = set(FormTemplate.objects.values_list("rule_version", "kind", "number", "title"))
    assert seeded == {(s.rule_version, s.kind, s.number, s.title) for s in BUILTIN}
    assert FormTemplate.objects.filter(rule_version="118/2025").count() == 7
    assert FormTemplate.objects.filter(rule_version="61/2018").count() == 6
    FormTemplate.objects.filter(rule_version="118/2025", kind="receipt").update(
        title="Giấy tiếp nhận (đã sửa)"
    )
    assert form_by_number("118/2025", "01").title == "Giấy tiếp nhận (đã sửa)"
    d = receive(personas, procedure, "2025-07-07T08:00")
    body = client_for(personas["clerk"]).get(f"/ho-so/{d.code}/in/01/").content.decode()
    assert "GIẤY TIẾP NHẬN (ĐÃ SỬA)" in body
    # Without rows (e.g. a flushed table) the built-in sets still apply.
    FormTemplate.objects.all().delete()
    assert form_by_number("118/2025", "05").title == "Thông báo dừng giải quyết hồ sơ"


@pytest.mark.parametrize("who", ["clerk_b", "citizen2", "notary"])
def test_outsiders_get_404_for_the_new_forms(personas, procedure, units, who):
    dossiers = lifecycle(personas, procedure, units, "2025-07-07")
    client = client_for(personas[who])
    for number, which in NEW_CASES:
        code = dossiers[which].code
        assert client.get(f"/ho-so/{code}/in/{number}/").status_code == 404
        assert client.get(f"/ho-so/{code}/in/{number}.pdf").status_code == 404


# --- counter refusal page ----------------------------------------------------------------------
def test_counter_refusal_page_records_and_prints_form_03(personas, procedure):
    client = client_for(personas["clerk"])
    assert client.get("/ho-so/tu-choi/").status_code == 200
    response = client.post(
        "/ho-so/tu-choi/",
        {
            "procedure": procedure.pk,
            "applicant_name": "Võ Văn Tám",
            "applicant_phone": "0905111222",
            "reasons": "Không thuộc thẩm quyền\nĐề nghị nộp tại UBND xã",
        },
    )
    d = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{d.code}/in/03/")
    assert d.status == Status.REFUSED and d.received_at is None and d.register_number == 1
    body = flat(client.get(response["Location"]).content)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in body and "Võ Văn Tám" in body
    assert "Đề nghị nộp tại UBND xã" in body and "NGƯỜI TIẾP NHẬN" in body


def test_counter_refusal_page_bad_input_and_access(personas, procedure):
    client = client_for(personas["clerk"])
    response = client.post("/ho-so/tu-choi/", {"procedure": procedure.pk, "applicant_name": "A"})
    assert response.status_code == 400 and Dossier.objects.count() == 0
    for who in ("specialist", "leader", "citizen1"):
        assert client_for(personas[who]).get("/ho-so/tu-choi/").status_code == 404
    # A clerk of unit B cannot refuse for unit A's procedure (it is not in the choices).
    response = client_for(personas["clerk_b"]).post(
        "/ho-so/tu-choi/",
        {"procedure": procedure.pk, "applicant_name": "Tám", "reasons": "x"},
    )
    assert response.status_code == 400 and Dossier.objects.count() == 0
    assert Client().get("/ho-so/tu-choi/").status_code == 302


# --- register page -----------------------------------------------------------------------------
def test_register_page_lists_book_entries_and_counter_refusals(personas, procedure):
    receive(personas, procedure, "2025-07-07T08:00")
    dossier_refuse_at_counter(
        actor=personas["clerk"],
        procedure=procedure,
        applicant=Applicant(name="Võ Văn Tám"),
        reasons="Không thuộc thẩm quyền",
        refused_at=local("2025-07-07T09:00"),
    )
    receive(personas, procedure, "2025-07-08T08:00")
    client = client_for(personas["clerk"])
    response = client.get("/ho-so/so-theo-doi/", {"from": "2025-07-01", "to": "2025-07-31"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "SỔ THEO DÕI HỒ SƠ" in body and "Mẫu số 07" in body
    rows = re.findall(r'<tr class="entry"><td>(\d+)</td>', body)
    assert rows == ["1", "2", "3"]
    assert "Võ Văn Tám" in body and "Từ chối tiếp nhận tại quầy" in body
    assert client.get("/ho-so/so-theo-doi/", {"from": "x", "to": "y"}).status_code == 400
    assert (
        client_for(personas["citizen1"])
        .get("/ho-so/so-theo-doi/", {"from": "2025-07-01", "to": "2025-07-31"})
        .status_code
        == 404
    )
    other = client_for(personas["clerk_b"]).get(
        "/ho-so/so-theo-doi/", {"from": "2025-07-01", "to": "2025-07-31"}
    )
    assert other.status_code == 200 and "Võ Văn Tám" not in other.content.decode()
