"""`motcua blocking search|import|export`: output fields, all-or-nothing import, incremental export."""

import csv
import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from motcua.audit.models import AuditEvent
from motcua.blocking import services as s
from motcua.blocking.importer import COLUMNS
from motcua.blocking.models import Asset, BlockingRequest, Owner, SearchKey, SearchLog

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("blocking", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    except CommandError as exc:  # a bad argument under call_command (core.cli contract)
        code = exc.returncode
        err.write(str(exc))
    return code, out.getvalue(), err.getvalue()


def test_search_json_fields(make_request, capsys):
    r = make_request(publish=True)
    make_request(serial="NOT 1", owner="Khác", document_number="2/X")  # not published: invisible
    code, out, _err = run("search", "ab 123 456", "--format", "json")
    assert code == 0
    body = json.loads(out)
    assert body["query"] == "ab 123 456"
    assert [x["request_no"] for x in body["results"]] == [r.request_no]
    first = body["results"][0]
    assert list(first)[:8] == [
        "request_no", "kind", "status", "asset_type", "asset", "owners", "document_number", "authority",
    ]  # fmt: skip
    assert first["status"] == "active" and first["kind"] == "blocking"
    assert SearchLog.objects.get().who is None


def test_search_empty_query_fails(capsys):
    code, out, err = run("search", "")
    assert code != 0 and out == ""
    assert capsys.readouterr().err.count("\n") == 1


def _write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})


def row(no, **extra):
    base = {
        "request_no": no,
        "kind": "blocking",
        "authority": "Chi cục Thi hành án dân sự thành phố Huế",
        "document_number": f"{no}/QĐ-CCTHADS",
        "document_date": "2019-05-06",
        "received_at": "2019-05-07 08:00",
        "asset_type": "land",
        "certificate_serial": "BK 654.321",
        "parcel_number": "45",
        "map_sheet": "12",
        "address": "Kiet 5 Phan Dinh Phung, Hue",
        "owners": "Nguyen Thi Hoa|191234567;Tran Van Duc|046080001234",
        "status": "active",
    }
    base.update(extra)
    return base


def test_import_all_or_nothing(tmp_path, units, capsys):
    path = tmp_path / "old.csv"
    _write(
        path,
        [
            row("L-1"),
            row("L-2", asset_type="boat"),
            row("L-3", owners="Ai|12345"),
            row("L-4", status="released"),
            row("L-5", document_date="31/02/2019"),
        ],
    )
    code, out, _ = run("import", str(path), "--unit", units["A"].code)
    err = capsys.readouterr().err
    assert code == 1
    for line in ("dòng 3:", "dòng 4:", "dòng 5:", "dòng 6:"):
        assert line in err
    assert "dòng 2:" not in err
    assert BlockingRequest.objects.count() == 0 and SearchKey.objects.count() == 0


def test_import_idempotent_and_searchable(tmp_path, units, personas, capsys):
    path = tmp_path / "old.csv"
    _write(
        path,
        [
            row("L-1"),
            row("L-1", asset_type="vehicle", certificate_serial="", plate="75C1-234.56", frame_number="F1"),
            row("L-2", document_number="9/QĐ", status="released", release_document_number="3/GT",
                release_document_date="2020-01-02", certificate_serial="XX 1", authority="Tòa án nhân dân tỉnh"),
        ],
    )  # fmt: skip
    code, out, _ = run("import", str(path), "--unit", units["A"].code)
    assert code == 0, capsys.readouterr().err
    summary = json.loads(out)
    assert summary["requests_created"] == 2 and summary["assets_created"] == 3
    assert BlockingRequest.objects.get(request_no="L-1").assets.count() == 2
    released = BlockingRequest.objects.get(request_no="L-2")
    assert released.status == "released" and released.authority_type.code == "court"
    assert released.assets.get().released_by.document_number == "3/GT"
    assert AuditEvent.objects.filter(action="blocking.import").count() == 1
    counts = (BlockingRequest.objects.count(), Asset.objects.count(), Owner.objects.count())
    code, out, _ = run("import", str(path), "--unit", units["A"].code)
    assert code == 0 and json.loads(out)["requests_skipped"] == 2
    assert (BlockingRequest.objects.count(), Asset.objects.count(), Owner.objects.count()) == counts
    # Old names typed without diacritics are found by names typed with them.
    from motcua.blocking.search import run_search

    outcome = run_search(user=personas["notary"], query="Trần Văn Đức")
    assert {a.request.request_no for a in outcome.assets} == {"L-1", "L-2"}
    outcome = run_search(user=personas["notary"], query="75C1 23456")
    assert [a.request.request_no for a in outcome.assets] == ["L-1"]
    # New entries after an import get fresh ids (sequences moved past the imported rows).
    assert BlockingRequest.objects.order_by("-id").first().pk >= 2


