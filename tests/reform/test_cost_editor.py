"""The simplification-plan editor (/cai-cach/chi-phi/moi/, /cai-cach/chi-phi/<id>/sua/): the figures
equal cost.compare and the plan page, input errors per field (nothing saved, all or nothing), access,
audit, languages, queries, rows added and removed without JavaScript, concurrent edits, a browser run.

Tests that look for Vietnamese text of this feature (marked `# vi`) need the entries of
motcua/locale/pending_cost.po merged into the Vietnamese catalogue.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from motcua.audit.models import AuditEvent
from motcua.reform import cost_plans
from motcua.reform.cost import compare, yearly_cost
from motcua.reform.models import CostActivity, CostSnapshot, SimplificationPlan
from motcua.reform.plans import plan_report

D = Decimal
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NEW = reverse("reform:cost_plan_new")
ARTICLE = {"cost_before": "37.200.000", "cost_after": "24.800.000", "saving": "12.400.000"}


def edit_url(plan) -> str:
    return reverse("reform:cost_plan_edit", args=[plan.pk])


def rows(phase: str, items) -> dict[str, str]:
    out = {f"{phase}-rows-TOTAL_FORMS": str(len(items)), f"{phase}-rows-INITIAL_FORMS": "0"}
    for i, (name, hours) in enumerate(items):
        out[f"{phase}-rows-{i}-name"] = name
        out[f"{phase}-rows-{i}-hours"] = hours
    return out


def form(procedure=None, *, before=None, after=None, action="save", **values) -> dict[str, str]:
    """The article's plan: 24 h → 16 h, 50 dossiers a year, 31,000 đồng an hour."""
    data = {
        "action": action,
        "year": "2024",
        "title": "Rút ngắn thời gian từ 24 giờ xuống 16 giờ",
        "income": "31,000",
        "income_per": "hour",
        "income_source": "Thu nhập bình quân 2024 (minh hoạ)",
        "dossiers_per_year": "50",
        "dossiers_source": "Số hồ sơ tiếp nhận năm 2023",
        "before-fees": "",
        "before-other_costs": "",
        "after-fees": "",
        "after-other_costs": "",
        **rows("before", before or [("Chuẩn bị và nộp hồ sơ", "24")]),
        **rows("after", after or [("Chuẩn bị và nộp hồ sơ", "16")]),
    }
    if procedure is not None:
        data["procedure"] = str(procedure.pk)
    data.update(values)
    return data


def login(client, user) -> Client:
    client.force_login(user)
    return client


def figures(html: str) -> dict[str, str]:
    """The live result shown by the editor."""
    out = {}
    for key, element in (
        ("cost_before", "cost-before"),
        ("cost_after", "cost-after"),
        ("saving", "cost-saving"),
        ("reduction_percent", "cost-reduction"),
    ):
        match = re.search(rf'id="{element}">([^<]*)<', html)
        out[key] = match.group(1) if match else None
    return out


def state(plan) -> dict:
    return cost_plans.plan_state(SimplificationPlan.objects.get(pk=plan.pk))


@pytest.fixture
def plan(procedure):
    """A stored plan of unit A's procedure: 24 h → 16 h, 50 dossiers, 31,000 đồng an hour."""
    p = SimplificationPlan.objects.create(
        procedure=procedure,
        year=2023,
        title="Phương án 2023",
        hourly_income=D(31000),
        income_source="Thu nhập 2023",
        dossiers_per_year=50,
        dossiers_source="Bài báo",
    )
    for phase, items in (("before", [("Nộp hồ sơ", 20), ("Nhận kết quả", 4)]), ("after", [])):
        snap = CostSnapshot.objects.create(plan=p, phase=phase)
        for order, (name, hours) in enumerate(items, start=1):
            CostActivity.objects.create(snapshot=snap, order=order, name=name, hours=D(hours))
    CostActivity.objects.create(
        snapshot=p.snapshots.get(phase="after"), order=1, name="Nộp trực tuyến", hours=D(16)
    )
    return p


