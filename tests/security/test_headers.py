"""Issue 13 gap 9: a strict Content-Security-Policy and the other security headers on every page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = {
    None: ["/", "/thu-tuc/", "/tra-cuu/", "/dang-nhap/", "/tai-khoan/login/", "/gop-y/",
           "/tinh-han/", "/khong-co-trang-nay/"],
    "citizen1": ["/ho-so-cua-toi/", "/tai-khoan/ho-so-ca-nhan/"],
    "clerk": ["/ho-so/", "/ho-so/so-theo-doi/?from=2025-03-01&to=2025-03-31"],
    "leader": ["/bao-cao/", "/bao-cao/dung-han/", "/phan-anh/", "/bao-cao/chi-so-766/"],
    "notary": ["/ngan-chan/"],
    "admin": ["/admin/", "/admin/audit/auditevent/", "/admin/auth/user/add/"],
}  # fmt: skip
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {d.split(" ", 1)[0]: d.partition(" ")[2] for d in header.split("; ")}


def _pages(personas):
    for who, paths in PAGES.items():
        client = Client()
        if who:
            client.force_login(personas[who])
        for path in paths:
            yield who, path, client.get(path)


def test_every_main_page_has_the_headers_and_no_inline_script(personas):
    seen = 0
    for who, path, response in _pages(personas):
        where = f"{who or 'anonymous'} {path}"
        assert response.status_code in (200, 404), where
        policy = _policy(response)
        assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'", where
        assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'", where
        assert "unsafe" not in response["Content-Security-Policy"], where
        nonce = re.fullmatch(r"'self' 'nonce-([\w-]+)'", policy["style-src"]).group(1)
        assert response["Permissions-Policy"].startswith("accelerometer=()"), where
        assert "camera=()" in response["Permissions-Policy"], where
        assert response["Referrer-Policy"] == "same-origin", where
        assert response["X-Content-Type-Options"] == "nosniff", where
        assert response["X-Frame-Options"] == "DENY", where
        html = response.content.decode()
        if "text/html" in response["Content-Type"]:
            assert not INLINE_SCRIPT.search(html), where
            assert not HANDLER.search(html), where
            assert "javascript:" not in html, where
            for tag in re.findall(r"<style[^>]*>", html):
                assert f'nonce="{nonce}"' in tag, where
            if not path.startswith("/admin/"):
                assert not STYLE_ATTR.search(html), where
        seen += 1
    assert seen == sum(len(p) for p in PAGES.values())


def test_the_nonce_changes_with_every_response():
    client = Client()
    first, second = (_policy(client.get("/"))["style-src"] for _ in range(2))
    assert first != second


def test_styled_pages_carry_the_nonce_of_their_response(personas):
    client = Client()
    client.force_login(personas["leader"])
    response = client.get("/bao-cao/")
    nonce = _policy(response)["style-src"].split("'nonce-")[1].rstrip("'")
    assert f'<style nonce="{nonce}">' in response.content.decode()


def test_hsts_and_secure_cookies_kept_over_https(settings, personas):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.HTTPS = True
    client = Client()
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "upgrade-insecure-requests" in response["Content-Security-Policy"]


def test_the_server_error_page_has_no_inline_style():
    from django.template.loader import get_template

    html = get_template("500.html").render({})
    assert not STYLE_ATTR.search(html) and "<style" not in html and "<script" not in html