def test_import_conflicting_rows_of_one_request(tmp_path, units, capsys):
    path = tmp_path / "old.csv"
    _write(path, [row("L-1"), row("L-1", document_date="2019-05-07")])
    code, _, _ = run("import", str(path), "--unit", units["A"].code)
    assert code == 1 and "document_date" in capsys.readouterr().err


def test_import_duplicate_document_in_file(tmp_path, units, capsys):
    path = tmp_path / "old.csv"
    _write(path, [row("L-1"), row("L-2", document_number="L-1/QĐ-CCTHADS")])
    code, _, _ = run("import", str(path), "--unit", units["A"].code)
    assert code == 1 and "L-1" in capsys.readouterr().err
    assert not BlockingRequest.objects.exists()


def test_import_bad_file(tmp_path, units, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("request_no,kind\nA,blocking\n", encoding="utf-8")
    code, _, _ = run("import", str(path), "--unit", units["A"].code)
    assert code == 1 and "thiếu cột" in capsys.readouterr().err
    code, _, _ = run("import", str(tmp_path / "missing.csv"), "--unit", units["A"].code)
    assert code == 1


def test_import_then_enter_new_request(tmp_path, units, make_request):
    path = tmp_path / "old.csv"
    _write(path, [row("L-1")])
    assert run("import", str(path), "--unit", units["A"].code)[0] == 0
    r = make_request(publish=True)  # ids after the imported rows: no clash
    assert r.pk > BlockingRequest.objects.get(request_no="L-1").pk


def test_export_full_and_incremental(tmp_path, make_request, officers):
    from datetime import date

    a = make_request(publish=True)
    make_request(serial="DR 1")  # a draft is never exported
    out = tmp_path / "full.jsonl"
    code, _, _ = run("export", "-o", str(out))
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert code == 0 and [x["request_no"] for x in lines] == [a.request_no]
    assert lines[0]["sync_id"] == str(a.sync_id)
    assert lines[0]["assets"][0]["sync_id"] == str(a.assets.get().sync_id)
    cursor = lines[0]["seq"]
    # Nothing changed: the incremental export is empty.
    code, _, _ = run("export", "-o", str(tmp_path / "none.jsonl"), "--since", str(cursor))
    assert (tmp_path / "none.jsonl").read_text() == ""
    s.request_release(
        actor=officers["enter"], request_id=a.pk, asset_ids=[a.assets.get().pk],
        document_number="1/GT", document_date=date(2025, 4, 1),
    )  # fmt: skip
    b = make_request(publish=True, serial="NEW 1")
    inc = tmp_path / "inc.jsonl"
    run("export", "-o", str(inc), "--since", str(cursor))
    lines = [json.loads(x) for x in inc.read_text(encoding="utf-8").splitlines()]
    assert [x["request_no"] for x in lines] == [a.request_no, b.request_no]
    assert lines[0]["sync_id"] == str(a.sync_id)  # stable
    assert lines[0]["status"] == "released"
    assert lines[0]["assets"][0]["released_by"] == lines[0]["releases"][0]["sync_id"]


def test_export_bad_cursor(tmp_path, capsys):
    code, _, _ = run("export", "-o", str(tmp_path / "x"), "--since", "-1")
    assert code != 0
    code, _, _ = run("export", "-o", str(tmp_path / "x"), "--since", "abc")
    assert code != 0


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["export", "-o", "x.jsonl", "--since", "abc"],
        ["search", "--limit", "many"],
        ["import"],
    ],
)  # fmt: skip
def test_bad_arguments_one_line_exit_2_in_a_real_process(args, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "motcua", "blocking", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lỗi:"), proc.stderr


def test_large_import_rebuilds_search_indexes(tmp_path, units, personas, monkeypatch, capsys):
    from motcua.blocking import importer

    monkeypatch.setattr(importer, "REBUILD_INDEX_FROM", 2)
    path = tmp_path / "old.csv"
    _write(path, [row("L-1"), row("L-2", document_number="2/QĐ", certificate_serial="QA 77")])
    code, _, _ = run("import", str(path), "--unit", units["A"].code)
    assert code == 0, capsys.readouterr().err
    from django.db import connection

    with connection.cursor() as cursor:
        names = {
            c
            for c, info in connection.introspection.get_constraints(
                cursor, SearchKey._meta.db_table
            ).items()
            if info["index"]
        }
    assert {"blocking_key_value", "blocking_key_request"} <= names
    from motcua.blocking.search import run_search

    assert run_search(user=personas["notary"], query="QA77").total == 1
