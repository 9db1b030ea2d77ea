"""Jinja2 for the busiest public page's content (motcua/core/jinja.py, docs/adr/0004)."""

from __future__ import annotations

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.template import engines
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext
from jinja2 import UndefinedError

from motcua.core import jinja


def _render(source: str, **context) -> str:
    request = RequestFactory().get("/")
    template = engines["jinja2"].env.from_string(source)
    return template.render({**context, **jinja._translations(), "request": request})


@pytest.mark.parametrize("language", ["vi", "en"])
def test_translations_are_djangos(language):
    with translation.override(language):
        assert _render('{{ _("Processing history") }}') == gettext("Processing history")
        assert _render('{{ pgettext("dossier history", "status") }}') == pgettext(
            "dossier history", "status"
        )
        # no entry: the message itself, as Django answers
        assert _render('{{ pgettext("no such context", "status") }}') == "status"
        assert _render('{{ _("No such message 7f3a") }}') == "No such message 7f3a"
    with translation.override("vi"):
        assert _render('{{ _("Processing history") }}') != "Processing history"


def test_output_is_escaped_and_undefined_names_raise():
    assert _render("{{ x }}", x='<b a="1">') == "&lt;b a=&#34;1&#34;&gt;"
    with pytest.raises(UndefinedError):
        _render("{{ not_given }}")


def test_url_is_reverse_and_is_remembered_until_settings_change():
    assert _render('{{ url("tracking:page") }}') == reverse("tracking:page")
    assert _render('{{ url("feedback:rate", "A-1") }}') == reverse("feedback:rate", args=["A-1"])
    key = (None, "/", "tracking:page", ())
    assert jinja._reversed[key] == reverse("tracking:page")
    with override_settings(FORCE_SCRIPT_NAME="/x/"):
        assert jinja._reversed == {}


def test_the_page_masks_one_csrf_token_for_all_its_forms(client):
    page = client.get("/tra-cuu/").content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert len(tokens) == 1  # the tracking form and the language switch of the chrome
    secret = _unmask_cipher_token(tokens.pop())
    assert secret == client.cookies["csrftoken"].value


def _anonymous_request(path: str):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    request.session = {}
    return request


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("path", ["/tra-cuu/", '/tra-cuu/?ma=<b>&x="1"', "/tra-cuu/?é=ü"])
def test_the_anonymous_shell_is_base_html_byte_for_byte(language, path):
    from django.template.loader import render_to_string

    request = _anonymous_request(path)
    token, content = "T" * 64, mark_safe("<p>content</p>")  # as render_content gives it
    with translation.override(language):
        direct = render_to_string(
            "base.html",
            {"page_title": "A & B", "page_content": content, "csrf_token": token},
            request=request,
        )
        assert jinja._page_from_shell(request, "A & B", content, token) == direct
        assert jinja._page_from_shell(request, "A & B", content, token) == direct  # from cache


def test_a_slot_in_the_visitors_path_or_content_is_left_as_it_is():
    request = _anonymous_request(f"/tra-cuu/?q={jinja._CSRF_SLOT}{jinja._TITLE_SLOT}")
    page = jinja._page_from_shell(request, "Title", f"<p>{jinja._PATH_SLOT}</p>", "T" * 64)
    assert f"?q={jinja._CSRF_SLOT}{jinja._TITLE_SLOT}" in page  # the path, as the visitor wrote it
    assert f"<p>{jinja._PATH_SLOT}</p>" in page  # the content is never searched for slots


def test_a_signed_in_user_gets_their_own_chrome(client, django_user_model):
    from django.test import Client

    assert 'class="logout-form"' not in Client().get("/tra-cuu/").content.decode()
    client.force_login(django_user_model.objects.create_user("viewer", password="x" * 12))
    assert 'class="logout-form"' in client.get("/tra-cuu/").content.decode()
