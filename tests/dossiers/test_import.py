"""`motcua import-dossiers`: all-or-nothing validation, historical entries, re-import, speed path."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.audit.models import AuditEvent
from motcua.dossiers.codes import next_dossier_code
from motcua.dossiers.importer import COLUMNS, OPTIONAL_COLUMNS, ImportFailed, import_dossiers
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.orgs.models import Unit
from motcua.procedures.models import Procedure

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
GOOD = [
    # code, procedure, name, unit, unit name, channel, applicant, submitted, received, due, finished, returned, status
    "000.00.12.H57-230103-0001,DEMO-LLTP-01,Cấp Phiếu LLTP,000.00.12.H57,Sở Tư pháp,online,Nguyễn Văn An,2023-01-03T08:00,2023-01-03T09:00,2023-01-06T09:00,2023-01-05T10:00,2023-01-06T10:00,10",
    "000.00.12.H57-230103-0002,DEMO-LLTP-01,,000.00.12.H57,,counter,Trần Thị Bình,,2023-01-03T10:00:00+07:00,2023-01-06T10:00,2023-01-06T11:00,,9",
    "000.00.12.H57-230104-0001,DEMO-LLTP-01,,000.00.12.H57,,post,Lê Văn Cường,,2023-01-04T09:00,2023-01-09T09:00,2023-01-05T09:00,,7",
    "000.00.12.H57-230104-0002,DEMO-LLTP-01,,000.00.12.H57,,counter,Phạm Thị Dung,,2023-01-04T09:00,2023-01-09T09:00,,,4",
]


def write(tmp_path: Path, rows: list[str], *, bom: bool = False, name: str = "in.csv") -> Path:
    path = tmp_path / name
    text = "\n".join([HEADER, *rows]) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def run(capsys, *args):
    code = 0
    try:
        call_command("import-dossiers", *map(str, args))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("bom", [False, True])
def test_import_creates_historical_dossiers_events_and_one_audit_event(
    tmp_path, capsys, procedure, bom
):
    code, out, err = run(capsys, write(tmp_path, GOOD, bom=bom), "--format", "json")
    assert code == 0, err
    assert json.loads(out) == {
        "created": 4,
        "updated": 0,
        "skipped": 0,
        "rows": 4,
        "created_units": [],
        "created_procedures": [],
    }
    assert Dossier.objects.filter(is_historical=True).count() == 4
    first = Dossier.objects.get(code=GOOD[0].split(",")[0])
    assert (
        first.status == 10 and first.channel == "online" and first.applicant_name == "Nguyễn Văn An"
    )
    assert first.applicant_name_folded == "nguyen van an"
    assert first.received_at.isoformat() == "2023-01-03T02:00:00+00:00"  # naive = +07:00
    assert first.rule_version == "61/2018"
    withdrawn = Dossier.objects.get(code="000.00.12.H57-230104-0001")
    assert withdrawn.finished_at is None and withdrawn.closed_at is not None  # closing time
    assert DossierEvent.objects.filter(action="import", public=False).count() == 4
    # One line per dossier, made by the database (INSERT … SELECT): the last time it knows.
    for dossier in Dossier.objects.filter(is_historical=True):
        (event,) = dossier.events.all()
        expected = (
            dossier.returned_at
            or dossier.finished_at
            or dossier.closed_at
            or dossier.received_at
            or dossier.submitted_at
        )
        assert (event.at, event.to_status, event.from_status, event.actor_id) == (
            expected,
            dossier.status,
            None,
            None,
        )
        assert event.note == "Nhập từ hệ thống cũ"
    assert AuditEvent.objects.filter(action="dossier.import").count() == 1


def test_reimport_skips_unchanged_and_updates_changed(tmp_path, capsys, procedure):
    run(capsys, write(tmp_path, GOOD), "--format", "json")
    changed = [*GOOD]
    changed[3] = changed[3].replace(",,,4", ",2023-01-06T09:00,,9")
    code, out, _ = run(capsys, write(tmp_path, changed, name="again.csv"), "--format", "json")
    assert code == 0
    summary = json.loads(out)
    assert (summary["created"], summary["updated"], summary["skipped"]) == (0, 1, 3)
    assert Dossier.objects.count() == 4
    assert Dossier.objects.get(code="000.00.12.H57-230104-0002").status == 9
    assert DossierEvent.objects.filter(action="import_update").count() == 1
    assert AuditEvent.objects.filter(action="dossier.import").count() == 2


def test_code_counters_move_past_imported_codes(tmp_path, capsys, procedure):
    run(capsys, write(tmp_path, GOOD))
    from datetime import date

    code, number = next_dossier_code("000.00.12.H57", date(2023, 1, 3))
    assert number == 3 and code.endswith("-230103-0003")


BAD_ROWS = [
    ("", "thiếu mã hồ sơ"),
    ("X-2,NOPE,,000.00.12.H57,,online,A,,2023-01-03T09:00,,,,2", "không có thủ tục mã 'NOPE'"),
    (
        "X-3,DEMO-LLTP-01,,999.99.99.H57,,online,A,,2023-01-03T09:00,,,,2",
        "không có đơn vị mã '999.99.99.H57'",
    ),
    ("X-4,DEMO-LLTP-01,,000.00.12.H57,,fax,A,,2023-01-03T09:00,,,,2", "kênh 'fax'"),
    ("X-5,DEMO-LLTP-01,,000.00.12.H57,,online,A,,2023-01-03T09:00,,,,11", "trạng thái '11'"),
    (
        "X-6,DEMO-LLTP-01,,000.00.12.H57,,online,A,,2023-02-30T09:00,,,,2",
        "received_at '2023-02-30T09:00'",
    ),
    ("X-7,DEMO-LLTP-01,,000.00.12.H57,,online,A,,03/01/2023,,,,2", "ISO 8601"),
    ("X-8,DEMO-LLTP-01,,000.00.12.H57,,online,A,,2023-01-03T09:00,2023-01-02T09:00,,,2", "due_at"),
    (
        "X-9,DEMO-LLTP-01,,000.00.12.H57,,online,A,,2023-01-03T09:00,2023-01-05T09:00,,,9",
        "cần finished_at",
    ),
    (
        "X-10,DEMO-LLTP-01,,000.00.12.H57,,online,A,,2023-01-03T09:00,2023-01-05T09:00,2023-01-04T09:00,,10",
        "cần returned_at",
    ),
    (
        "X-11,DEMO-LLTP-01,,000.00.12.H57,,online,A,,2023-01-03T09:00,,2023-01-02T09:00,,10",
        "finished_at trước received_at",
    ),
    ("X-12,DEMO-LLTP-01,,000.00.12.H57,,online,A,,2999-01-03T09:00,,,,2", "tương lai"),
    ("X-13,DEMO-LLTP-01,,000.00.12.H57,,online,A,,2023-01-03T09:00,,,,", "trạng thái ''"),
    ("X-14,DEMO-LLTP-01,,000.00.12.H57,,online,A", "có 7 cột"),
    ("X-15,DEMO-LLTP-01,,000.00.12.H57,,online,A,,,,,,4", "cần received_at"),
]


@pytest.mark.parametrize(("row", "reason"), BAD_ROWS)
def test_one_bad_row_rejects_the_file_and_changes_nothing(tmp_path, capsys, procedure, row, reason):
    rows = [
        GOOD[0],
        row or ",DEMO-LLTP-01,,000.00.12.H57,,online,A,,2023-01-03T09:00,,,,2",
        GOOD[1],
    ]
    code, out, err = run(capsys, write(tmp_path, rows), "--format", "json")
    assert code == 1 and out == ""
    assert "dòng 3: " in err and reason in err, err
    assert Dossier.objects.count() == 0
    assert not AuditEvent.objects.filter(action="dossier.import").exists()


def test_every_reason_of_every_row_is_reported(tmp_path, capsys, procedure):
    rows = [GOOD[0], BAD_ROWS[3][0], BAD_ROWS[4][0], GOOD[0], "X-4,X,,Y,,z,A,,,,,,0"]
    code, _, err = run(capsys, write(tmp_path, rows))
    lines = [line for line in err.splitlines() if line.startswith("lỗi: dòng")]
    assert code == 1
    assert any("dòng 3:" in line and "kênh" in line for line in lines)
    assert any("dòng 4:" in line and "trạng thái" in line for line in lines)
    assert any("dòng 5:" in line and "trùng với dòng 2" in line for line in lines)
    assert any("dòng 6:" in line and "trùng với dòng 3" in line for line in lines)
    assert sum("dòng 6:" in line for line in lines) >= 3  # channel, status, reception time...
    assert Dossier.objects.count() == 0


def test_create_missing_makes_historical_units_and_procedures(tmp_path, capsys, units):
    rows = [GOOD[0].replace("DEMO-LLTP-01", "OLD-01").replace("000.00.12.H57,Sở", "H57-CU,Sở")]
    code, out, err = run(capsys, write(tmp_path, rows))
    assert code == 1 and "OLD-01" in err and "H57-CU" in err
    code, out, err = run(capsys, write(tmp_path, rows), "--create-missing", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["created_procedures"] == ["OLD-01"]
    unit = Unit.objects.get(code="H57-CU")
    assert unit.is_historical and unit.name == "Sở Tư pháp"
    old = Procedure.objects.get(code="OLD-01")
    assert old.is_historical and not old.active and old.time_value == 0 and old.unit == unit
    assert old.name == "Cấp Phiếu LLTP"


def test_live_dossiers_are_never_overwritten(tmp_path, capsys, procedure, units):
    Dossier.objects.create(
        code="000.00.12.H57-230103-0001",
        procedure=procedure,
        unit=units["A"],
        channel="counter",
        status=2,
        applicant_name="Live",
    )
    code, _, err = run(capsys, write(tmp_path, GOOD))
    assert code == 1 and "đang xử lý" in err
    assert Dossier.objects.count() == 1 and Dossier.objects.get().applicant_name == "Live"


def test_file_problems(tmp_path, capsys, procedure):
    code, out, err = run(capsys, tmp_path / "missing.csv")
    assert code == 1 and out == "" and err.count("\n") == 1
    (tmp_path / "latin.csv").write_bytes((HEADER + "\nX,Đ\n").encode("utf-16"))
    code, _, err = run(capsys, tmp_path / "latin.csv")
    assert code == 1 and ("UTF-8" in err or "thiếu cột" in err)
    (tmp_path / "cols.csv").write_text("code,status\nX,2\n", encoding="utf-8")
    code, _, err = run(capsys, tmp_path / "cols.csv")
    assert code == 1 and "dòng 1: thiếu cột" in err
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    code, _, err = run(capsys, tmp_path / "empty.csv")
    assert code == 1 and "trống" in err
    assert Dossier.objects.count() == 0


def test_service_raises_with_all_errors_and_batches(tmp_path, procedure, monkeypatch):
    import motcua.dossiers.importer as importer

    monkeypatch.setattr(importer, "BATCH", 7)  # several batches on a small file
    rows = [
        f"H-{i:05d},DEMO-LLTP-01,,000.00.12.H57,,counter,Người {i},,2023-03-01T09:00,2023-03-06T09:00,2023-03-03T09:00,2023-03-03T10:00,10"
        for i in range(50)
    ]
    result = import_dossiers(actor=None, source=write(tmp_path, rows))
    assert (result.created, result.rows) == (50, 50)
    assert DossierEvent.objects.filter(action="import").count() == 50
    with pytest.raises(ImportFailed) as failed:
        import_dossiers(actor=None, source=write(tmp_path, [*rows, rows[0]], name="dup.csv"))
    assert [str(e) for e in failed.value.errors] == ["dòng 52: mã hồ sơ 'H-00000' trùng với dòng 2"]
    assert Dossier.objects.count() == 50


def test_help_documents_the_command(capsys):
    with pytest.raises(SystemExit):
        call_command("import-dossiers", "--help")
    assert "--create-missing" in capsys.readouterr().out


def test_rows_cross_several_spilled_batches_with_the_same_result(tmp_path, procedure, monkeypatch):
    import motcua.dossiers.importer as importer

    monkeypatch.setattr(importer, "BATCH", 3)  # 4 rows: two pickled batches, two written batches
    result = import_dossiers(actor=None, source=write(tmp_path, GOOD))
    assert (result.created, result.rows) == (4, 4)
    assert Dossier.objects.filter(is_historical=True).count() == 4


# --- optional columns: what the 766 index reads (DOMAIN §7) and the identity type (§12) ---------
MARKS_HEADER = ",".join((*COLUMNS, *OPTIONAL_COLUMNS))
#: supplement_requests … applicant_id_number, in OPTIONAL_COLUMNS' order.
MARKS_GOOD = [
    GOOD[0]
    + ",2,2023-01-04T08:00,2023-01-05T08:00,2023-01-03T09:05,1,1,0,1,1,1,50000,cccd,046190000123",
    GOOD[1] + ",,,,,0,,,,,,,,",
    GOOD[2] + ",,2023-01-04T10:00,,2023-01-04T09:30,,1,,,,,0,,123456789",
    GOOD[3] + ",0,,,,,,,,,,,passport,B1234567",
]


def write_marks(tmp_path: Path, rows: list[str], name: str = "marks.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([MARKS_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_optional_columns_fill_the_index_marks(tmp_path, capsys, procedure):
    code, out, err = run(capsys, write_marks(tmp_path, MARKS_GOOD), "--format", "json")
    assert code == 0, err
    first = Dossier.objects.get(code=GOOD[0].split(",")[0])
    assert first.supplement_requests == 2
    assert first.supplement_requested_at.isoformat() == "2023-01-04T01:00:00+00:00"
    assert first.supplement_completed_at.isoformat() == "2023-01-05T01:00:00+00:00"
    assert first.synced_at.isoformat() == "2023-01-03T02:05:00+00:00"
    assert (first.electronic_result, first.digitised, first.reused_data) == (True, True, False)
    assert (first.from_data_store, first.vneid_verified, first.paid_online) == (True, True, True)
    assert first.fee == Decimal(50000)
    assert (first.applicant_id_type, first.applicant_id_number) == ("cccd", "046190000123")
    # Empty = unknown / no.
    second = Dossier.objects.get(code=GOOD[1].split(",")[0])
    assert second.supplement_requests == 0 and second.supplement_requested_at is None
    assert second.synced_at is None and not second.electronic_result and second.fee is None
    assert second.applicant_id_type == "" and second.applicant_id_number == ""
    # Withdrawn (7): finished_at is the withdrawal, stored as closed_at (the end for 2.1);
    # a request without a count is one request; a number without a type gets its shape's type.
    withdrawn = Dossier.objects.get(code="000.00.12.H57-230104-0001")
    assert withdrawn.closed_at.isoformat() == "2023-01-05T02:00:00+00:00"
    assert withdrawn.finished_at is None and withdrawn.supplement_requests == 1
    assert withdrawn.digitised and withdrawn.fee == Decimal(0)
    assert withdrawn.applicant_id_type == "cmnd"
    assert Dossier.objects.get(code="000.00.12.H57-230104-0002").applicant_id_type == "passport"
    # Re-importing the basic file (no optional columns) keeps the marks; changing one updates it.
    code, out, _ = run(capsys, write(tmp_path, GOOD, name="plain.csv"), "--format", "json")
    assert code == 0 and json.loads(out)["skipped"] == 4
    assert Dossier.objects.get(pk=first.pk).electronic_result
    changed = [MARKS_GOOD[0].replace(",50000,", ",60000,"), *MARKS_GOOD[1:]]
    code, out, _ = run(capsys, write_marks(tmp_path, changed, "again.csv"), "--format", "json")
    assert json.loads(out)["updated"] == 1
    first.refresh_from_db()
    assert first.fee == Decimal(60000) and first.supplement_requests == 2


def _with(column: str, value: str) -> str:
    """GOOD[0] with every optional column empty except `column`."""
    cells = [""] * len(OPTIONAL_COLUMNS)
    cells[OPTIONAL_COLUMNS.index(column)] = value
    return GOOD[0] + "," + ",".join(cells)


BAD_MARKS = [
    ("supplement_requests", "-1", "supplement_requests '-1' không phải số nguyên"),
    ("supplement_requests", "hai", "supplement_requests 'hai'"),
    (
        "supplement_completed_at",
        "2023-01-05T08:00",
        "supplement_completed_at cần supplement_requested_at",
    ),
    ("supplement_requested_at", "2023-01-01T08:00", "supplement_requested_at trước khi nộp"),
    ("supplement_requested_at", "ngày mai", "không phải thời điểm ISO 8601"),
    ("synced_at", "2999-01-01T00:00", "synced_at '2999-01-01T00:00' ở tương lai"),
    ("synced_at", "2023-01-02T00:00", "synced_at trước khi nộp"),
    ("electronic_result", "có", "electronic_result 'có' không hợp lệ"),
    ("digitised", "2", "digitised '2' không hợp lệ"),
    ("reused_data", "yes", "reused_data 'yes'"),
    ("from_data_store", "x", "from_data_store 'x'"),
    ("vneid_verified", "true", "vneid_verified 'true'"),
    ("paid_online", "-1", "paid_online '-1'"),
    ("fee", "-5000", "fee '-5000' không phải số tiền"),
    ("fee", "50.000.5", "fee '50.000.5'"),
    ("fee", "1" * 15, "không phải số tiền"),
    ("applicant_id_type", "bằng lái", "applicant_id_type 'bằng lái' không hợp lệ"),
    ("applicant_id_type", "cccd", "applicant_id_type cần applicant_id_number"),
    ("applicant_id_number", "1" * 21, "applicant_id_number dài quá 20 ký tự"),
]


@pytest.mark.parametrize(("column", "value", "reason"), BAD_MARKS)
def test_each_bad_optional_value_rejects_the_file(
    tmp_path, capsys, procedure, column, value, reason
):
    rows = [MARKS_GOOD[1], _with(column, value), MARKS_GOOD[3]]
    code, out, err = run(capsys, write_marks(tmp_path, rows), "--format", "json")
    assert code == 1 and out == ""
    assert "dòng 3: " in err and reason in err, err
    assert Dossier.objects.count() == 0


def test_completed_before_requested_and_counts_that_contradict(tmp_path, capsys, procedure):
    row = GOOD[0] + ",0,2023-01-05T08:00,2023-01-04T08:00" + "," * (len(OPTIONAL_COLUMNS) - 3)
    code, _, err = run(capsys, write_marks(tmp_path, [row]))
    assert code == 1 and "supplement_completed_at trước supplement_requested_at" in err
    assert "supplement_requests = 0 nhưng có supplement_requested_at" in err
    # An electronic result needs a result: not for a dossier still in progress (status 4).
    row = GOOD[3] + ",,,,,1" + "," * (len(OPTIONAL_COLUMNS) - 5)
    code, _, err = run(capsys, write_marks(tmp_path, [row], "e.csv"))
    assert code == 1 and "electronic_result = 1 chỉ dùng cho trạng thái 9, 10" in err
    # A CCCD number has 12 digits (DOMAIN §12).
    row = GOOD[0] + "," * (len(OPTIONAL_COLUMNS) - 2) + ",cccd,04619000012"
    code, _, err = run(capsys, write_marks(tmp_path, [row], "id.csv"))
    assert code == 1 and "applicant_id_number '04619000012' không phải cccd (12 chữ số)" in err
    assert Dossier.objects.count() == 0


def test_the_command_starts_without_loading_every_view(tmp_path):
    """It runs the models' checks only (issue 17): the URL checks would import every view and
    with them fpdf, openpyxl and django-ninja (≈ 95 MB and 2 s before the first row)."""
    import subprocess  # nosec B404
    import sys

    script = (
        "import os, sys, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'motcua.settings')\n"
        "django.setup()\n"
        "from django.core.management import ManagementUtility\n"
        "try:\n"
        "    ManagementUtility(['motcua', 'import-dossiers', sys.argv[1]]).execute()\n"
        "except SystemExit as exit:\n"
        "    print('exit', exit.code)\n"
        "print(sorted(m for m in ('fpdf', 'openpyxl', 'ninja') if m in sys.modules))\n"
    )
    done = subprocess.run(  # nosec B603
        [sys.executable, "-c", script, str(tmp_path / "missing.csv")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.split("\n")[:2] == ["exit 1", "[]"], done.stdout + done.stderr
    assert "không đọc được tệp" in done.stderr
