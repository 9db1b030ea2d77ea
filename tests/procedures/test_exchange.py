"""Catalogue exchange: JSON and Excel round trips, all-or-nothing refusals with row numbers, idempotency."""

from __future__ import annotations

import io
import json

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from motcua.audit.models import AuditEvent
from motcua.procedures import exchange
from motcua.procedures.models import Field, Procedure, ProcedureStep, RequiredDocument

from .conftest import xlsx_edit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def snapshot():
    return exchange.export_catalogue(Procedure.objects.all())


def wipe():
    Procedure.objects.all().delete()
    Field.objects.all().delete()


def refused(data, **kwargs) -> list[exchange.RowError]:
    """Import `data`, expect a refusal, and check that nothing was changed."""
    before, events = snapshot(), AuditEvent.objects.count()
    with pytest.raises(exchange.CatalogueImportError) as info:
        exchange.import_catalogue(data, actor=None, **kwargs)
    assert snapshot() == before
    assert AuditEvent.objects.count() == events
    return info.value.errors


# --- round trips ----------------------------------------------------------------------------------
def test_json_round_trip_is_exact(catalogue):
    exported = snapshot()
    assert exported["format"] == "motcua-catalogue" and len(exported["procedures"]) == 3
    item = next(p for p in exported["procedures"] if p["code"] == "DEMO-CT-01")
    assert item["time_value"] == 0 and item["same_day_cutoff"] is True
    assert [s["budget_hours"] for s in item["steps"]] == [0.25, 1.75]
    text = exchange.export_catalogue_json(Procedure.objects.all())
    wipe()
    result = exchange.import_catalogue(text, actor=None)
    assert sorted(result.created) == ["B-01", "DEMO-CT-01", "DEMO-LLTP-01"]
    assert snapshot() == exported


def test_excel_round_trip_is_exact(catalogue):
    from openpyxl import load_workbook

    exported = snapshot()
    content = exchange.export_catalogue_xlsx(Procedure.objects.all())
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Thủ tục", "Thành phần hồ sơ", "Quy trình"]
    assert book["Thủ tục"]["A1"].value == "Mã thủ tục"
    assert book["Thủ tục"].max_row == 4  # header + 3 procedures
    assert book["Quy trình"].max_row == 1 + 4 + 2
    # A name starting with "=" stays text, never a formula.
    names = [c.value for c in book["Thành phần hồ sơ"]["C"]]
    assert "'=Bản sao" in names
    assert all(c.data_type != "f" for row in book["Thành phần hồ sơ"].iter_rows() for c in row)
    wipe()
    exchange.import_catalogue(content, actor=None)
    assert snapshot() == exported


def test_import_writes_one_audit_event(catalogue, personas):
    text = exchange.export_catalogue_json(Procedure.objects.all())
    exchange.import_catalogue(text, actor=personas["admin"])
    event = AuditEvent.objects.get(action="procedure.import")
    assert event.actor == personas["admin"]
    assert sorted(event.data["updated"]) == ["B-01", "DEMO-CT-01", "DEMO-LLTP-01"]


def test_export_runs_a_constant_number_of_queries(catalogue, units):
    with CaptureQueriesContext(connection) as few:
        exchange.export_catalogue(Procedure.objects.all())
    for i in range(10):
        p = Procedure.objects.create(code=f"X-{i}", name="x", unit=units["A"])
        ProcedureStep.objects.create(
            procedure=p, order=1, name="s", role="specialist", budget_hours=1
        )
        RequiredDocument.objects.create(procedure=p, name="d", form="copy")
    with CaptureQueriesContext(connection) as many:
        data = exchange.export_catalogue(Procedure.objects.all())
    assert len(data["procedures"]) == 13
    assert len(many) == len(few)


# --- idempotency ----------------------------------------------------------------------------------
def test_reimport_updates_and_does_not_duplicate(catalogue):
    data = snapshot()
    counts = (
        Procedure.objects.count(),
        ProcedureStep.objects.count(),
        RequiredDocument.objects.count(),
    )
    for _ in range(2):
        result = exchange.import_catalogue(data, actor=None)
        assert result.created == [] and len(result.updated) == 3
    assert counts == (
        Procedure.objects.count(),
        ProcedureStep.objects.count(),
        RequiredDocument.objects.count(),
    )
    item = data["procedures"][2]
    assert item["code"] == "DEMO-LLTP-01"
    item["name"] = "Cấp Phiếu lý lịch tư pháp số 1"
    item["steps"] = item["steps"][:2]
    exchange.import_catalogue(data, actor=None)
    p = Procedure.objects.get(code="DEMO-LLTP-01")
    assert p.name == "Cấp Phiếu lý lịch tư pháp số 1"
    assert p.steps.count() == 2 and Procedure.objects.count() == 3


