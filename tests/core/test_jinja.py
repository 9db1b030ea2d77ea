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


# -- Constant texts translated once per language (motcua/core/jinja_translations.py) ----------

TEXTS = (
    '<p title="{{ _("Processing history") }}">{{ _("Track a dossier") }} '
    '{{ pgettext("dossier history", "status") }} {{ _(word) }} {{ _("No such message 7f3a") }}'
    "</p>"
)


def _refuse(*_args):
    raise AssertionError("a constant text was translated at render time")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_constant_texts_are_translated_when_compiled_with_the_same_result(language):
    env = engines["jinja2"].env
    with translation.override(language):
        runtime = env.from_string(TEXTS).render(word="Dossier", **jinja._translations())
        compiled = env.for_language(language).from_string(TEXTS)
        # The literals no longer call `_`/`pgettext`; `_(word)` still does, at render time.
        folded = compiled.render(word="Dossier", _=gettext, pgettext=_refuse)
        assert folded == runtime
        assert gettext("Dossier") in folded
        with pytest.raises(AssertionError, match="render time"):
            compiled.render(word="Dossier", _=_refuse, pgettext=_refuse)
    if language == "vi":
        assert gettext("Track a dossier") != "Track a dossier"  # a real translation was checked


def test_each_language_has_its_own_compiled_templates():
    env = engines["jinja2"].env
    assert env.for_language("vi") is env.for_language("vi")
    assert env.for_language("vi") is not env.for_language("en")
    assert env.for_language(None) is env
    vi = env.for_language("vi").get_template("portal/tracking.html")
    en = env.for_language("en").get_template("portal/tracking.html")
    assert vi is not en


def test_the_tracking_page_is_the_same_with_texts_translated_once(client):
    """The page through its view, in both languages, equals the render that translates each
    text at render time (the template compiled without translation)."""
    from motcua.core.jinja_translations import TranslatingEnvironment

    pages = {}
    for translate_when_compiling in (True, False):
        original = TranslatingEnvironment.for_language
        if not translate_when_compiling:
            TranslatingEnvironment.for_language = lambda self, language: self  # type: ignore
        try:
            for language in ("vi", "en"):
                client.cookies["django_language"] = language
                html = client.get("/tra-cuu/").content.decode()
                html = re.sub(r'(value|nonce)="[^"]+"|nonce-[^;\']+', "", html)
                pages[(translate_when_compiling, language)] = html
        finally:
            TranslatingEnvironment.for_language = original  # type: ignore
    assert pages[(True, "vi")] == pages[(False, "vi")]
    assert pages[(True, "en")] == pages[(False, "en")]
    assert pages[(True, "vi")] != pages[(True, "en")]


def test_changed_settings_forget_the_translated_copies():
    env = engines["jinja2"].env
    vi = env.for_language("vi")
    with override_settings(LANGUAGE_CODE="en"):
        assert env.for_language("vi") is not vi
