"""Pages: anonymous, no permission, permitted, A asking for B (404); exports; constant queries."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.reform import demo
from motcua.reform import services as s
from motcua.reform.models import Scheme

from .conftest import PDF
from .test_workflow import fill, start


@pytest.fixture
def setup(reform_people, scheme, units):
    a = start(reform_people, scheme, units)
    b = start(reform_people, scheme, units, "officer_b", "B")
    return reform_people, scheme, a, b


def login(client, user):
    client.force_login(user)
    return client


def test_assessment_page_access(client, setup):
    p, scheme, a, b = setup
    url = reverse("reform:assessment", args=[a.pk])
    r = client.get(url)
    assert r.status_code == 302 and "next=" in r["Location"]
    for who in ("officer_b", "clerk", "citizen1", "evaluator"):  # draft: not even the council
        assert login(client, p[who]).get(url).status_code == 404
    login(client, p["officer_a"])
    r = client.get(url)
    assert r.status_code == 200 and b'name="score-' in r.content
    assert client.get(reverse("reform:assessment", args=[b.pk])).status_code == 404
    assert client.get(reverse("reform:assessment", args=[999999])).status_code == 404
    # the unit's leader reads but cannot edit
    r = login(client, p["leader"]).get(url)
    assert r.status_code == 200 and b'name="score-' not in r.content
    assert client.post(url, {"action": "save"}).status_code == 404


def test_self_assessment_post_upload_and_submit(client, setup):
    p, scheme, a, b = setup
    m = scheme.item_map
    login(client, p["officer_a"])
    url = reverse("reform:assessment", args=[a.pk])
    data = {
        f"score-{m[c].pk}": v
        for c, v in {"1.1": "18", "1.2.1": "10", "1.2.2": "15", "1.3": "9"}.items()
    }
    r = client.post(url, {**data, "action": "save"}, follow=True)
    assert r.status_code == 200
    a.refresh_from_db()
    assert a.scores.get(item=m["1.1"]).self_score == 18
    r = client.post(
        url,
        {"action": "upload", "item": m["1.1"].pk, "file": io.BytesIO(b"MZ\x90 exe")},
        follow=True,
    )
    assert not a.scores.get(item=m["1.1"]).evidence.exists()
    f = io.BytesIO(PDF)
    f.name = "ke-hoach.pdf"
    client.post(url, {"action": "upload", "item": m["1.1"].pk, "file": f})
    ev = a.scores.get(item=m["1.1"]).evidence.get()
    dl = reverse("reform:evidence", args=[a.pk, ev.pk])
    assert client.get(dl).content == PDF
    assert login(client, p["officer_b"]).get(dl).status_code == 404
    assert login(client, p["evaluator"]).get(dl).status_code == 404  # draft
    login(client, p["officer_a"]).post(url, {**data, "action": "submit"})
    a.refresh_from_db()
    assert a.status == "submitted"
    assert login(client, p["evaluator"]).get(dl).status_code == 200
    # the council cannot remove the unit's evidence through the unit's page
    r = client.post(url, {"action": "delete_evidence", "evidence": ev.pk})
    assert r.status_code == 404 and a.scores.get(item=m["1.1"]).evidence.exists()


def test_appraise_page_access(client, setup):
    p, scheme, a, b = setup
    fill(p, a, scheme)
    s.self_assessment_submit(actor=p["officer_a"], assessment_id=a.pk)
    url = reverse("reform:appraise", args=[a.pk])
    assert client.get(url).status_code == 302
    for who in ("officer_a", "officer_b", "leader", "clerk_b"):
        assert login(client, p[who]).get(url).status_code == 404
    assert login(client, p["evaluator"]).get(url).status_code == 200
    assert client.get(reverse("reform:appraise", args=[b.pk])).status_code == 404  # draft


def test_scheme_page_council_only(client, setup):
    p, scheme, a, b = setup
    url = reverse("reform:scheme", args=[scheme.pk])
    assert client.get(url).status_code == 302
    for who in ("officer_a", "leader", "clerk_b"):
        assert login(client, p[who]).get(url).status_code == 404
        assert client.post(url, {"action": "publish"}).status_code == 404
    assert login(client, p["evaluator"]).get(url).status_code == 200
    r = client.post(url, {"action": "publish"}, follow=True)
    assert Scheme.objects.get(pk=scheme.pk).status == "open"  # refused: not appraised
    assert r.status_code == 200


def test_scheme_excel_round_trip(client, setup):
    p, scheme, a, b = setup
    login(client, p["evaluator"])
    data = client.get(reverse("reform:scheme_export", args=[scheme.pk])).content
    wb = load_workbook(io.BytesIO(data))
    wb["Thông tin"]["B1"] = 2030
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "s.xlsx"
    r = client.post(reverse("reform:scheme_import"), {"file": out})
    assert r.status_code == 302
    new = Scheme.objects.get(year=2030)
    assert new.items.count() == scheme.items.count()
    assert [b.label for b in new.bands.all()] == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]
    assert new.items.get(code="1.2.2").parent.code == "1.2"


def test_scheme_import_reports_rows_and_changes_nothing(client, setup):
    from openpyxl import Workbook

    p, *_ = setup
    wb = Workbook()
    info = wb.active
    info.title = "Thông tin"
    info.append(["year", 2031])
    info.append(["block", "department"])
    items = wb.create_sheet("Tiêu chí")
    items.append(
        ["code", "parent_code", "title", "kind", "max_points", "guidance", "required_evidence"]
    )
    items.append(["1", "", "Lĩnh vực", "regular", 10])
    items.append(["1.1", "1", "Tiêu chí", "regular", 6])
    items.append(["1.2", "9", "Mồ côi", "regular", 4])
    items.append(["1.3", "1", "Âm", "regular", -1])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "bad.xlsx"
    login(client, p["evaluator"])
    r = client.post(reverse("reform:scheme_import"), {"file": out})
    assert r.status_code == 400
    text = r.content.decode()
    assert "row 4" in text or "dòng 4" in text
    assert not Scheme.objects.filter(year=2031).exists()
    assert (
        login(client, p["officer_a"]).post(reverse("reform:scheme_import"), {}).status_code == 404
    )


@pytest.fixture
def published(db):
    demo.load(io.StringIO())


def test_results_public_and_exports(client, published):
    r = client.get(reverse("reform:results", args=[2023, "department"]))
    assert r.status_code == 200
    text = r.content.decode()
    assert "Sở Tư pháp" in text and "92,62" in text and "<svg" in text
    x = client.get(reverse("reform:results_xlsx", args=[2023, "department"]))
    sheet = load_workbook(io.BytesIO(x.content)).active
    # Scores are numbers, shown with two decimals (issue 14: never text).
    assert sheet["B3"].value == "Sở Tư pháp" and sheet["F3"].value == pytest.approx(92.62)
    assert sheet["F3"].data_type == "n" and sheet["F3"].number_format == "#,##0.00"
    assert all(sheet.cell(3, col).data_type == "n" for col in range(3, 8))
    assert sheet["H3"].value == "Xuất sắc" and sheet["I3"].value == 13
    pdf = client.get(reverse("reform:results_pdf", args=[2023, "department"]))
    assert pdf.status_code in (200, 404)
    if pdf.status_code == 200:
        assert pdf.content.startswith(b"%PDF")
    svg = client.get(reverse("reform:results_chart", args=[2023, "department"]))
    assert svg["Content-Type"] == "image/svg+xml" and "Sở Tư pháp" in svg.content.decode()
    assert client.get(reverse("reform:results", args=[2024, "department"])).status_code == 404
    assert client.get(reverse("reform:results", args=[2023, "nope"])).status_code == 404


def test_results_constant_queries(client, published, django_assert_num_queries):
    url = reverse("reform:results", args=[2023, "department"])
    client.get(url)
    with django_assert_num_queries(4):
        client.get(url)
    with django_assert_num_queries(4):
        client.get(reverse("reform:results", args=[2023, "district"]))


def test_plan_page(client, reform_people, published):
    from motcua.reform.models import SimplificationPlan

    plan = SimplificationPlan.objects.get()
    url = reverse("reform:plan", args=[plan.pk])
    assert client.get(url).status_code == 302
    assert login(client, reform_people["clerk_b"]).get(url).status_code == 404
    r = login(client, reform_people["specialist"]).get(url)
    text = r.content.decode()
    assert "Chi phí tuân thủ trước khi đơn giản hóa: 37.200.000" in text
    assert "Tỷ lệ cắt giảm: 33,33%" in text
    x = client.get(reverse("reform:plan_xlsx", args=[plan.pk]))
    assert x.status_code == 200
