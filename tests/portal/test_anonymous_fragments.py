"""The public pages' chrome rendered once per language for visitors who are not signed in
(`{% anonymous_fragment %}`, issue 17): the page is byte for byte what a fresh rendering gives,
with this request's CSRF token and path, in the visitor's language; signed-in users are not
served the anonymous chrome."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from motcua.core.templatetags import fragments

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _page(client: Client, path: str) -> str:
    return client.get(path).content.decode()


def _without_tokens(html: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="-"', html)


@pytest.mark.parametrize("path", ["/tra-cuu/?ma=ABC", "/"])
def test_cached_chrome_equals_a_fresh_rendering(path):
    fragments.clear()
    client = Client()
    fresh = _page(client, path)
    cached = _page(client, path)
    assert fragments._nodes and any(node.rendered for node in fragments._nodes)
    assert _without_tokens(cached) == _without_tokens(fresh)
    assert "<footer" in cached and 'href="#main"' in cached


def test_each_request_gets_its_own_path_and_a_working_csrf_token():
    client = Client(enforce_csrf_checks=True)
    _page(client, "/tra-cuu/")
    html = _page(client, '/tra-cuu/?ma=X&q="<b>')
    assert 'name="next" type="hidden" value="/tra-cuu/?ma=X&amp;q=%22%3Cb%3E"' in html
    tokens = set(TOKEN.findall(html))
    assert len(tokens) == 1  # the language switch and the form: this request's token
    response = client.post(
        "/i18n/setlang/",
        {"csrfmiddlewaretoken": tokens.pop(), "language": "en", "next": "/tra-cuu/"},
    )
    assert response.status_code == 302
    english = _page(client, "/tra-cuu/")
    assert '<html lang="en">' in english and "Change language" in english
    assert 'value="en" lang="en" selected' in english
    vietnamese = _page(Client(), "/tra-cuu/")
    assert "Change language" not in vietnamese and 'value="vi" lang="vi" selected' in vietnamese


def test_signed_in_users_do_not_get_the_anonymous_chrome(django_user_model):
    _page(Client(), "/tra-cuu/")  # the anonymous chrome is now cached
    user = django_user_model.objects.create_user("citizen1", password="x-Very-long-1")
    client = Client()
    client.force_login(user)
    html = _page(client, "/tra-cuu/")
    assert "logout-form" in html
    assert "logout-form" not in _page(Client(), "/tra-cuu/")
