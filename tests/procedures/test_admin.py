"""Admin screens of the catalogue: access, adding a procedure with inlines, budget warning, exchange."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.audit.models import AuditEvent
from motcua.procedures import exchange
from motcua.procedures.models import Procedure

from .conftest import staff_with

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/procedures/procedure/"
ADD = "/admin/procedures/procedure/add/"
IMPORT = "/admin/procedures/procedure/import/"


def procedure_form(unit, **overrides):
    data = {
        "code": "NEW-01",
        "name": "Đăng ký hoạt động Văn phòng công chứng",
        "field": "",
        "unit": str(unit.pk),
        "legal_basis": "Luật Công chứng 2024",
        "time_value": "2",
        "time_unit": "working_days",
        "calendar_name": "",
        "fee": "1000000",
        "fee_note": "",
        "online_level": "partial",
        "supplement_mode": "restart",
        "active": "on",
        "documents-TOTAL_FORMS": "2",
        "documents-INITIAL_FORMS": "0",
        "documents-0-order": "1",
        "documents-0-name": "Đơn đề nghị",
        "documents-0-form": "original",
        "documents-0-count": "1",
        "documents-0-mandatory": "on",
        "documents-0-condition": "always",
        "documents-1-order": "2",
        "documents-1-name": "Giấy tờ về trụ sở",
        "documents-1-form": "copy",
        "documents-1-count": "2",
        "documents-1-condition": "on_behalf",
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "0",
        "steps-0-order": "1",
        "steps-0-name": "Tiếp nhận",
        "steps-0-role": "intake_clerk",
        "steps-0-budget_hours": "2",
        "steps-1-order": "2",
        "steps-1-name": "Thẩm định",
        "steps-1-role": "specialist",
        "steps-1-budget_hours": "10",
        "steps-2-order": "3",
        "steps-2-name": "Phê duyệt",
        "steps-2-role": "leader",
        "steps-2-budget_hours": "4",
    }
    data.update(overrides)
    return data


# --- access ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", [CHANGELIST, ADD, IMPORT, "/admin/orgs/unit/"])
def test_anonymous_is_sent_to_login(client, url):
    r = client.get(url)
    assert r.status_code == 302 and "/login/" in r["Location"]


@pytest.mark.parametrize("url", [CHANGELIST, ADD, IMPORT])
def test_non_staff_persona_is_sent_to_login(client, personas, url):
    client.force_login(personas["leader"])
    r = client.get(url)
    assert r.status_code == 302 and "/login/" in r["Location"]


@pytest.mark.parametrize("url", [CHANGELIST, ADD, IMPORT])
def test_staff_without_permission_is_refused(client, db, url):
    client.force_login(staff_with("bare"))
    assert client.get(url).status_code == 403


def test_view_only_staff_can_list_but_not_import(client, catalogue, units):
    client.force_login(staff_with("viewer", "view_procedure", unit=units["A"]))
    assert client.get(CHANGELIST).status_code == 200
    assert client.get(IMPORT).status_code == 403
    assert client.post(ADD, procedure_form(units["A"])).status_code == 403
    assert not Procedure.objects.filter(code="NEW-01").exists()


def test_staff_of_b_sees_only_b_procedures(client, catalogue, units):
    client.force_login(
        staff_with("editor_b", "view_procedure", "change_procedure", unit=units["B"])
    )
    r = client.get(CHANGELIST)
    assert r.status_code == 200
    assert "B-01" in r.content.decode() and "DEMO-LLTP-01" not in r.content.decode()
    # A's procedure behaves exactly like a missing one.
    for pk in (catalogue["A"].pk, 999999):
        r = client.get(f"{CHANGELIST}{pk}/change/")
        assert r.status_code == 302 and r["Location"] == "/admin/"
    r = client.post(f"{CHANGELIST}{catalogue['A'].pk}/change/", procedure_form(units["B"]))
    assert Procedure.objects.get(pk=catalogue["A"].pk).name == "Cấp Phiếu lý lịch tư pháp"


def test_changelist_runs_a_constant_number_of_queries(superuser_client, catalogue, units):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert superuser_client.get(CHANGELIST).status_code == 200
        return len(ctx)

    few = count()
    for i in range(15):
        Procedure.objects.create(code=f"X-{i:02}", name="x", unit=units["A"])
    assert count() == few


# --- adding and changing --------------------------------------------------------------------------
def test_superuser_adds_a_procedure_with_inlines(superuser_client, units):
    r = superuser_client.post(ADD, procedure_form(units["A"]), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 302, r.content.decode()[:3000]
    p = Procedure.objects.get(code="NEW-01")
    assert [d.name for d in p.documents.order_by("order")] == ["Đơn đề nghị", "Giấy tờ về trụ sở"]
    assert [s.role for s in p.steps.order_by("order")] == ["intake_clerk", "specialist", "leader"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "procedure.create",
        "procedure.requireddocument.change",
        "procedure.procedurestep.change",
    } <= actions


def test_steps_over_the_time_limit_give_a_warning(superuser_client, units):
    data = procedure_form(units["A"], **{"steps-1-budget_hours": "20"})  # 26 h > 2 days = 16 h
    r = superuser_client.post(ADD, data, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    texts = [str(m) for m in r.context["messages"]]
    assert any("26" in t and "16" in t for t in texts), texts
    assert Procedure.objects.filter(code="NEW-01").exists()  # a warning, not a refusal


def test_steps_within_the_limit_give_no_warning(superuser_client, units):
    r = superuser_client.post(ADD, procedure_form(units["A"]), follow=True)
    assert not [m for m in r.context["messages"] if m.level_tag == "warning"]


def test_negative_budget_is_refused(superuser_client, units):
    data = procedure_form(units["A"], **{"steps-1-budget_hours": "-1"})
    r = superuser_client.post(ADD, data)
    assert r.status_code == 200
    assert not Procedure.objects.filter(code="NEW-01").exists()


def test_change_and_delete_are_audited(superuser_client, catalogue):
    p = catalogue["B"]
    data = procedure_form(p.unit, code="B-01", name="Tên đã sửa")
    data.update({"documents-TOTAL_FORMS": "0", "steps-TOTAL_FORMS": "0"})
    r = superuser_client.post(f"{CHANGELIST}{p.pk}/change/", data)
    assert r.status_code == 302
    event = AuditEvent.objects.get(action="procedure.change")
    assert "name" in event.data["changed"] and event.object_id == str(p.pk)
    r = superuser_client.post(f"{CHANGELIST}{p.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302 and not Procedure.objects.filter(pk=p.pk).exists()
    assert AuditEvent.objects.filter(action="procedure.delete").count() == 1


# --- export actions and import page ---------------------------------------------------------------
@pytest.mark.parametrize("action", ["export_json", "export_xlsx"])
def test_export_actions(superuser_client, catalogue, action):
    ids = [str(catalogue["A"].pk), str(catalogue["same_day"].pk)]
    r = superuser_client.post(CHANGELIST, {"action": action, "_selected_action": ids})
    assert r.status_code == 200
    assert "attachment" in r["Content-Disposition"]
    if action == "export_json":
        data = r.content
    else:
        data = r.content
        assert data[:2] == b"PK"
    codes = sorted(c.procedure["code"] for c in exchange.parse_catalogue(data)[0])
    assert codes == ["DEMO-CT-01", "DEMO-LLTP-01"]
    assert AuditEvent.objects.filter(action="procedure.export").count() == 1


def test_import_page_refuses_a_bad_file_and_lists_rows(superuser_client, catalogue):
    data = exchange.export_catalogue(Procedure.objects.all())
    data["procedures"][1]["unit_code"] = "999.99.99.X99"
    before = exchange.export_catalogue(Procedure.objects.all())
    upload = io.BytesIO(__import__("json").dumps(data).encode())
    upload.name = "c.json"
    r = superuser_client.post(IMPORT, {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    body = r.content.decode()
    assert "row 2" in body and "999.99.99.X99" in body
    assert exchange.export_catalogue(Procedure.objects.all()) == before


def test_import_page_accepts_an_excel_file(superuser_client, catalogue):
    content = exchange.export_catalogue_xlsx(Procedure.objects.all())
    Procedure.objects.filter(code="B-01").delete()
    upload = io.BytesIO(content)
    upload.name = "c.xlsx"
    r = superuser_client.post(IMPORT, {"file": upload})
    assert r.status_code == 302 and r["Location"] == CHANGELIST
    assert Procedure.objects.filter(code="B-01").exists()
    assert AuditEvent.objects.filter(action="procedure.import").count() == 1


def test_unit_editor_cannot_import_another_units_procedures(client, catalogue, units):
    client.force_login(
        staff_with(
            "editor_a", "view_procedure", "add_procedure", "change_procedure", unit=units["A"]
        )
    )
    assert client.get(IMPORT).status_code == 200
    content = exchange.export_catalogue_xlsx(Procedure.objects.all())
    upload = io.BytesIO(content)
    upload.name = "c.xlsx"
    before = exchange.export_catalogue(Procedure.objects.all())
    r = client.post(IMPORT, {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200 and units["B"].code in r.content.decode()
    assert exchange.export_catalogue(Procedure.objects.all()) == before