# --- the figures ----------------------------------------------------------------------------------
def test_create_with_article_figures_equals_compare_and_plan_page(client, reform_people, procedure):
    login(client, reform_people["officer_a"])
    preview = client.post(NEW, form(procedure, action="preview"))
    assert preview.status_code == 200
    assert not SimplificationPlan.objects.exists()  # computing never saves
    shown = figures(preview.content.decode())

    response = client.post(NEW, form(procedure))
    plan = SimplificationPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reform:plan", args=[plan.pk]
    )
    common = {"hourly_income": D(31000), "dossiers_per_year": D(50)}
    expected = compare(yearly_cost(hours=D(24), **common), yearly_cost(hours=D(16), **common))
    assert (expected.cost_before, expected.cost_after) == (D(37200000), D(24800000))
    assert expected.saving == D(12400000) and expected.reduction_percent == D("33.33")
    assert plan_report(plan).comparison == expected
    assert shown == {**ARTICLE, "reduction_percent": "33,33"}

    page = client.get(response["Location"]).content.decode()
    for line in expected.lines():
        assert line in page
    assert "Tỷ lệ cắt giảm: 33,33%" in page

    edited = client.get(edit_url(plan)).content.decode()
    assert figures(edited) == shown  # the stored plan shows the figures it was saved with
    assert (plan.procedure_id, plan.year, plan.dossiers_per_year) == (procedure.pk, 2024, 50)
    before = plan.snapshots.get(phase="before")
    assert [(a.order, a.name, a.hours) for a in before.activities.all()] == [
        (1, "Chuẩn bị và nộp hồ sơ", D(24))
    ]


def test_command_line_gives_the_same_figures(client, reform_people, procedure, capsys):
    login(client, reform_people["officer_a"])
    html = client.post(NEW, form(procedure, action="preview")).content.decode()
    call_command(
        "cost",
        "--hours-before", "24", "--hours-after", "16", "--dossiers-per-year", "50",
        "--hourly-income", "31000", "--format", "json",
    )  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    shown = figures(html)
    assert shown["cost_before"].replace(".", "") == str(out["cost_before"])
    assert shown["cost_after"].replace(".", "") == str(out["cost_after"])
    assert shown["saving"].replace(".", "") == str(out["saving"])
    assert shown["reduction_percent"].replace(",", ".") == out["reduction_percent"]


def test_several_activities_fees_other_costs_and_monthly_income(client, reform_people, procedure):
    login(client, reform_people["officer_a"])
    data = form(
        procedure,
        before=[("Chuẩn bị hồ sơ", "16"), ("Đi lại, nộp hồ sơ", "6"), ("Nhận kết quả", "2")],
        after=[("Nộp trực tuyến", "1.5"), ("Nhận kết quả qua bưu chính", "0.5")],
        **{
            "income": "5,456,000",
            "income_per": "month",
            "before-fees": "200,000",
            "before-other_costs": "50000",
            "after-fees": "100000",
            "after-other_costs": "25,000",
        },
    )
    assert client.post(NEW, data).status_code == 302
    plan = SimplificationPlan.objects.get()
    assert plan.hourly_income == D(31000)  # 5,456,000 / (22 × 8)
    common = {"hourly_income": D(31000), "dossiers_per_year": D(50)}
    expected = compare(
        yearly_cost(hours=[D(16), D(6), D(2)], fees=D(200000), other=D(50000), **common),
        yearly_cost(hours=[D("1.5"), D("0.5")], fees=D(100000), other=D(25000), **common),
    )
    assert plan_report(plan).comparison == expected
    assert expected.cost_before == (24 * 31000 + 250000) * 50
    after = plan.snapshots.get(phase="after")
    assert (after.fees, after.other_costs) == (D(100000), D(25000))
    assert [a.name for a in after.activities.all()] == [
        "Nộp trực tuyến",
        "Nhận kết quả qua bưu chính",
    ]
    event = AuditEvent.objects.get(action="reform.cost_plan_create")
    assert event.data["monthly_income"] == "5456000.00"


