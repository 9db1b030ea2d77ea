"""Compliance cost (DOMAIN §9): arithmetic, the article's plan, `motcua cost`, the API."""

import json
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.management import call_command

from motcua.reform.cost import CostError, compare, hourly_from_monthly, parse_amount, yearly_cost

D = Decimal


def test_article_figures():
    common = {"hourly_income": D(31000), "dossiers_per_year": D(50)}
    before = yearly_cost(hours=D(24), **common)
    after = yearly_cost(hours=D(16), **common)
    result = compare(before, after)
    assert (before, after, result.saving) == (D(37200000), D(24800000), D(12400000))
    assert result.reduction_percent == D("33.33")
    assert result.lines() == [
        "Chi phí tuân thủ trước khi đơn giản hóa: 37.200.000 đồng/năm",
        "Chi phí tuân thủ sau khi đơn giản hóa: 24.800.000 đồng/năm",
        "Chi phí tiết kiệm: 12.400.000 đồng/năm",
        "Tỷ lệ cắt giảm: 33,33%",
    ]


def test_fees_other_and_activities():
    cost = yearly_cost(
        hours=[D("1.5"), D("0.5")],
        hourly_income=D(31000),
        dossiers_per_year=D(10),
        fees=D(50000),
        other=D(1000),
    )
    assert cost == (2 * 31000 + 50000 + 1000) * 10


def test_hourly_income_from_monthly_and_rounding_half_up():
    assert hourly_from_monthly(D(5456000)) == D(31000)
    # 1 h × 0.5 đồng × 1 dossier = 0.5 → 1 (half up)
    assert yearly_cost(hours=D(1), hourly_income=D("0.5"), dossiers_per_year=D(1)) == 1
    assert compare(D(3), D(1)).reduction_percent == D("66.67")
    assert compare(D(0), D(0)).reduction_percent == D("0.00")


@pytest.mark.parametrize("bad", ["-1", "abc", "nan", "inf", "", None])
def test_parse_amount_rejects(bad):
    with pytest.raises(CostError):
        parse_amount(bad, "x")


ARTICLE = [
    "--hours-before", "24", "--hours-after", "16",
    "--dossiers-per-year", "50", "--hourly-income", "31000",
]  # fmt: skip


def test_cost_command_json(capsys):
    call_command("cost", *ARTICLE, "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "cost_before": 37200000,
        "cost_after": 24800000,
        "saving": 12400000,
        "reduction_percent": "33.33",
    }


def test_cost_command_text(capsys):
    call_command("cost", *ARTICLE, "--fees", "0", "--other", "0")
    assert "Tỷ lệ cắt giảm: 33,33%" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [
        ["--hours-before", "-24", "--hours-after", "16", "--dossiers-per-year", "50", "--hourly-income", "31000"],
        ["--hours-before", "24", "--hours-after", "x", "--dossiers-per-year", "50", "--hourly-income", "31000"],
        ["--hours-before", "24", "--hours-after", "16", "--dossiers-per-year", "2.5", "--hourly-income", "31000"],
        ["--hours-before", "24", "--hours-after", "16", "--dossiers-per-year", "50", "--hourly-income", "31000", "--fees", "-1"],
        ["--hours-before", "24"],
    ],
)  # fmt: skip
def test_cost_command_bad_input(args):
    proc = subprocess.run(
        [sys.executable, "-m", "motcua", "cost", *args, "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lỗi:")


def test_cost_api(client, db):
    r = client.get(
        "/api/v1/reform/cost",
        {"hours_before": 24, "hours_after": 16, "dossiers_per_year": 50, "hourly_income": 31000},
    )
    assert r.status_code == 200
    assert r.json()["reduction_percent"] == "33.33" and r.json()["saving"] == 12400000
    bad = client.get(
        "/api/v1/reform/cost",
        {"hours_before": -1, "hours_after": 16, "dossiers_per_year": 50, "hourly_income": 31000},
    )
    assert bad.status_code == 400 and "âm" in bad.json()["detail"]
