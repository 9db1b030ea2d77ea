"""II.06a rule profiles (DOMAIN §6): what each seeded profile counts, the department's default
(admin, one default), and every surface stating the profile it used (page, Excel, CLI)."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from motcua.audit.models import AuditEvent
from motcua.reports.models import RuleProfile
from motcua.reports.ontime import compute_ontime, profile_rules

pytestmark = pytest.mark.django_db

JAN = (date(2023, 1, 1), date(2023, 1, 31))
JAN_Q = {"date_from": "2023-01-01", "date_to": "2023-01-31"}


@pytest.fixture
def january(make_dossier):
    """One dossier per treated status, and settled ones on both sides of the due time."""
    # Settled early; settled on the due date after the due time (late by timestamps only).
    make_dossier(
        received="2023-01-03T09:00", due="2023-01-06T09:00", finished="2023-01-04T09:00", status=10
    )
    make_dossier(
        received="2023-01-03T09:00", due="2023-01-06T09:00", finished="2023-01-06T15:00", status=10
    )
    # Refused after reception, withdrawn, stopped: closed on 05/01, due 09/01 (early by date).
    for status in (3, 7, 8):
        make_dossier(
            received="2023-01-04T09:00",
            due="2023-01-09T09:00",
            closed="2023-01-05T10:00",
            status=status,
        )
    # Waiting for supplement and for payment, past their due time at the end of January.
    make_dossier(received="2023-01-10T09:00", due="2023-01-12T09:00", status=5)
    make_dossier(received="2023-01-10T09:00", due="2023-01-12T09:00", status=6)


def columns(r):
    return {
        "settled": (r.settled_early, r.settled_on_time, r.settled_late),
        "in_progress": (r.in_progress_within, r.in_progress_overdue),
        "apart": (r.refused, r.withdrawn, r.stopped),
    }


def test_national_counts_refused_withdrawn_stopped_as_settled_by_date(january):
    # DOMAIN §7, 2.1 on the II.06a columns: closed received dossiers are settled; dates compared.
    r = compute_ontime(*JAN, rules="national")
    assert columns(r) == {"settled": (4, 1, 0), "in_progress": (0, 2), "apart": (0, 0, 0)}
    assert r.received_total == 7 and r.identity_ok and r.on_time_rate == Decimal("100.00")
    assert r.profile == "national"


def test_provincial_practice(january):
    # DOMAIN §6: withdrawn settled on time; 5, 6, 8 in progress within; refused apart; dates.
    r = compute_ontime(*JAN, rules="provincial")
    assert columns(r) == {"settled": (1, 2, 0), "in_progress": (3, 0), "apart": (1, 0, 0)}
    assert r.identity_ok and r.on_time_rate == Decimal("100.00")


def test_motcua_2023(january):
    r = compute_ontime(*JAN, rules="motcua-2023")
    assert columns(r) == {"settled": (1, 0, 1), "in_progress": (0, 2), "apart": (1, 1, 1)}
    assert r.identity_ok and r.on_time_rate == Decimal("50.00")


def test_a_closed_dossier_overdue_by_its_end_date_is_late_nationally(make_dossier):
    make_dossier(
        received="2023-01-04T09:00", due="2023-01-05T09:00", closed="2023-01-06T08:00", status=8
    )
    r = compute_ontime(*JAN, rules="national")
    assert (r.settled_late, r.on_time_rate) == (1, Decimal("0.00"))


@pytest.mark.seeded_default
def test_the_seeded_default_is_provincial_and_unknown_codes_fail():
    assert profile_rules().code == "provincial"
    with pytest.raises(LookupError):
        profile_rules("nope")


@pytest.mark.seeded_default
def test_admin_makes_one_default_and_audits_it(client, personas):
    from django.core.exceptions import ValidationError

    national = RuleProfile.objects.get(code="national")
    client.force_login(personas["admin"])
    url = f"/admin/reports/ruleprofile/{national.pk}/change/"
    assert client.get(url).status_code == 200
    data = {
        f: getattr(national, f)
        for f in (
            "code",
            "name",
            "description",
            "refused",
            "waiting_supplement",
            "waiting_payment",
            "withdrawn",
            "stopped",
            "compare",
            "denominator",
        )
    }
    response = client.post(url, {**data, "is_default": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(RuleProfile.objects.filter(is_default=True).values_list("code", flat=True)) == [
        "national"
    ]
    assert AuditEvent.objects.filter(action="ruleprofile.change", object_id=str(national.pk))
    # A waiting dossier cannot be counted as settled: the form says so and nothing changes.
    response = client.post(url, {**data, "waiting_payment": "settled_on_time"})
    assert response.status_code == 200 and b"errorlist" in response.content
    assert RuleProfile.objects.get(code="national").waiting_payment == "in_progress_by_due"
    national.waiting_supplement = "apart"
    with pytest.raises(ValidationError):
        national.full_clean()


def run(capsys, *args):
    code = 0
    try:
        call_command("report", *args)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_profile_option_json_and_text(capsys, january):
    base = ["ontime", "--from", "2023-01-01", "--to", "2023-01-31"]
    code, out, err = run(capsys, *base, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["profile"] == "motcua-2023" and data["settled_total"] == 2
    code, out, err = run(capsys, *base, "--format", "json", "--profile", "national")
    data = json.loads(out)
    assert code == 0 and data["profile"] == "national" and data["settled_total"] == 5
    assert data["compare"] == "date" and data["identity_ok"] is True
    code, out, err = run(capsys, *base, "--profile", "provincial")
    assert code == 0 and "Hồ sơ quy tắc:" in out and "(provincial)" in out
    code, out, err = run(capsys, *base, "--profile", "khong-co")
    assert code == 2 and out == ""
    assert err.startswith("lỗi: không có hồ sơ quy tắc 'khong-co'") and err.count("\n") == 1


def test_excel_and_page_state_the_profile(client, personas, january):
    from openpyxl import load_workbook

    client.force_login(personas["admin"])
    with translation.override("en"):
        response = client.get(
            "/bao-cao/dung-han/excel/", {**JAN_Q, "profile": "national"}, HTTP_ACCEPT_LANGUAGE="en"
        )
        page = client.get("/bao-cao/dung-han/", JAN_Q, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    ws = load_workbook(io.BytesIO(response.content)).active
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    assert "Rule profile: Quốc gia" in text and "(national)" in text
    assert 'data-profile="motcua-2023"' in page and 'name="profile"' in page
    # The drill-down links carry the profile, and the drilled list uses it.
    assert "profile=motcua-2023" in page
    drilled = client.get(
        "/bao-cao/ho-so/", {**JAN_Q, "figure": "settled_total", "profile": "national"}
    )
    codes = set(re.findall(r"T-\d{6}", drilled.content.decode()))
    assert drilled.status_code == 200 and len(codes) == 5
    unknown = {**JAN_Q, "figure": "settled_total", "profile": "x"}
    assert client.get("/bao-cao/ho-so/", unknown).status_code == 404