def test_monthly_income_is_stored_to_two_decimals_and_figures_follow_it(
    client, reform_people, procedure
):
    login(client, reform_people["officer_a"])
    data = form(procedure, income="5,000,000", income_per="month", action="preview")
    shown = figures(client.post(NEW, data).content.decode())
    data["action"] = "save"
    client.post(NEW, data)
    plan = SimplificationPlan.objects.get()
    assert plan.hourly_income == D("28409.09")  # 5,000,000 / 176 = 28,409.0909…
    report = plan_report(plan).comparison
    assert shown["cost_before"] == f"{int(report.cost_before):,}".replace(",", ".")
    assert shown["reduction_percent"] == f"{report.reduction_percent:.2f}".replace(".", ",")


def test_edit_replaces_values_and_rows(client, reform_people, plan):
    login(client, reform_people["officer_a"])
    page = client.get(edit_url(plan)).content.decode()
    assert 'value="Nộp hồ sơ"' in page and 'value="Nhận kết quả"' in page
    assert figures(page) == {**ARTICLE, "reduction_percent": "33,33"}  # 20 + 4 h → 16 h
    data = form(
        before=[("Nộp hồ sơ", "20"), ("Nhận kết quả", "4")],
        after=[("Nộp trực tuyến", "10"), ("Nhận kết quả trực tuyến", "2")],
        state=re.search(r'name="state" value="([0-9a-f]+)"', page).group(1),
        year="2023",
        **{"after-fees": "10,000"},
    )
    response = client.post(edit_url(plan), data)
    assert response.status_code == 302
    after = plan.snapshots.get(phase="after")
    assert [(a.order, a.name, a.hours) for a in after.activities.all()] == [
        (1, "Nộp trực tuyến", D(10)),
        (2, "Nhận kết quả trực tuyến", D(2)),
    ]
    common = {"hourly_income": D(31000), "dossiers_per_year": D(50)}
    assert plan_report(plan).comparison == compare(
        yearly_cost(hours=D(24), **common), yearly_cost(hours=D(12), fees=D(10000), **common)
    )
    assert SimplificationPlan.objects.get(pk=plan.pk).title == data["title"]
    assert CostSnapshot.objects.filter(plan=plan).count() == 2


# --- bad input: a message at the field, nothing saved -----------------------------------------------
BAD = [
    ("income", "-5", "“-5” is negative; enter 0 or more."),
    ("income", "abc", "“abc” is not a number."),
    ("income", "0,125", "“0,125” has more than 2 decimals"),
    ("income", "1.2.3", "“1.2.3” is not a number."),  # badly grouped: refused, never guessed
    ("income", "1e20", "“1e20” is not a number."),
    (
        "income",
        "1.000.000.000.000.000",
        "“1.000.000.000.000.000” is too large; the most allowed is 99.999.999.999.999,99.",
    ),
    ("income", "", "This field is required."),
    ("dossiers_per_year", "2.5", "“2.5” is not a whole number"),
    ("dossiers_per_year", "-1", "is negative"),
    ("dossiers_per_year", "3000000000", "is too large"),
    ("before-rows-0-hours", "-1", "“-1” is negative"),
    ("before-rows-0-hours", "1,5,5", "“1,5,5” is not a number."),
    ("before-rows-0-hours", "10000000", "is too large"),
    ("before-rows-0-hours", "", "Enter the hours per dossier."),
    ("before-rows-0-name", "", "Enter the name of the activity."),
    ("after-fees", "nan", "“nan” is not a number."),
    ("after-other_costs", "-0.5", "is negative"),
    ("year", "1800", "Ensure this value is greater than or equal to 2000."),
    ("title", "", "This field is required."),
    ("income_source", "", "This field is required."),
    ("income_per", "week", "Select a valid choice."),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD, ids=[f"{f}={v!r}" for f, v, _m in BAD])
def test_bad_input_refused_with_message_nothing_saved(
    client, reform_people, procedure, field, value, message
):
    login(client, reform_people["officer_a"])
    response = client.post(NEW, form(procedure, **{field: value}), **EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'id="error-summary"' in html and "Nothing was saved." in html
    assert f'<a href="#id_{field}">' in html  # the summary links to the field
    assert 'id="cost-before"' not in html  # no figures from invalid input
    assert not SimplificationPlan.objects.exists()
    assert not CostSnapshot.objects.exists() and not CostActivity.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="reform.cost_plan").exists()


