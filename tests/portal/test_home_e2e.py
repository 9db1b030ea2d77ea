import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_page_shows_vietnamese_heading_in_chromium(page):
    page.goto("/")
    heading = page.locator("h1")
    assert heading.inner_text() == "Hệ thống một cửa của Sở Tư pháp"
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Thân thiện – Đúng hẹn – Đơn giản" in page.content()


def test_language_switcher_changes_to_english(page):
    page.goto("/")
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="Đổi ngôn ngữ").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == (
        "One-stop administrative services of the Department of Justice"
    )
    assert page.locator("html").get_attribute("lang") == "en"
