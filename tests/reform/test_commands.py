"""`motcua reform rank` and `motcua reform import-results`: the article's figures, bad input."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from motcua.reform import demo
from motcua.reform.models import Result, Scheme


def rank(capsys, *args):
    call_command("reform", "rank", *args, "--format", "json")
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def demo_data(db):
    demo.load(io.StringIO())


def test_article_ranking_2023(demo_data, capsys):
    data = rank(capsys, "--year", "2023")
    assert data["year"] == 2023
    blocks = {b["block"]: b["units"] for b in data["blocks"]}
    departments = blocks["department"]
    assert len(departments) == 21
    top = [(u["rank"], u["unit_name"], u["total"], u["classification"]) for u in departments[:5]]
    assert top[:4] == [
        (1, "Sở Tư pháp", 92.62, "Xuất sắc"),
        (2, "Sở Nông nghiệp và Phát triển nông thôn", 90.91, "Xuất sắc"),
        (3, "Văn phòng UBND tỉnh", 90.89, "Xuất sắc"),
        (4, "Sở Ngoại vụ", 90.83, "Xuất sắc"),
    ]
    assert [u["classification"] for u in departments].count("Xuất sắc") == 4
    justice = departments[0]
    assert justice["unit_code"] == "000.00.12.H57" and justice["previous_rank"] == 13
    assert set(departments[0]) >= {
        "rank", "unit_code", "unit_name", "total", "classification", "previous_rank"
    }  # fmt: skip
    districts = blocks["district"]
    assert [(u["unit_name"], u["total"]) for u in districts[:3]] == [
        ("UBND huyện Phong Điền", 86.19),
        ("UBND huyện Quảng Điền", 85.77),
        ("UBND huyện Phú Vang", 84.86),
    ]
    assert districts[0]["rank"] == 1 and districts[0]["classification"] == "Tốt"
    assert not any(u["classification"] == "Xuất sắc" for u in districts)
    # every other unit is clearly marked as made up
    named = {"Sở Tư pháp", "Sở Nông nghiệp và Phát triển nông thôn", "Văn phòng UBND tỉnh",
             "Sở Ngoại vụ", "UBND huyện Phong Điền", "UBND huyện Quảng Điền", "UBND huyện Phú Vang"}  # fmt: skip
    for u in departments + districts:
        assert u["unit_name"] in named or u["unit_name"].endswith("(minh hoạ)")


def test_rank_2022_justice_13_of_21(demo_data, capsys):
    units = rank(capsys, "--year", "2022", "--block", "department")["blocks"][0]["units"]
    assert len(units) == 21
    assert next(u for u in units if u["unit_code"] == "000.00.12.H57")["rank"] == 13


def test_demo_is_idempotent(demo_data):
    before = (Result.objects.count(), Scheme.objects.count())
    demo.load(io.StringIO())
    assert (Result.objects.count(), Scheme.objects.count()) == before


CSV = """year,block,unit_code,unit_name,total,self_score,appraised_score,survey_score
2023,department,000.00.12.H57,Sở Tư pháp,92.62,,,
2023,department,000.00.X1.H57,Sở A,90.00,,,
2023,department,000.00.X2.H57,Sở B,90.00,,,
2023,department,000.00.X3.H57,Sở C,89.99,60,58.5,31.49
"""


def write(tmp_path, text, name="r.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_results_ties_and_bands(db, tmp_path, capsys):
    call_command("reform", "import-results", write(tmp_path, CSV))
    units = rank(capsys, "--year", "2023")["blocks"][0]["units"]
    assert [(u["rank"], u["total"], u["classification"]) for u in units] == [
        (1, 92.62, "Xuất sắc"),
        (2, 90.0, "Xuất sắc"),
        (2, 90.0, "Xuất sắc"),
        (4, 89.99, "Tốt"),
    ]
    r = Result.objects.get(unit__code="000.00.X3.H57")
    assert (r.self_score, r.appraised_score, r.survey_score) == (
        Decimal(60),
        Decimal("58.5"),
        Decimal("31.49"),
    )
    # dense ties are a property of the scheme
    scheme = Scheme.objects.get(year=2023, block="department")
    scheme.tie_policy = "dense"
    scheme.save()
    from motcua.reform.services import rerank

    rerank(scheme)
    units = rank(capsys, "--year", "2023")["blocks"][0]["units"]
    assert [u["rank"] for u in units] == [1, 2, 2, 3]


def test_import_is_idempotent(db, tmp_path):
    path = write(tmp_path, CSV)
    call_command("reform", "import-results", path)
    call_command("reform", "import-results", path)
    assert Result.objects.count() == 4


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("year,block,unit_code,unit_name\n2023,department,X,Y\n", "thiếu cột"),
        ("year,block,unit_code,unit_name,total\n2023,department,X,Y,abc\n", "dòng 3"),
        ("year,block,unit_code,unit_name,total\n2023,department,X,Y,-5\n", "dòng 3"),
        ("year,block,unit_code,unit_name,total\n2023,khoi,X,Y,80\n", "khối"),
        ("year,block,unit_code,unit_name,total\nabc,department,X,Y,80\n", "năm"),
        ("year,block,unit_code,unit_name,total\n2023,department,X,Y,80\n2023,department,X,Y,81\n", "lặp"),
        ("year,block,unit_code,unit_name,total\n2023,department,,Y,80\n", "mã đơn vị"),
        ("year,block,unit_code,unit_name,total\n2023,department,X,Y,80.123\n", "thập phân"),
        ("year,block,unit_code,unit_name,total\n", "không có dòng"),
    ],
)  # fmt: skip
def test_import_bad_input_changes_nothing(db, tmp_path, capsys, text, reason):
    good = "2023,department,000.00.X9.H57,Sở tốt,80\n"
    header, _, rest = text.partition("\n")
    path = write(tmp_path, header + "\n" + (good if "total" in header and rest else "") + rest)
    with pytest.raises(SystemExit) as exc:
        call_command("reform", "import-results", path)
    assert exc.value.code != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("lỗi:") and reason in err[0]
    assert Result.objects.count() == 0 and Scheme.objects.count() == 0


def test_import_not_utf8_and_missing_file(db, tmp_path, capsys):
    path = tmp_path / "latin.csv"
    path.write_bytes(
        "year,block,unit_code,unit_name,total\n2023,department,X,S\xe9,1\n".encode("latin-1")
    )
    with pytest.raises(SystemExit):
        call_command("reform", "import-results", str(path))
    assert "UTF-8" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        call_command("reform", "import-results", str(tmp_path / "missing.csv"))
    assert "không mở được" in capsys.readouterr().err


def test_rank_unknown_year(db, capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("reform", "rank", "--year", "1999", "--format", "json")
    assert exc.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "1999" in captured.err


def test_rank_text_output(demo_data, capsys):
    call_command("reform", "rank", "--year", "2023", "--block", "district")
    out = capsys.readouterr().out
    assert "86.19" in out and "Phong Điền" in out


def test_rankings_api(demo_data, client):
    r = client.get("/api/v1/reform/rankings/2023", {"block": "department"})
    assert r.status_code == 200
    assert r.json()["blocks"][0]["units"][0]["unit_name"] == "Sở Tư pháp"
    assert client.get("/api/v1/reform/rankings/1999").status_code == 404
    assert client.get("/api/v1/reform/rankings/2023", {"block": "x"}).status_code == 404