def test_one_bad_row_of_several_changes_nothing(client, reform_people, plan):
    login(client, reform_people["officer_a"])
    stored = state(plan)
    data = form(
        before=[("Nộp hồ sơ", "10"), ("Đi lại", "6"), ("Nhận kết quả", "4")],
        after=[("Nộp trực tuyến", "8"), ("Nhận kết quả", "x"), ("Khác", "1")],
        **{"after-fees": "5000"},
    )
    response = client.post(edit_url(plan), data, **EN)
    assert response.status_code == 400
    assert "“x” is not a number." in response.content.decode()
    assert state(plan) == stored
    assert not AuditEvent.objects.filter(action__startswith="reform.cost_plan").exists()


def test_a_failure_while_writing_rolls_everything_back(reform_people, plan, procedure, monkeypatch):
    stored = state(plan)
    data = cost_plans.plan_input_from_state(stored)
    changed = cost_plans.PlanInput(
        **{**data.__dict__, "title": "Đã đổi", "dossiers_per_year": 70},
    )

    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(cost_plans, "audit_record", broken)
    officer = reform_people["officer_a"]
    with pytest.raises(RuntimeError):
        cost_plans.plan_save(actor=officer, data=changed, plan_id=plan.pk)
    assert state(plan) == stored
    with pytest.raises(RuntimeError):
        cost_plans.plan_save(actor=officer, data=changed, procedure_id=procedure.pk)
    assert SimplificationPlan.objects.count() == 1
    assert CostSnapshot.objects.count() == 2 and CostActivity.objects.count() == 3


def test_too_many_activities_refused(client, reform_people, procedure):
    login(client, reform_people["officer_a"])
    many = [(f"Bước {i}", "1") for i in range(cost_plans.MAX_ACTIVITIES + 1)]
    response = client.post(NEW, form(procedure, before=many), **EN)
    assert response.status_code == 400
    assert f"At most {cost_plans.MAX_ACTIVITIES} activities per phase." in response.content.decode()
    assert not SimplificationPlan.objects.exists()
    enough = many[:-1] + [("", "")] * 3  # blank rows do not count
    assert client.post(NEW, form(procedure, before=enough)).status_code == 302


def test_figures_too_large_to_compute_are_refused(client, reform_people, procedure):
    login(client, reform_people["officer_a"])
    data = form(
        procedure,
        income="99,999,999,999,999",
        dossiers_per_year="2,000,000,000",
        before=[("Nộp hồ sơ", "9,999,999")],
    )
    response = client.post(NEW, data, **EN)
    assert response.status_code == 400
    assert (
        "The figures are too large: the yearly cost cannot be computed."
        in response.content.decode()
    )
    assert not SimplificationPlan.objects.exists()


def test_a_procedure_of_another_unit_cannot_be_chosen(client, reform_people, procedure):
    login(client, reform_people["officer_b"])
    response = client.post(NEW, form(procedure), **EN)
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not SimplificationPlan.objects.exists()
    assert procedure.code not in client.get(NEW).content.decode()


# --- access -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["officer_b", "specialist", "leader", "clerk_b", "citizen1"])
def test_others_get_404_and_change_nothing(client, reform_people, plan, procedure, who):
    stored = state(plan)
    login(client, reform_people[who])
    assert client.get(edit_url(plan)).status_code == 404
    assert client.post(edit_url(plan), form(title="Đổi")).status_code == 404
    assert state(plan) == stored
    if who != "officer_b":  # officer_b may create plans, for unit B's procedures only
        assert client.get(NEW).status_code == 404
        assert client.post(NEW, form(procedure)).status_code == 404
    assert SimplificationPlan.objects.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="reform.cost_plan").exists()


def test_missing_plan_is_404_like_another_units(client, reform_people, plan):
    login(client, reform_people["officer_a"])
    assert client.get(reverse("reform:cost_plan_edit", args=[plan.pk + 1000])).status_code == 404


