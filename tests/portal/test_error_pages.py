"""Error pages speak Vietnamese and show no traceback."""

import pytest


@pytest.mark.django_db
def test_404_is_vietnamese(client):
    r = client.get("/khong-co-trang-nay/")
    assert r.status_code == 404
    body = r.content.decode()
    assert "Không tìm thấy trang" in body and "Traceback" not in body


@pytest.mark.django_db
def test_500_page_needs_no_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Lỗi hệ thống" in html
