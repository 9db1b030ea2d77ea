"""End to end in Chromium: a citizen signs up (email verified through a local SMTP server), submits
online, the clerk asks for a supplement, the citizen supplements, the clerk accepts (receipt by
email), the citizen pays through the test provider, the dossier is processed and the citizen
downloads the electronic result, then rates the service.
Screenshots go to docs/images/cong-dan-*.png (docs/huong-dan-cong-dan.md)."""

from __future__ import annotations

import pytest

from motcua.dossiers.attachments import store_attachment
from motcua.dossiers.choices import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_transition

from .conftest import PDF, pdf
from .e2e_support import first_link, shot, smtp_server, text_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp(settings, live_server):
    controller, mailbox, port = smtp_server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.MOTCUA_PUBLIC_URL = live_server.url
    settings.MOTCUA_PAYMENT_PROVIDERS = ["counter", "test"]
    try:
        yield mailbox
    finally:
        controller.stop()


def test_citizen_journey(
    page, browser, live_server, personas, online_procedure, media, smtp, tmp_path
):
    from django.core.cache import cache

    cache.clear()
    page.set_viewport_size({"width": 1100, "height": 900})
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(PDF)

    # 1. Sign up.
    page.goto("/")
    page.locator("a[href='/tai-khoan/signup/']").first.click()
    page.fill("#id_full_name", "Lê Thị Cúc")
    page.fill("#id_email", "cuc@example.org")
    page.fill("#id_password1", "Hue-mot-cua-2025!")
    page.fill("#id_password2", "Hue-mot-cua-2025!")
    page.fill("#id_id_number", "046195000321")
    page.fill("#id_phone", "0912345678")
    shot(page, "cong-dan-1-dang-ky.png")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/confirm-email/")

    # 2. Verify the email address with the link received by SMTP.
    message = smtp.wait_for(lambda m: "cuc@example.org" in m["To"])
    link = first_link(text_of(message), "/tai-khoan/confirm-email/")
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/ho-so-cua-toi/")

    # 3. Find the procedure without diacritics and submit online.
    page.goto("/thu-tuc/?q=ly+lich+tu+phap")
    page.get_by_role("link", name=online_procedure.name).click()
    page.locator(f"a[href='/thu-tuc/{online_procedure.code}/nop-truc-tuyen/']").first.click()
    assert page.input_value("#id_applicant_name") == "Lê Thị Cúc"  # from the profile
    page.fill("#id_applicant_address", "12 Lê Lợi, Huế")
    doc = online_procedure.documents.get()
    page.set_input_files(f"#id_doc_{doc.pk}", str(scan))
    page.check("#id_declaration")
    shot(page, "cong-dan-2-nop-truc-tuyen.png")
    page.locator("main form.submit-form button[type=submit]").click()
    page.wait_for_selector("#dossier-status")
    dossier = Dossier.objects.get()
    assert (
        dossier.status == Status.SUBMITTED_ONLINE
        and dossier.applicant_user.email == "cuc@example.org"
    )
    shot(page, "cong-dan-3-ho-so.png")

    # 4. The clerk asks for a supplement on the staff pages.
    staff = browser.new_context(base_url=live_server.url, locale="vi-VN")
    clerk = staff.new_page()
    clerk.goto("/dang-nhap/")
    clerk.fill("#id_username", "clerk_a")
    clerk.fill("#id_password", "pw")
    clerk.locator("main button[type=submit]").click()
    clerk.wait_for_url("**/ho-so/")
    assert dossier.code in clerk.content()  # in the worklist, by its 8-working-hour limit
    clerk.goto(f"/ho-so/{dossier.code}/")
    form = clerk.locator("form[data-action=request_supplement]")
    form.locator("[name=note]").fill("Bổ sung ảnh 4x6")
    form.locator("button[type=submit]").click()
    clerk.wait_for_load_state()
    smtp.wait_for(lambda m: "cần bổ sung" in m["Subject"])

    # 5. The citizen supplements online (same code, history kept).
    page.reload()
    assert "Bổ sung ảnh 4x6" in page.content()
    page.set_input_files("#id_files", str(scan))
    page.fill("#id_note", "Đã bổ sung ảnh")
    shot(page, "cong-dan-4-bo-sung.png")
    page.locator("#bo-sung button[type=submit]").click()
    page.wait_for_selector("#dossier-status")
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED_ONLINE

    # 6. The clerk accepts it: the receipt (form 01) arrives by email, with the PDF.
    clerk.goto(f"/ho-so/{dossier.code}/")
    clerk.locator("form[data-action=accept] button[type=submit]").click()
    clerk.wait_for_load_state()
    receipt = smtp.wait_for(lambda m: "(mẫu 01)" in m["Subject"])
    assert f"/ho-so/{dossier.code}/in/01/" in text_of(receipt)
    assert any(part.get_content_type() == "application/pdf" for part in receipt.iter_attachments())
    staff.close()

    # 7. The clerk forwards it to the specialist, who asks for the fee; the citizen pays through
    # the test provider.
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="forward")
    dossier_transition(
        actor=personas["specialist"], dossier_id=dossier.pk, action="request_payment"
    )
    page.reload()
    page.check("input[name=provider][value=test]")
    page.locator("#thanh-toan button[type=submit]").click()
    page.wait_for_url("**/thanh-toan/thu-nghiem/**")
    shot(page, "cong-dan-5-thanh-toan.png")
    page.locator("button[name=decision][value=pay]").click()
    page.wait_for_selector("#dossier-status")
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS

    # 8. Processing by the department (specialist, leader), the electronic result is attached.
    dossier_transition(actor=personas["specialist"], dossier_id=dossier.pk, action="forward")
    store_attachment(
        actor=personas["leader"], dossier=dossier, uploaded_file=pdf("ket-qua.pdf"), kind="result"
    )
    dossier_transition(actor=personas["leader"], dossier_id=dossier.pk, action="result_ready")

    # 9. The citizen downloads the electronic result; the dossier is returned.
    page.reload()
    shot(page, "cong-dan-6-ket-qua.png")
    with page.expect_download() as download:
        page.locator("#ket-qua a").first.click()
    assert download.value.suggested_filename == "ket-qua.pdf"
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    page.goto("/ho-so-cua-toi/")
    assert dossier.code in page.content()
    shot(page, "cong-dan-7-ho-so-cua-toi.png")

    # 10. The citizen rates the service (DOMAIN §8) from the dossier page: one rating per dossier.
    page.goto(f"/ho-so-cua-toi/{dossier.code}/")
    page.locator(".rating-link a").first.click()
    page.wait_for_url(f"**/danh-gia/{dossier.code}/")
    page.eval_on_selector_all(
        "main form fieldset",
        "sets => sets.forEach(f => f.querySelector('input[type=radio]').click())",
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".rating-done").is_visible()
    from motcua.feedback.models import Rating

    assert Rating.objects.filter(dossier=dossier).count() == 1