def test_new_field_is_created_from_its_name(units):
    data = {
        "procedures": [
            {
                "code": "P1",
                "name": "Một thủ tục",
                "unit_code": units["A"].code,
                "time_value": "1.5",
                "time_unit": "working_hours",
                "field_code": "LS",
                "field_name": "Luật sư",
            }
        ]
    }
    exchange.import_catalogue(data, actor=None)
    p = Procedure.objects.select_related("field").get(code="P1")
    assert p.field.name == "Luật sư" and str(p.time_value) == "1.50"
    assert p.fee == 0 and p.active and p.online_level == "partial"


def test_dry_run_changes_nothing(catalogue):
    data = snapshot()
    data["procedures"][0]["name"] = "Tên mới"
    before = snapshot()
    result = exchange.import_catalogue(data, actor=None, dry_run=True)
    assert len(result.updated) == 3
    assert snapshot() == before
    assert not AuditEvent.objects.filter(action="procedure.import").exists()


# --- refusals -------------------------------------------------------------------------------------
def test_excel_missing_column_is_refused_at_row_1(catalogue):
    content = exchange.export_catalogue_xlsx(Procedure.objects.all())
    bad = xlsx_edit(content, lambda book: book["Thủ tục"].delete_cols(2))  # "Tên thủ tục"
    errors = refused(bad)
    assert [(e.where, e.row) for e in errors] == [("Thủ tục", 1)]
    assert "Tên thủ tục" in errors[0].message


def test_excel_missing_sheet_is_refused(catalogue):
    content = exchange.export_catalogue_xlsx(Procedure.objects.all())
    bad = xlsx_edit(content, lambda book: book.remove(book["Quy trình"]))
    errors = refused(bad)
    assert "Quy trình" in str(errors[0])


def test_unknown_unit_negative_time_and_duplicate_code_name_their_rows(catalogue):
    content = exchange.export_catalogue_xlsx(Procedure.objects.all())

    def edit(book):
        sheet = book["Thủ tục"]
        sheet["E2"] = "999.99.99.X99"  # unit code of row 2
        sheet["G3"] = -1  # time value of row 3
        sheet["A4"] = sheet["A2"].value  # row 4 repeats the code of row 2

    errors = refused(xlsx_edit(content, edit))
    by_row = {e.row: e.message for e in errors if e.where == "Thủ tục"}
    assert set(by_row) == {2, 3, 4}
    assert "999.99.99.X99" in by_row[2]
    assert "negative" in by_row[3] and "Thời hạn giải quyết" in by_row[3]
    assert "repeated" in by_row[4] and "row 2" in by_row[4]
    # The documents and steps of the procedure whose code was overwritten now have no owner.
    assert {e.where for e in errors} == {"Thủ tục", "Thành phần hồ sơ", "Quy trình"}


def test_bad_document_and_step_rows_name_their_sheet_and_row(catalogue):
    content = exchange.export_catalogue_xlsx(Procedure.objects.all())

    def edit(book):
        book["Thành phần hồ sơ"]["A2"] = "NO-SUCH-CODE"
        book["Quy trình"]["D3"] = "janitor"
        book["Quy trình"]["E4"] = "-2"

    errors = refused(xlsx_edit(content, edit))
    assert {(e.where, e.row) for e in errors} == {
        ("Thành phần hồ sơ", 2),
        ("Quy trình", 3),
        ("Quy trình", 4),
    }


def test_duplicate_step_order_is_refused(catalogue):
    data = snapshot()
    steps = data["procedures"][2]["steps"]  # DEMO-LLTP-01, four steps
    steps[1]["order"] = steps[0]["order"]
    errors = refused(data)
    assert "appears twice" in errors[0].message


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04 this is a zip header and nothing else",
        b"\x00\x01\x02 binary junk",
        b"code,name\nA,B\n",
        "{not json",
        b"[]",
        b'{"procedures": "many"}',
        b'{"format": "something-else", "procedures": []}',
        b'{"procedures": []}',
    ],
)
def test_files_that_are_not_catalogues_are_refused(catalogue, content):
    errors = refused(content)
    assert errors and errors[0].row is None