def test_anonymous_is_sent_to_login(client, plan, procedure):
    login_url = reverse("login")
    for url in (NEW, edit_url(plan)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{login_url}?next=")
        posted = client.post(url, form(procedure))
        assert posted.status_code == 302 and posted["Location"].startswith(login_url)
    assert SimplificationPlan.objects.count() == 1


@pytest.mark.parametrize("who", ["officer_a", "evaluator", "admin"])
def test_unit_officer_and_province_council_may_edit(client, reform_people, plan, procedure, who):
    login(client, reform_people[who])
    assert client.get(edit_url(plan)).status_code == 200
    assert client.get(NEW).status_code == 200
    assert client.post(edit_url(plan), form(title=f"Sửa bởi {who}")).status_code == 302
    assert SimplificationPlan.objects.get(pk=plan.pk).title == f"Sửa bởi {who}"


def test_links_to_the_editor_only_for_those_who_may_edit(client, reform_people, plan):
    plan_url = reverse("reform:plan", args=[plan.pk])
    login(client, reform_people["officer_a"])
    assert f'href="{edit_url(plan)}"' in client.get(plan_url).content.decode()
    listing = client.get(reverse("reform:plans")).content.decode()
    assert f'href="{NEW}"' in listing and f'href="{edit_url(plan)}"' in listing
    assert f'href="{NEW}"' in client.get(reverse("reform:index")).content.decode()
    login(client, reform_people["specialist"])  # may read the plan, not edit it
    page = client.get(plan_url)
    assert page.status_code == 200 and edit_url(plan) not in page.content.decode()
    listing = client.get(reverse("reform:plans")).content.decode()
    assert NEW not in listing and edit_url(plan) not in listing


def test_methods_other_than_get_and_post_are_refused(client, reform_people, plan):
    login(client, reform_people["officer_a"])
    assert client.put(edit_url(plan)).status_code == 405
    assert client.delete(NEW).status_code == 405


# --- audit --------------------------------------------------------------------------------------
def test_audit_event_with_values_before_and_after(client, reform_people, plan):
    login(client, reform_people["officer_a"])
    old = state(plan)
    data = form(after=[("Nộp trực tuyến", "8")], title="Phương án sửa")
    assert client.post(edit_url(plan), data).status_code == 302
    event = AuditEvent.objects.get(action="reform.cost_plan_update")
    assert event.actor == reform_people["officer_a"]
    assert (event.object_type, event.object_id) == ("reform.simplificationplan", str(plan.pk))
    assert event.data["before"] == old
    assert event.data["after"] == state(plan)
    assert event.data["after"]["title"] == "Phương án sửa"
    assert event.data["after"]["after"]["activities"] == [
        {"name": "Nộp trực tuyến", "hours": "8.00"}
    ]
    assert event.data["before"]["before"]["activities"][0] == {
        "name": "Nộp hồ sơ",
        "hours": "20.00",
    }
    assert event.data["cost"] == {
        "cost_before": 37200000,
        "cost_after": 12400000,
        "saving": 24800000,
        "reduction_percent": "66.67",
    }


def test_audit_event_on_create(client, reform_people, procedure):
    login(client, reform_people["officer_a"])
    client.post(NEW, form(procedure))
    event = AuditEvent.objects.get(action="reform.cost_plan_create")
    plan = SimplificationPlan.objects.get()
    assert event.object_id == str(plan.pk) and event.data["before"] is None
    assert event.data["after"] == state(plan)
    assert event.data["cost"]["reduction_percent"] == "33.33"


# --- rows without JavaScript, concurrent edits ------------------------------------------------------
def test_add_and_remove_rows_without_javascript(client, reform_people, procedure):
    login(client, reform_people["officer_a"])
    page = client.get(NEW).content.decode()
    assert 'name="before-rows-TOTAL_FORMS" value="2"' in page  # two blank rows to start with
    added = client.post(NEW, form(procedure, action="add-before", title=""), **EN)
    assert added.status_code == 200
    html = added.content.decode()
    assert 'name="before-rows-TOTAL_FORMS" value="3"' in html  # the row, then two blank ones
    assert "This field is required." not in html  # adding a row is not a save: no error noise
    data = form(procedure, action="preview", before=[("Nộp hồ sơ", "24"), ("Bỏ đi", "100")])
    data["before-rows-1-DELETE"] = "on"
    html = client.post(NEW, data).content.decode()
    assert "Bỏ đi" not in html
    assert figures(html) == {**ARTICLE, "reduction_percent": "33,33"}
    data["action"] = "save"
    assert client.post(NEW, data).status_code == 302
    before = SimplificationPlan.objects.get().snapshots.get(phase="before")
    assert [a.name for a in before.activities.all()] == ["Nộp hồ sơ"]


def test_blank_rows_are_ignored(client, reform_people, procedure):
    login(client, reform_people["officer_a"])
    data = form(procedure, before=[("", ""), ("Nộp hồ sơ", "24"), ("  ", "")])
    assert client.post(NEW, data).status_code == 302
    before = SimplificationPlan.objects.get().snapshots.get(phase="before")
    assert [(a.order, a.name) for a in before.activities.all()] == [(1, "Nộp hồ sơ")]


def test_a_save_by_someone_else_in_between_is_not_overwritten(client, reform_people, plan):
    login(client, reform_people["officer_a"])
    page = client.get(edit_url(plan)).content.decode()
    opened = re.search(r'name="state" value="([0-9a-f]+)"', page).group(1)
    other = Client()
    login(other, reform_people["evaluator"])
    other_page = other.get(edit_url(plan)).content.decode()
    other_state = re.search(r'name="state" value="([0-9a-f]+)"', other_page).group(1)
    assert (
        other.post(edit_url(plan), form(title="Hội đồng sửa", state=other_state)).status_code == 302
    )
    response = client.post(edit_url(plan), form(title="Cán bộ sửa", state=opened), **EN)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this plan after you opened it" in html
    assert SimplificationPlan.objects.get(pk=plan.pk).title == "Hội đồng sửa"
    fresh = re.search(r'name="state" value="([0-9a-f]+)"', html).group(1)
    assert fresh != opened and 'value="Cán bộ sửa"' in html  # the entries are kept
    assert client.post(edit_url(plan), form(title="Cán bộ sửa", state=fresh)).status_code == 302
    assert SimplificationPlan.objects.get(pk=plan.pk).title == "Cán bộ sửa"


# --- languages, queries ---------------------------------------------------------------------------
def test_english_page_and_messages(client, reform_people, procedure):
    login(client, reform_people["officer_a"])
    page = client.get(NEW, **EN).content.decode()
    assert "New simplification plan" in page and "Hours per dossier" in page
    html = client.post(NEW, form(procedure, income="-1"), **EN).content.decode()
    assert "“-1” is negative; enter 0 or more." in html and "Please correct:" in html


def test_vietnamese_by_default(client, reform_people, procedure):
    login(client, reform_people["officer_a"])
    html = client.post(NEW, form(procedure, title="")).content.decode()
    assert '<html lang="vi">' in html
    assert "Không có gì được lưu." in html and "Trường này là bắt buộc." in html
    html = client.post(NEW, form(procedure, action="preview")).content.decode()
    assert figures(html) == {**ARTICLE, "reduction_percent": "33,33"}


def test_vietnamese_messages(client, reform_people, procedure):  # vi
    login(client, reform_people["officer_a"])
    page = client.get(NEW).content.decode()
    assert "Lập phương án đơn giản hóa" in page and "Số giờ mỗi hồ sơ" in page
    html = client.post(NEW, form(procedure, income="-1")).content.decode()
    assert "“-1” là số âm; hãy nhập 0 trở lên." in html and "Vui lòng sửa:" in html
    html = client.post(NEW, form(procedure, **{"before-rows-0-hours": "1.2.3"})).content.decode()
    assert "“1.2.3” không phải là một số" in html
    html = client.post(NEW, form(procedure, action="preview")).content.decode()
    assert "Chi phí tuân thủ trước khi đơn giản hóa" in html and "đồng/năm" in html


def test_get_needs_a_constant_number_of_queries(
    client, reform_people, plan, django_assert_max_num_queries
):
    login(client, reform_people["officer_a"])
    client.get(edit_url(plan))
    with django_assert_max_num_queries(6):
        assert client.get(edit_url(plan)).status_code == 200
    after = plan.snapshots.get(phase="after")
    for order in range(2, 30):
        CostActivity.objects.create(snapshot=after, order=order, name=f"Bước {order}", hours=D(1))
    with django_assert_max_num_queries(6):
        assert client.get(edit_url(plan)).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(NEW).status_code == 200


# --- in a browser, with the keyboard ------------------------------------------------------------
@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_officer_fills_the_editor_with_the_keyboard(live_server, page, reform_people, procedure):
    from .test_reform_e2e import as_user

    as_user(page, live_server, reform_people["officer_a"])
    page.goto(f"{live_server.url}{reverse('reform:plans')}")
    page.click("#new-plan")
    page.wait_for_selector("#cost-editor")
    keyboard = page.keyboard
    page.focus("#id_procedure")
    keyboard.press("ArrowDown")  # the only procedure of unit A
    page.focus("#id_year")
    keyboard.press("Control+a")
    keyboard.type("2024")
    keyboard.press("Tab")
    keyboard.type("Rút ngắn thời gian từ 24 giờ xuống 16 giờ")
    keyboard.press("Tab")
    keyboard.type("31,000")
    page.focus("#id_income_source")
    keyboard.type("Thu nhập bình quân (minh hoạ)")
    keyboard.press("Tab")
    keyboard.type("50")
    keyboard.press("Tab")
    keyboard.type("Số hồ sơ năm 2023")
    for phase, rows_ in (("before", [("Chuẩn bị hồ sơ", "20"), ("Nộp, nhận kết quả", "4")]),
                         ("after", [("Nộp trực tuyến", "16")])):  # fmt: skip
        for i, (name, hours) in enumerate(rows_):
            page.focus(f"#id_{phase}-rows-{i}-name")
            keyboard.type(name)
            keyboard.press("Tab")
            keyboard.type(hours)
    keyboard.press("Enter")  # Enter computes; it does not save
    page.wait_for_selector("#cost-before")
    assert page.inner_text("#cost-before") == "37.200.000"
    assert page.inner_text("#cost-after") == "24.800.000"
    assert page.inner_text("#cost-saving") == "12.400.000"
    assert page.inner_text("#cost-reduction") == "33,33"
    assert not SimplificationPlan.objects.exists()
    page.focus("#save-plan")
    keyboard.press("Enter")
    page.wait_for_selector("#plan-report")
    plan = SimplificationPlan.objects.get()
    assert "Tỷ lệ cắt giảm: 33,33%" in page.inner_text("#cost-lines")
    assert page.locator("#edit-plan").count() == 1
    assert plan_report(plan).comparison.reduction_percent == D("33.33")


# --- numbers as officials type them (issue 14) ------------------------------------------------------
@pytest.mark.parametrize(
    ("income", "hours", "expected_income", "expected_hours"),
    [
        ("5.456.000", "1,5", D(31000), D("1.5")),  # Vietnamese: dots group, a comma decimals
        ("5,456,000", "1.5", D(31000), D("1.5")),  # English-style grouping still works
        ("5456000", "1.50", D(31000), D("1.5")),
        ("5 456 000", "0,25", D(31000), D("0.25")),
    ],
)
def test_editor_accepts_what_officials_type(
    client, reform_people, procedure, income, hours, expected_income, expected_hours
):
    login(client, reform_people["officer_a"])
    data = form(procedure, income=income, income_per="month", **{"before-rows-0-hours": hours})
    response = client.post(NEW, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = SimplificationPlan.objects.get()
    assert plan.hourly_income == expected_income
    before = CostSnapshot.objects.get(plan=plan, phase="before")
    assert before.activities.get().hours == expected_hours
