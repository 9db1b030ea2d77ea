"""End to end in Chromium: a clerk receives a dossier at the counter and prints the receipt, a
specialist and a leader process it, the clerk returns the result, the citizen tracks it with the
code from the receipt. Takes the user guide's screenshots (docs/images/)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from guide_images import save_screenshot

from motcua.dossiers.choices import Status
from motcua.dossiers.models import Dossier

from .test_views_support import PDF, make_dossier, media_fixture

__all__ = ["media_fixture"]  # the `media` fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def shot(page, name: str, top: str | None = None) -> None:
    if top is not None:
        page.locator(top).first.evaluate("e => e.scrollIntoView()")
    save_screenshot(page, name)  # the viewport only: small files for the guide


LANDING = {"leader_a": "**/bao-cao/"}  # each role lands on its own work (issue 14)


def log_in(page, username: str) -> None:
    page.goto("/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(LANDING.get(username, "**/ho-so/"))


def log_out(page) -> None:
    page.locator("form.logout-form button").click()
    page.wait_for_load_state()


def act(page, action: str, **fields) -> None:
    form = page.locator(f"form[data-action={action}]")
    for name, value in fields.items():
        control = form.locator(f"[name={name}]")
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    if form.locator("input[name=confirm]").count():
        form.locator("input[name=confirm]").check()  # dangerous actions are confirmed (issue 14)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def status_on_page(page) -> int:
    return int(page.locator(".dossier-status").get_attribute("data-status"))


def test_counter_dossier_from_intake_to_returned_result(page, personas, procedure, media):
    page.set_viewport_size({"width": 1280, "height": 800})
    # A few other dossiers so the worklist shows its highlighting.
    now = timezone.now()
    make_dossier(
        procedure,
        name="Trần Thị Bình",
        received_at=now - timedelta(days=6),
        due_at=now - timedelta(hours=3),
        step_order=2,
        assignee=personas["specialist"],
    )
    make_dossier(
        procedure,
        name="Lê Văn Cường",
        received_at=now - timedelta(days=1),
        due_at=now + timedelta(days=3),
        step_order=2,
    )

    # 1. The clerk receives the dossier at the counter.
    log_in(page, "clerk_a")
    page.locator("nav.staff-nav a[href='/ho-so/tiep-nhan/']").click()
    page.wait_for_url("**/ho-so/tiep-nhan/")
    page.fill("#id_applicant_name", "Nguyễn Văn An")
    page.fill("#id_applicant_id_number", "046095000123")
    page.fill("#id_applicant_phone", "0905 123 456")
    page.fill("#id_applicant_address", "12 Lê Lợi, phường Thuận Hóa, Huế")
    page.set_input_files(
        "input[name=attachments]",
        files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    shot(page, "ho-so-tiep-nhan.png", top="main hgroup")
    page.locator("#intake-form button[type=submit]:not([name=lookup])").click()
    page.wait_for_url("**/ho-so/000.00.12.H57-*/")
    code = page.locator(".dossier-code").inner_text().strip()
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.RECEIVED and dossier.attachments.count() == 1
    assert status_on_page(page) == Status.RECEIVED
    assert page.locator("a[download]").inner_text() == "to-khai.pdf"
    # The receipt (form 01) with its QR code to the public tracking page.
    page.goto(f"/ho-so/{code}/in/01/")
    assert page.locator(".dossier-code").inner_text() == code
    assert page.locator("#qr svg").count() == 1
    tracking_link = page.locator("#qr a").first.get_attribute("href")
    assert tracking_link.endswith(f"/tra-cuu/?ma={code}")
    page.goto(f"/ho-so/{code}/")
    act(page, "forward", assignee="Trần Văn Minh", note="Chuyển thẩm định")
    assert status_on_page(page) == Status.IN_PROGRESS
    log_out(page)

    # 2. The specialist finds it on the worklist and forwards it to the leader.
    log_in(page, "specialist_a")
    assert page.locator(f'tr[data-code="{code}"]').count() == 1
    assert page.locator("tr.due-overdue .due-label").count() == 1
    shot(page, "ho-so-danh-sach.png", top="main h1")
    page.locator(f'tr[data-code="{code}"] a').click()
    page.wait_for_url(f"**/ho-so/{code}/")
    act(page, "forward", assignee="Lê Quang Hùng", note="Đủ điều kiện, trình ký")
    log_out(page)

    # 3. The leader approves: the result is ready.
    log_in(page, "leader_a")
    page.goto(f"/ho-so/{code}/")
    assert page.locator("form[data-action=result_ready]").count() == 1
    assert page.locator("form[data-action=withdraw]").count() == 0
    shot(page, "ho-so-chi-tiet.png", top="main hgroup")
    shot(page, "ho-so-thao-tac.png", top="#actions-heading")
    act(page, "result_ready")
    assert status_on_page(page) == Status.RESULT_READY
    log_out(page)

    # 4. The clerk returns the result.
    log_in(page, "clerk_a")
    page.goto(f"/ho-so/{code}/")
    act(page, "return_result", note="Đã trả tận tay")
    assert status_on_page(page) == Status.RETURNED
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.returned_at is not None
    assert [s.order for s in dossier.steps.order_by("started_at", "id")] == [1, 2, 3]
    assert dossier.events.count() == 5  # receive, forward, forward, result_ready, return_result
    log_out(page)

    # 5. The citizen follows the receipt's QR code and tracks the dossier with the phone number.
    page.goto(f"/tra-cuu/?ma={code}")
    assert page.locator("input[name=ma]").input_value() == code
    page.fill("input[name=factor]", "0905123456")
    page.locator("form.tracking-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".tracking-status").get_attribute("data-status") == str(Status.RETURNED)
    assert "0905123456" not in page.content()
