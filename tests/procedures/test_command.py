"""`motcua catalogue export|import`: files round-trip; bad input exits 1 with one line, changes nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from motcua.procedures import exchange
from motcua.procedures.models import Procedure

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("catalogue", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_export_then_import_round_trips(catalogue, tmp_path, fmt):
    before = exchange.export_catalogue(Procedure.objects.all())
    path = tmp_path / f"catalogue.{fmt}"
    code, out, err = run("export", "--format", fmt, "-o", str(path))
    assert code == 0 and path.stat().st_size > 0 and "3" in err
    Procedure.objects.all().delete()
    code, out, err = run("import", str(path), "--format", "json")
    assert code == 0, err
    assert sorted(json.loads(out)["created"]) == ["B-01", "DEMO-CT-01", "DEMO-LLTP-01"]
    assert exchange.export_catalogue(Procedure.objects.all()) == before


def test_export_json_to_stdout_with_filters(catalogue, units):
    code, out, err = run("export", "--unit", units["B"].code)
    assert code == 0
    assert [p["code"] for p in json.loads(out)["procedures"]] == ["B-01"]
    code, out, err = run("export", "--demo", "only")
    assert [p["code"] for p in json.loads(out)["procedures"]] == ["DEMO-CT-01"]


def test_excel_export_needs_a_file(catalogue):
    code, out, err = run("export", "--format", "xlsx")
    assert code == 1 and out == "" and err.count("\n") == 1


@pytest.mark.parametrize(
    "content",
    [b"not a spreadsheet", b"PK\x03\x04broken zip", b'{"procedures": [{"code": "X"}]}'],
)
def test_bad_files_exit_1_with_one_line_and_change_nothing(catalogue, tmp_path, content):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    before = exchange.export_catalogue(Procedure.objects.all())
    code, out, err = run("import", str(path))
    assert code == 1 and out == ""
    assert err.startswith("lỗi: ") and err.count("\n") == 1
    assert exchange.export_catalogue(Procedure.objects.all()) == before


def test_row_errors_are_reported_with_row_numbers(catalogue, tmp_path):
    data = exchange.export_catalogue(Procedure.objects.all())
    data["procedures"][1]["time_value"] = -3
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run("import", str(path))
    assert code == 1 and "2" in err and "time_value" in err and err.count("\n") == 1


def test_missing_file_and_dry_run(catalogue, tmp_path):
    code, out, err = run("import", str(tmp_path / "nope.json"))
    assert code == 1 and err.count("\n") == 1
    path = tmp_path / "c.json"
    path.write_bytes(exchange.export_catalogue_json(Procedure.objects.all()))
    Procedure.objects.filter(code="B-01").delete()
    code, out, err = run("import", str(path), "--dry-run")
    assert code == 0 and not Procedure.objects.filter(code="B-01").exists()
