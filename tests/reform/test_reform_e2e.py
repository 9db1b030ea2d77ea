"""Self-assessment → appraisal → publication → the ranking table, in a real browser."""

import pytest
from django.test import Client
from guide_images import save_screenshot

from .conftest import PDF

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def as_user(page, live_server, user):
    """Log the browser in by handing it a session made by Django's test client."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def shot(page, name):
    save_screenshot(page, f"cai-cach-{name}.png", full_page=True)


def test_self_assessment_to_ranking(live_server, page, reform_people, scheme, units, tmp_path):
    p, m = reform_people, scheme.item_map
    # 1. the unit's reform officer self-assesses with evidence and submits
    as_user(page, live_server, p["officer_a"])
    page.goto(f"{live_server.url}/cai-cach/")
    page.click(f"form[action='/cai-cach/bo-chi-so/{scheme.pk}/bat-dau/'] button")
    page.wait_for_selector("#self-assessment")
    for code, value in {"1.1": "18", "1.2.1": "10", "1.2.2": "15", "1.3": "9", "T": "1"}.items():
        page.fill(f"input[name='score-{m[code].pk}']", value)
    page.fill(f"textarea[name='note-{m['1.2.2'].pk}']", "Đã gửi báo cáo năm")
    page.click("button[value=save]")
    evidence = tmp_path / "ke-hoach-cchc.pdf"
    evidence.write_bytes(PDF)
    page.select_option("#evidence-upload select[name=item]", str(m["1.1"].pk))
    page.set_input_files("#evidence-upload input[type=file]", str(evidence))
    page.click("#evidence-upload button[type=submit]")
    assert page.locator("a", has_text="ke-hoach-cchc.pdf").count() == 1
    shot(page, "tu-danh-gia")
    page.click("button[value=submit]")
    page.wait_for_selector("#assessment-status")
    assert page.locator("input[name^='score-']").count() == 0  # no longer editable

    # 2. the council adjusts one item with a reason, confirms the rest, enters the survey, publishes
    as_user(page, live_server, p["evaluator"])
    assessment_id = scheme.assessments.get().pk
    page.goto(f"{live_server.url}/cai-cach/phieu/{assessment_id}/tham-dinh/")
    page.fill(f"input[name='score-{m['1.2.2'].pk}']", "12")
    page.fill(f"textarea[name='reason-{m['1.2.2'].pk}']", "Báo cáo năm gửi trễ hạn")
    shot(page, "tham-dinh")
    page.click("button[value=complete]")
    page.wait_for_url(f"**/cai-cach/bo-chi-so/{scheme.pk}/")
    page.fill("textarea[name=survey]", f"{units['A'].code}, 2.1, 36")
    page.click("button[value=survey]")
    page.click("button[value=publish]")
    page.wait_for_url("**/cai-cach/ket-qua/2024/department/")

    # 3. the published table: rank, unit, self-assessed, appraised, survey, total, index, class
    row = page.locator("#ranking tbody tr").first
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    assert cells[0] == "1/1" and cells[1] == "Sở Tư pháp"
    assert cells[5] == "86,00" and cells[7] == "Tốt"
    assert page.locator("figure svg").count() == 1
    shot(page, "ket-qua")

    # 4. the unit's gap analysis lists the adjusted item with the council's reason
    as_user(page, live_server, p["officer_a"])
    page.goto(f"{live_server.url}/cai-cach/phieu/{assessment_id}/khac-phuc/")
    assert "Báo cáo năm gửi trễ hạn" in page.locator("#gaps").inner_text()
    page.fill("#action-add input[name=title]", "Lập lịch gửi báo cáo năm trước hạn")
    page.fill("#action-add input[name=owner]", "Văn phòng Sở")
    page.fill("#action-add input[name=due_date]", "2025-03-31")
    page.click("#action-add button[type=submit]")
    assert "Văn phòng Sở" in page.locator("#actions").inner_text()
    shot(page, "khac-phuc")
