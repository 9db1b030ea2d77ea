"""`motcua report index766`: the JSON contract, the Vietnamese text, one-line errors (exit 2)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ARGS = ("index766", "--from", "2023-01-01", "--to", "2023-01-31")


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
    from motcua.dossiers.models import Dossier

    make_dossier(
        received="2023-01-03T09:00", due="2023-01-06T09:00", finished="2023-01-05T09:00", status=10
    )
    late = make_dossier(
        received="2023-01-03T09:00",
        due="2023-01-06T09:00",
        finished="2023-01-09T09:00",
        status=10,
        channel="online",
    )
    Dossier.objects.filter(pk=late.pk).update(synced_at=late.received_at, electronic_result=True)
    make_dossier(received="2023-01-04T09:00", due="2023-01-09T09:00", unit="B")


def test_json_contract(capsys, january):
    code, out, err = run(capsys, *ARGS, "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert list(data) == ["from", "to", "unit", "total", "max", "indicators"]
    assert (data["from"], data["to"], data["unit"]) == ("2023-01-01", "2023-01-31", None)
    assert data["max"] == "100.00"
    ids = [i["id"] for i in data["indicators"]]
    assert ids[:5] == ["1.1", "1.2", "1.3", "1.4", "2.1"] and "5.4" in ids
    assert not {"T1", "T2", "P1"} & set(ids)
    for item in data["indicators"]:
        assert list(item) == [
            "id", "title", "value", "numerator", "denominator", "target", "score", "max", "manual"
        ]  # fmt: skip
    by_id = {i["id"]: i for i in data["indicators"]}
    # 2.1: 3 dossiers (the open one of unit B is late at the period's end), 1 on time
    assert (by_id["2.1"]["numerator"], by_id["2.1"]["denominator"]) == (1, 3)
    assert by_id["2.1"]["value"] == "33.33" and by_id["2.1"]["score"] == "6.67"
    assert by_id["1.4"]["value"] == "33.33"  # 1 of 3 synced
    # 3.3 = 1/3 online (with its e-result) × 1/3 synced
    assert by_id["3.3"]["value"] == "11.11" and by_id["3.3"]["target"] == "50.00"
    assert by_id["1.1"]["manual"] is True and by_id["1.1"]["value"] is None
    assert by_id["5.1"]["value"] is None and by_id["5.1"]["denominator"] == 0  # no PAKN: N/A
    assert sum(float(i["score"]) for i in data["indicators"]) == pytest.approx(float(data["total"]))


def test_unit_filter(capsys, january, units):
    code, out, _ = run(capsys, *ARGS, "--unit", units["B"].code, "--format", "json")
    data = json.loads(out)
    by_id = {i["id"]: i for i in data["indicators"]}
    assert code == 0 and data["unit"] == units["B"].code
    assert (by_id["2.1"]["numerator"], by_id["2.1"]["denominator"]) == (0, 1)


def test_text_in_vietnamese(capsys, january):
    code, out, err = run(capsys, *ARGS)
    assert code == 0 and err == ""
    assert "Quyết định 766" in out and "Kỳ: 01/01/2023 – 31/01/2023" in out
    assert "2.1" in out and "Tổng:" in out and "/ 100,00 điểm" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("index766", "--from", "2023-13-01", "--to", "2023-01-31"), "không phải ngày hợp lệ"),
        (("index766", "--from", "2023-02-01", "--to", "2023-01-31"), "sau --to"),
        (("index766", "--from", "2023-01-01", "--to", "2023-01-31", "--unit", "XX"), "không có"),
        (("index766", "--to", "2023-01-31"), "--from"),
    ],
)
def test_bad_input_one_line_on_stderr_exit_2(capsys, units, args, needle):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("lỗi: ") and needle in err and err.count("\n") == 1
