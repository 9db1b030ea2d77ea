"""`motcua report ontime`: JSON fields, Vietnamese table, one-line errors with nothing on stdout."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from motcua.reports.ontime import FIELDS

pytestmark = pytest.mark.django_db


def run(capsys, *args):
    code = 0
    try:
        call_command("report", *args)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def january(make_dossier):
    make_dossier(
        received="2023-01-03T09:00",
        due="2023-01-06T09:00",
        finished="2023-01-05T09:00",
        status=10,
        channel="online",
    )
    make_dossier(
        received="2023-01-03T09:00", due="2023-01-06T09:00", finished="2023-01-09T09:00", status=10
    )
    make_dossier(received="2023-01-04T09:00", due="2023-01-09T09:00", unit="B")


def test_json_has_exactly_the_contract_fields_first(capsys, january):
    code, out, err = run(
        capsys, "ontime", "--from", "2023-01-01", "--to", "2023-01-31", "--format", "json"
    )
    assert code == 0 and err == ""
    data = json.loads(out)
    assert list(data)[: len(FIELDS)] == list(FIELDS)
    assert data["received_total"] == 3 and data["received_online"] == 1
    assert data["received_counter_post"] == 2 and data["carried_over"] == 0
    assert (data["settled_total"], data["settled_early"], data["settled_late"]) == (2, 1, 1)
    assert data["in_progress_total"] == data["in_progress_overdue"] == 1  # due 09/01 < end
    assert data["on_time_rate"] == 50.0 and data["identity_ok"] is True


def test_unit_filter(capsys, january, units):
    code, out, _ = run(
        capsys,
        "ontime",
        "--from",
        "2023-01-01",
        "--to",
        "2023-01-31",
        "--unit",
        units["B"].code,
        "--format",
        "json",
    )
    data = json.loads(out)
    assert code == 0 and data["received_total"] == 1 and data["unit"] == units["B"].code
    assert data["on_time_rate"] is None  # nothing settled: no rate


def test_text_table_in_vietnamese(capsys, january):
    code, out, _ = run(capsys, "ontime", "--from", "2023-01-01", "--to", "2023-01-31")
    assert code == 0
    assert "Biểu II.06a" in out and "(13)" in out and "50,00 %" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--from", "2023-02-30", "--to", "2023-03-01"], "--from"),
        (["--from", "2023-03-01", "--to", "hôm qua"], "--to"),
        (["--from", "2023-03-02", "--to", "2023-03-01"], "sau"),
        (["--from", "2023-01-01", "--to", "2023-01-31", "--unit", "000.00.99.H57"], "đơn vị"),
        (["--to", "2023-01-31"], "--from"),
        (["--from", "2023-01-01", "--to", "2023-01-31", "--format", "xml"], "format"),
    ],
)
def test_bad_input_one_line_on_stderr_nothing_on_stdout(capsys, units, args, needle):
    code, out, err = run(capsys, "ontime", *args)
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and needle in err


def test_inconsistent_data_is_printed_with_a_warning(capsys, make_dossier):
    make_dossier(
        received="2023-01-03T09:00", due="2023-01-06T09:00", finished="2023-01-05T09:00", status=4
    )
    code, out, err = run(
        capsys, "ontime", "--from", "2023-01-01", "--to", "2023-01-31", "--format", "json"
    )
    assert code == 0 and json.loads(out)["unaccounted"] == 1 and "cảnh báo" in err
