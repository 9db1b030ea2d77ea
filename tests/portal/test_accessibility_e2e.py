"""WCAG 2.1 A/AA checks with axe-core (injected by Playwright) on every public and citizen page,
and a keyboard-only online submission."""

from __future__ import annotations

import pytest

from motcua.dossiers.choices import Status
from motcua.dossiers.models import Dossier

from .conftest import PDF
from .e2e_support import axe_violations, log_in_browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC = [
    "/",
    "/thu-tuc/",
    "/thu-tuc/?q=ly+lich",
    "/thu-tuc/DEMO-LLTP-01/",
    "/huong-dan/",
    "/huong-dan/tao-tai-khoan/",
    "/huong-dan/nop-truc-tuyen/",
    "/huong-dan/bo-sung/",
    "/huong-dan/tra-cuu/",
    "/huong-dan/danh-gia/",
    "/hoi-dap/",
    "/tai-khoan/login/",
    "/tai-khoan/signup/",
    "/tai-khoan/password/reset/",
]


def test_axe_on_every_portal_page(page, live_server, personas, online_procedure, submit_online):
    from django.core.cache import cache

    cache.clear()
    failures = {}
    for url in PUBLIC:
        page.goto(url)
        if violations := axe_violations(page):
            failures[url] = violations
    dossier = submit_online(personas["citizen1"])
    log_in_browser(page, live_server, personas["citizen1"])
    for url in [
        "/ho-so-cua-toi/",
        f"/ho-so-cua-toi/{dossier.code}/",
        f"/thu-tuc/{online_procedure.code}/nop-truc-tuyen/",
        "/tai-khoan/ho-so-ca-nhan/",
    ]:
        page.goto(url)
        if violations := axe_violations(page):
            failures[url] = violations
    assert failures == {}


def test_keyboard_only_submission(page, live_server, personas, online_procedure, media, tmp_path):
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(PDF)
    log_in_browser(page, live_server, personas["citizen1"])
    page.goto(f"/thu-tuc/{online_procedure.code}/nop-truc-tuyen/")
    keyboard = page.keyboard

    def tab_to(selector: str, limit: int = 60) -> None:
        for _ in range(limit):
            keyboard.press("Tab")
            if page.evaluate(f"document.activeElement === document.querySelector({selector!r})"):
                return
        raise AssertionError(f"{selector} is not reachable with Tab")

    values = {
        "#id_applicant_name": "Nguyễn Văn An",
        "#id_applicant_id_number": "046095000123",
        "#id_applicant_phone": "0905123456",
        "#id_applicant_email": "an@example.org",
        "#id_applicant_address": "12 Lê Lợi, Huế",
    }
    for selector, value in values.items():
        tab_to(selector)
        keyboard.press("Control+A")
        keyboard.type(value)
    doc = online_procedure.documents.get()
    tab_to(f"#id_doc_{doc.pk}")
    # Space on the focused file input opens the chooser; on a loaded machine Chromium sometimes
    # drops the first key press, so the key (still the keyboard, never the mouse) is pressed again.
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):
        try:
            with page.expect_file_chooser(timeout=10_000) as chooser:
                keyboard.press("Space")
            break
        except PlaywrightTimeout:
            assert page.evaluate(f"document.activeElement.id === 'id_doc_{doc.pk}'")
            if attempt == 2:
                raise
    chooser.value.set_files(str(scan))
    tab_to("#id_declaration")
    keyboard.press("Space")
    tab_to("form.submit-form button[type=submit]")
    keyboard.press("Enter")
    page.wait_for_selector("#dossier-status")
    dossier = Dossier.objects.get()
    assert dossier.status == Status.SUBMITTED_ONLINE and dossier.attachments.count() == 1
