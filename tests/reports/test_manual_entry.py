"""The leader's screen for the 766 sub-indicators entered by hand (/bao-cao/chi-so-766/nhap/):
access (anonymous, no role, other unit, leader, province), all-or-nothing saves with per-field
errors, the audit trail with old and new values, the recomputed index, and constant queries.

Tests that look for Vietnamese text of this screen (marked `# vi`) need the entries of
motcua/locale/pending_manual.po merged into the Vietnamese catalogue."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from motcua.audit.models import AuditEvent
from motcua.reports import manual_scores
from motcua.reports.index766 import BY_CODE, INDICATORS, compute_index
from motcua.reports.manual_scores import ManualValue, save_manual_scores
from motcua.reports.models import IndexManualScore

pytestmark = pytest.mark.django_db

URL = "/bao-cao/chi-so-766/nhap/"
JAN = date(2023, 1, 1)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ACTION = "reports.index766_manual_save"


def params(unit, month: str = "2023-01") -> str:
    return f"?unit={unit.code}&month={month}"


def next_month() -> str:
    today = timezone.localdate()
    y, m = (today.year, today.month + 1) if today.month < 12 else (today.year + 1, 1)
    return f"{y}-{m:02d}"


@pytest.fixture
def leader(client, personas):
    client.force_login(personas["leader"])
    return personas["leader"]


@pytest.fixture(autouse=True)
def year_2023(db):
    """The maxima are data per year (DOMAIN §7): here 1.1 is worth 6 points (1.3 gives up 2, so
    the transparency group still sums to 18) and 1.2 the confirmed 4."""
    from motcua.reports.index766 import DEFAULTS
    from motcua.reports.models import IndexIndicatorSetting, IndexYear

    version = IndexYear.objects.create(year=2023)
    values = {**DEFAULTS, "1.1": (Decimal(6), Decimal(100)), "1.3": (Decimal(2), Decimal(100))}
    IndexIndicatorSetting.objects.bulk_create(
        IndexIndicatorSetting(index_year=version, indicator=k, max_points=m, target=t)
        for k, (m, t) in values.items()
    )


@pytest.fixture
def two_manual():
    """The second hand-entered indicator, 1.2 (4 points), to save several fields at once."""
    return BY_CODE["1.2"]


def test_url_name():
    assert reverse("reports:index766_manual") == URL


# --- the page -----------------------------------------------------------------------------------
def test_leader_sees_every_manual_indicator_with_maximum_and_entry(client, leader, units, personas):
    IndexManualScore.objects.create(
        unit=units["A"],
        month=JAN,
        indicator="1.1",
        points=Decimal("4.5"),
        note="2 thủ tục chưa công khai",
        entered_by=personas["admin"],
    )
    response = client.get(URL + params(units["A"]), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    manual = [i for i in INDICATORS if i.manual]
    assert manual and all(f'data-indicator="{i.code}"' in html for i in manual)
    assert not any(f'data-indicator="{i.code}"' in html for i in INDICATORS if not i.manual)
    assert "Maximum: 6 points." in html and "Points (0 to 6)" in html
    assert 'name="points-1.1"' in html and 'value="4.5"' in html
    # the administrator has no name: a neutral "Account no. N", never the login name (issue 14)
    assert "2 thủ tục chưa công khai" in html and "by Account no. " in html
    assert "admin_user" not in html
    assert '<label for="points-1.1">' in html and '<label for="note-1.1">' in html


def test_not_entered_yet_is_said(client, leader, units):
    html = client.get(URL + params(units["A"]), **EN).content.decode()
    assert "data-not-entered" in html and "Not entered yet (0 points)." in html


def test_malformed_month_is_404(client, leader, units):
    assert client.get(URL + params(units["A"], "2023-13")).status_code == 404
    assert client.get(URL + params(units["A"], "janvier")).status_code == 404


def test_get_constant_queries(client, leader, units, personas, django_assert_max_num_queries):
    IndexManualScore.objects.create(
        unit=units["A"], month=JAN, indicator="1.1", points=6, entered_by=personas["admin"]
    )
    # session, user, memberships, province reader?, unit, scores with who entered them, and the
    # year's 766 settings (the version, its rows: the maxima are data, DOMAIN §7); the header's
    # counts of what waits (dossiers; blocking requests to approve) — issue 14
    client.get(URL + params(units["A"]))  # warm the session (the header's memberships)
    with django_assert_max_num_queries(10):
        assert client.get(URL + params(units["A"])).status_code == 200


# --- saving -------------------------------------------------------------------------------------
def test_leader_saves_rows_audit_and_index_shows_points(client, leader, units):
    response = client.post(
        URL + params(units["A"]),
        {"points-1.1": "4,5", "note-1.1": "Thủ tục X chưa cập nhật trên Cổng DVC quốc gia"},
        **EN,
    )
    assert response.status_code == 302
    assert response["Location"] == f"/bao-cao/chi-so-766/?month=2023-01&unit={units['A'].code}"
    row = IndexManualScore.objects.get(unit=units["A"], month=JAN, indicator="1.1")
    assert row.points == Decimal("4.5") and row.entered_by == leader
    assert row.note == "Thủ tục X chưa cập nhật trên Cổng DVC quốc gia"
    event = AuditEvent.objects.get(action=ACTION)
    assert event.actor == leader and event.object_id == str(row.pk)
    assert event.data == {
        "unit": units["A"].code,
        "month": "2023-01",
        "indicator": "1.1",
        "old": None,
        "new": {"points": "4.50", "note": "Thủ tục X chưa cập nhật trên Cổng DVC quốc gia"},
    }
    result = compute_index(JAN, date(2023, 1, 31), unit_ids=[units["A"].pk])
    t3 = result.by_id("1.1")
    assert t3.points == Decimal("4.5") and t3.entered
    html = client.get(response["Location"], **EN).content.decode()
    cell = html.split('data-indicator="1.1"')[1].split("data-points>")[1].split("<")[0]
    assert cell.replace(",", ".") == "4.50 / 6.00"
    assert "Scores entered by hand saved for STP, month 01/2023." in html


def test_success_message_in_vietnamese(client, leader, units):  # vi
    response = client.post(
        URL + params(units["A"]), {"points-1.1": "6", "note-1.1": ""}, follow=True
    )
    html = response.content.decode()
    assert "Đã lưu điểm nhập tay của STP, tháng 01/2023." in html


def test_change_is_audited_with_old_and_new_values(client, leader, units, personas):
    IndexManualScore.objects.create(
        unit=units["A"],
        month=JAN,
        indicator="1.1",
        points=5,
        note="cũ",
        entered_by=personas["admin"],
    )
    assert (
        client.post(URL + params(units["A"]), {"points-1.1": "6", "note-1.1": ""}).status_code
        == 302
    )
    row = IndexManualScore.objects.get(unit=units["A"], month=JAN, indicator="1.1")
    assert row.points == 6 and row.note == "" and row.entered_by == leader
    (event,) = AuditEvent.objects.filter(action=ACTION)
    assert event.data["old"] == {"points": "5.00", "note": "cũ"}
    assert event.data["new"] == {"points": "6.00", "note": ""}
    # the same values again: nothing changes, nothing is audited
    client.post(URL + params(units["A"]), {"points-1.1": "6.00", "note-1.1": ""})
    assert AuditEvent.objects.filter(action=ACTION).count() == 1


def test_full_points_need_no_evidence(client, leader, units):
    assert (
        client.post(URL + params(units["A"]), {"points-1.1": "6", "note-1.1": " "}).status_code
        == 302
    )
    assert IndexManualScore.objects.get(indicator="1.1").note == ""


def test_blank_form_leaves_it_not_entered(client, leader, units):
    assert (
        client.post(URL + params(units["A"]), {"points-1.1": "", "note-1.1": ""}).status_code == 302
    )
    assert not IndexManualScore.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("points", "note", "field", "english"),
    [
        ("7", "x", "points", "The points must be between 0 and 6."),
        ("6.01", "x", "points", "The points must be between 0 and 6."),
        ("-1", "x", "points", "The points must be between 0 and 6."),
        ("abc", "x", "points", "Enter a number with at most 2 decimals, e.g. 4.5."),
        ("4.555", "x", "points", "Enter a number with at most 2 decimals, e.g. 4.5."),
        ("NaN", "x", "points", "Enter a number with at most 2 decimals, e.g. 4.5."),
        ("1e999999", "x", "points", "Enter a number with at most 2 decimals, e.g. 4.5."),
        ("", "lý do", "points", "Enter the points (0 to 6)."),
        ("4", "", "note", "Evidence is required when the points are below the maximum"),
        ("0", "   ", "note", "Evidence is required when the points are below the maximum"),
        ("4", "x" * 2001, "note", "The evidence is too long (at most 2000 characters)."),
    ],
)
def test_bad_value_shows_error_in_english_and_saves_nothing(
    client, leader, units, points, note, field, english
):
    response = client.post(URL + params(units["A"]), {"points-1.1": points, "note-1.1": note}, **EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert english in html and "Nothing was saved: correct the fields marked below." in html
    assert f'id="{field}-1.1-error"' in html and f'aria-describedby="{field}-1.1-error"' in html
    assert f'value="{points}"' in html or field == "note"  # what was typed is kept
    assert not IndexManualScore.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("points", "note", "vietnamese"),
    [
        ("7", "x", "Điểm phải từ 0 đến 6."),
        ("abc", "x", "Nhập một số có tối đa 2 chữ số thập phân, ví dụ 4,5."),
        ("4", "", "Cần ghi căn cứ khi điểm thấp hơn điểm tối đa: nêu lý do bị trừ điểm."),
    ],
)
def test_bad_value_shows_error_in_vietnamese(client, leader, units, points, note, vietnamese):  # vi
    response = client.post(URL + params(units["A"]), {"points-1.1": points, "note-1.1": note})
    assert response.status_code == 400
    html = response.content.decode()
    assert vietnamese in html and "Chưa lưu gì: hãy sửa các ô được đánh dấu bên dưới." in html
    assert not IndexManualScore.objects.exists()


def test_stored_score_cannot_be_blanked(client, leader, units, personas):
    IndexManualScore.objects.create(
        unit=units["A"],
        month=JAN,
        indicator="1.1",
        points=5,
        note="cũ",
        entered_by=personas["admin"],
    )
    response = client.post(URL + params(units["A"]), {"points-1.1": "", "note-1.1": "cũ"}, **EN)
    assert response.status_code == 400 and "Enter the points (0 to 6)." in response.content.decode()
    assert IndexManualScore.objects.get().points == 5


def test_one_bad_field_of_several_saves_none(client, leader, units, two_manual):
    response = client.post(
        URL + params(units["A"]),
        {"points-1.1": "6", "note-1.1": "", "points-1.2": "9", "note-1.2": "x"},
        **EN,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-indicator="1.2"' in html and "The points must be between 0 and 4." in html
    assert not IndexManualScore.objects.exists() and not AuditEvent.objects.exists()
    # both good: both saved, each its own audit event
    response = client.post(
        URL + params(units["A"]),
        {"points-1.1": "6", "note-1.1": "", "points-1.2": "4", "note-1.2": ""},
    )
    assert response.status_code == 302
    assert IndexManualScore.objects.count() == 2
    assert AuditEvent.objects.filter(action=ACTION).count() == 2


def test_failure_while_writing_rolls_everything_back(leader, units, two_manual, monkeypatch):
    calls = []

    def failing_audit(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(manual_scores, "audit_record", failing_audit)
    values = {"1.1": ManualValue("6", ""), "1.2": ManualValue("4", "")}
    with pytest.raises(RuntimeError):
        save_manual_scores(leader, unit=units["A"], month=JAN, values=values)
    assert len(calls) == 2 and not IndexManualScore.objects.exists()


def test_service_refuses_computed_or_unknown_indicators(leader, units):
    errors = save_manual_scores(
        leader,
        unit=units["A"],
        month=JAN,
        values={"2.1": ManualValue("12", ""), "1.1": ManualValue("6")},
    )
    assert [(e.indicator, e.field) for e in errors] == [("", "")]
    assert not IndexManualScore.objects.exists()


def test_service_denies_who_may_not_enter(personas, units):
    with pytest.raises(Http404):
        save_manual_scores(
            personas["auditor"], unit=units["A"], month=JAN, values={"1.1": ManualValue("6")}
        )
    assert not IndexManualScore.objects.exists()


# --- months -------------------------------------------------------------------------------------
def test_future_month_refused(client, leader, units):
    future = next_month()
    response = client.get(URL + params(units["A"], future), **EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Scores cannot be entered for a month that has not begun." in html
    assert 'name="points-1.1"' not in html
    response = client.post(URL + params(units["A"], future), {"points-1.1": "6"}, **EN)
    assert response.status_code == 400 and not IndexManualScore.objects.exists()
    y, m = (int(x) for x in future.split("-"))
    errors = save_manual_scores(
        leader, unit=units["A"], month=date(y, m, 1), values={"1.1": ManualValue("6")}
    )
    assert errors and not IndexManualScore.objects.exists()


def test_future_month_refused_in_vietnamese(client, leader, units):  # vi
    html = client.get(URL + params(units["A"], next_month())).content.decode()
    assert "Không thể nhập điểm cho tháng chưa bắt đầu." in html


def test_current_month_may_be_entered(client, leader, units):
    month = timezone.localdate().strftime("%Y-%m")
    response = client.post(URL + params(units["A"], month), {"points-1.1": "6"})
    assert response.status_code == 302 and IndexManualScore.objects.count() == 1


# --- access -------------------------------------------------------------------------------------
def test_anonymous_goes_to_login(client, units):
    for response in (
        client.get(URL + params(units["A"])),
        client.post(URL + params(units["A"]), {"points-1.1": "6"}),
    ):
        assert response.status_code == 302 and "next=" in response["Location"]
    assert not IndexManualScore.objects.exists()


@pytest.mark.parametrize("who", ["citizen1", "clerk", "specialist", "auditor", "notary", "clerk_b"])
def test_no_leader_role_gets_404(client, personas, units, who):
    client.force_login(personas[who])
    for code in (units["A"].code, units["B"].code, "999.99.99.H57"):
        assert client.get(f"{URL}?unit={code}&month=2023-01").status_code == 404
        response = client.post(f"{URL}?unit={code}&month=2023-01", {"points-1.1": "6"})
        assert response.status_code == 404
    assert not IndexManualScore.objects.exists()


def test_leader_of_another_unit_gets_404(client, personas, units):
    from motcua.orgs.models import Membership

    Membership.objects.create(user=personas["clerk_b"], unit=units["B"], role="leader")
    client.force_login(personas["clerk_b"])
    assert client.get(URL + params(units["A"])).status_code == 404
    assert client.post(URL + params(units["A"]), {"points-1.1": "6"}).status_code == 404
    assert client.get(URL + params(units["B"])).status_code == 200
    assert not IndexManualScore.objects.exists()


def test_leader_asking_for_missing_unit_or_no_unit_gets_404(client, leader):
    assert client.get(f"{URL}?unit=999.99.99.H57&month=2023-01").status_code == 404
    assert client.get(f"{URL}?month=2023-01").status_code == 404


@pytest.mark.parametrize("who", ["province", "admin"])
def test_province_enters_for_any_unit(client, personas, units, who):
    from motcua.reports.models import ProvinceViewer

    user = personas["admin"]
    if who == "province":
        user = personas["citizen2"]  # a provincial office account, not a unit of the system
        ProvinceViewer.objects.create(user=user)
    client.force_login(user)
    assert client.get(URL + params(units["B"])).status_code == 200
    assert client.get(f"{URL}?unit=999.99.99.H57&month=2023-01").status_code == 404
    assert client.post(URL + params(units["B"]), {"points-1.1": "6"}).status_code == 302
    assert IndexManualScore.objects.get().entered_by == user


# --- the link on the 766 page -------------------------------------------------------------------
def test_766_page_links_to_the_screen_for_who_may_enter(client, personas, units):
    page = f"/bao-cao/chi-so-766/?month=2023-01&unit={units['A'].code}"
    link = f'href="{URL}?unit={units["A"].code}&amp;month=2023-01" data-enter="1.1"'
    client.force_login(personas["leader"])
    assert link in client.get(page).content.decode()
    assert link in client.get("/bao-cao/chi-so-766/?month=2023-01").content.decode()  # one unit
    assert "Enter scores" in client.get(page, **EN).content.decode()
    future = client.get(f"/bao-cao/chi-so-766/?month={next_month()}&unit={units['A'].code}")
    assert 'data-enter="1.1"' not in future.content.decode()
    client.force_login(personas["auditor"])  # reads the index, may not enter
    assert 'data-enter="1.1"' not in client.get(page).content.decode()
    client.force_login(personas["admin"])
    assert link in client.get(page).content.decode()
    assert (
        'data-enter="1.1"' not in client.get("/bao-cao/chi-so-766/?month=2023-01").content.decode()
    )


def test_766_link_in_vietnamese(client, leader, units):  # vi
    html = client.get(f"/bao-cao/chi-so-766/?month=2023-01&unit={units['A'].code}").content.decode()
    assert ">Nhập điểm</a>" in html


def test_766_link_costs_no_query(client, personas, units):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = f"/bao-cao/chi-so-766/?month=2023-01&unit={units['A'].code}"
    counts = []
    for who in ("leader", "auditor"):
        client.force_login(personas[who])
        with CaptureQueriesContext(connection) as queries:
            client.get(page)
        counts.append(len(queries.captured_queries))
    # the same, but for the leader's header counting blocking requests to approve (issue 14)
    assert counts[0] == counts[1] + 1