def test_json_rows_are_numbered_from_one(catalogue, units):
    data = snapshot()
    data["procedures"][1]["time_unit"] = "fortnights"
    del data["procedures"][0]["unit_code"]
    data["procedures"][2]["steps"][0]["budget_hours"] = "abc"
    errors = refused(data)
    text = [str(e) for e in errors]
    assert any("row 2" in t and "time_unit" in t for t in text)
    assert any("row 1" in t and "unit_code" in t for t in text)
    assert any("steps" in t and "row 1" in t and "not a number" in t for t in text)


def test_unknown_calendar_and_field_without_name_are_refused(units):
    row = {"code": "P", "name": "n", "unit_code": units["A"].code, "time_value": 1}
    errors = refused(
        {
            "procedures": [
                {**row, "time_unit": "working_days", "calendar_name": "atlantis"},
                {**row, "code": "Q", "time_unit": "working_days", "field_code": "ZZ"},
            ]
        }
    )
    assert [e.row for e in errors] == [1, 2]


def test_import_restricted_to_the_callers_units(catalogue, units):
    data = snapshot()
    errors = refused(data, unit_codes={units["A"].code})
    assert [str(e) for e in errors] == [
        f"procedures, row 1: you may not change the procedures of unit '{units['B'].code}'"
    ]
    # Moving A's procedure to B is refused too.
    only_a = [p for p in data["procedures"] if p["code"] == "DEMO-LLTP-01"]
    only_a[0]["unit_code"] = units["B"].code
    assert refused({"procedures": only_a}, unit_codes={units["A"].code})


def test_error_message_is_one_line(catalogue):
    data = snapshot()
    for item in data["procedures"]:
        item["time_value"] = -1
    with pytest.raises(exchange.CatalogueImportError) as info:
        exchange.import_catalogue(data, actor=None)
    line = info.value.one_line(limit=2)
    assert "\n" not in line and "1 more" in line


def test_demo_catalogue_budgets_add_up(db):
    from motcua.procedures import demo
    from motcua.procedures.deadlines import budget_limit_hours

    demo.load(io.StringIO())
    for p in Procedure.objects.select_related("unit"):
        total = p.steps.aggregate(total=Sum("budget_hours"))["total"]
        assert total == budget_limit_hours(p), p.code


def test_exported_json_is_readable_vietnamese(catalogue):
    text = exchange.export_catalogue_json(Procedure.objects.all()).decode("utf-8")
    assert "Chứng thực" in text
    assert json.loads(text)["version"] == 1


def test_index_flags_round_trip_and_default_when_absent(catalogue):
    """DOMAIN §7 (3.3, 3.5, 4.1): 'result is a document' and 'payable online' travel with the
    catalogue; a file written before they existed gets the models' defaults."""
    Procedure.objects.filter(code="DEMO-CT-01").update(
        result_is_document=False, payable_online=True
    )
    exported = snapshot()
    item = next(p for p in exported["procedures"] if p["code"] == "DEMO-CT-01")
    assert item["result_is_document"] is False and item["payable_online"] is True
    content = exchange.export_catalogue_xlsx(Procedure.objects.all())
    wipe()
    exchange.import_catalogue(content, actor=None)
    assert snapshot() == exported
    for p in exported["procedures"]:
        del p["result_is_document"], p["payable_online"]
    wipe()
    exchange.import_catalogue(json.dumps(exported), actor=None)
    assert set(Procedure.objects.values_list("result_is_document", "payable_online")) == {
        (True, False)
    }


def test_two_signatures_travels_with_the_catalogue(catalogue):
    """Issue 15: a procedure whose result needs two signatures keeps the setting through an
    export and an import; a file written before the setting existed means one signature."""
    Procedure.objects.filter(code="DEMO-CT-01").update(two_signatures=True)
    exported = snapshot()
    item = next(p for p in exported["procedures"] if p["code"] == "DEMO-CT-01")
    assert item["two_signatures"] is True
    content = exchange.export_catalogue_xlsx(Procedure.objects.all())
    wipe()
    exchange.import_catalogue(content, actor=None)
    assert snapshot() == exported
    assert Procedure.objects.get(code="DEMO-CT-01").two_signatures is True
    for p in exported["procedures"]:
        del p["two_signatures"]
    wipe()
    exchange.import_catalogue(json.dumps(exported), actor=None)
    assert not Procedure.objects.filter(two_signatures=True).exists()
