import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_is_vietnamese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Hệ thống một cửa của Sở Tư pháp" in html
    assert "Thân thiện – Đúng hẹn – Đơn giản" in html
    assert "Cơ sở dữ liệu thông tin ngăn chặn công chứng" in html


def test_home_has_landmarks_and_calculator_link(client):
    html = client.get("/").content.decode()
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert "<footer" in html
    assert 'href="/tinh-han/"' in html


def test_home_uses_only_local_assets(client):
    html = client.get("/").content.decode()
    assert "vendor/pico/pico" in html
    assert "https://" not in html and "http://" not in html
    assert "<script" not in html


def test_switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "One-stop administrative services of the Department of Justice" in html
    assert "Friendly – On time – Simple" in html


def test_accept_language_english(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html


def test_home_rejects_post(client):
    assert client.post("/").status_code == 405


def test_static_files_are_found():
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/pico/pico.min.css")
    assert finders.find("vendor/pico/LICENSE.md")
    assert finders.find("motcua/site.css")


def test_api_docs_and_schema(client, admin_client):
    assert client.get("/api/docs").status_code == 401  # staff only (issue 13 gap 14)
    assert admin_client.get("/api/docs").status_code == 200
    schema = admin_client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "motcua API"
