"""Jinja2 for the content of the busiest public page, inside Django's chrome (docs/adr/0004).

Only the public tracking page's content uses it (issue 17): Jinja2 compiles a template to Python
and renders it several times faster than Django's engine, which was half of that page's CPU. The
chrome of `base.html` stays a Django template like every other page's: `render_in_chrome` renders
the Jinja2 content first and places it in `base.html`.

What a Jinja2 template may use, beside the context it is given:
- `_("…")` and `pgettext("context", "…")`: the active language's catalogue, the same one Django's
  `{% translate %}` reads (`tests/core/test_i18n_templates.py` scans these templates too), looked up
  once per render rather than per string. The result is plain text, escaped on output like
  everything else, as Django's `{% translate %}` does;
- `url("name", *args)`: `django.urls.reverse`;
- `csrf_input` (the hidden field) and `csrf_token`: the same masked token as the chrome's forms.
Autoescaping is on; an undefined name raises (`StrictUndefined`) instead of printing nothing.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import engines
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext, trans_real
from jinja2 import Environment, StrictUndefined

from motcua.core.jinja_translations import TranslatingEnvironment, forget_translations

#: (URLconf, script prefix, name, args) → path. `reverse` walks the resolver on every call (a
#: Django `{% url %}` too); a path cannot change while the URLconf does not. Emptied when a test
#: changes settings; bounded, because arguments (a dossier's code) vary without end.
_reversed: dict[tuple, str] = {}
_REVERSED_MAX = 4096


def url(name: str, *args: Any) -> str:
    """`reverse(name, args=args)`, remembered per URLconf and script prefix."""
    key = (get_urlconf(), get_script_prefix(), name, args)
    path = _reversed.get(key)
    if path is None:
        path = reverse(name, args=args or None)
        if len(_reversed) >= _REVERSED_MAX:
            _reversed.clear()
        _reversed[key] = path
    return path


def _forget_reversed(**_kwargs: Any) -> None:
    _reversed.clear()


setting_changed.connect(_forget_reversed, dispatch_uid="motcua-jinja-reversed")


def environment(**options: Any) -> Environment:
    """The environment of the "jinja2" template engine (settings.TEMPLATES)."""
    options["undefined"] = StrictUndefined  # Django's backend would give Undefined: silent
    # Compiled once per language with its constant texts translated (core/jinja_translations).
    env = TranslatingEnvironment(**options)  # nosec B701  # Django's backend: autoescape=True
    env.globals.update(_=gettext, pgettext=pgettext, url=url)
    return env


def _catalogue_pgettext(catalogue: Any, context: str, message: str) -> str:
    # As Django's pgettext: the message itself when the catalogue has no entry with this context.
    result = catalogue.gettext(f"{context}{trans_real.CONTEXT_SEPARATOR}{message}")
    return message if trans_real.CONTEXT_SEPARATOR in result else result


def _translations() -> dict[str, Any]:
    """`_` and `pgettext` bound to the active language's catalogue (Django's gettext looks the
    active language up on every call: a tenth of the page's CPU for two dozen strings)."""
    if not settings.USE_I18N:
        return {"_": gettext, "pgettext": pgettext}
    catalogue = trans_real.catalog()
    return {"_": catalogue.gettext, "pgettext": partial(_catalogue_pgettext, catalogue)}


def render_content(request: HttpRequest, template_name: str, context: dict[str, Any]) -> SafeString:
    """The Jinja2 template `template_name` (motcua/jinja2/…) rendered for this request."""
    token = context.get("csrf_token") or get_token(request)
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    if settings.USE_I18N:
        env = env.for_language(get_language())
    template = env.get_template(template_name)
    html = template.render(
        {
            **context,
            **_translations(),
            "request": request,
            "csrf_token": token,
            "csrf_input": format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token
            ),
        }
    )
    return mark_safe(html)  # nosec B308 B703  # autoescaped by Jinja2


#: For visitors who are not signed in, base.html is the same page for everyone of one language
#: but for four slots: the title, the content, the CSRF token and the request's path (the language
#: switch's `next`). It is rendered once per (language, script prefix, URLconf) with the slots,
#: split at the content, and filled in per request (issue 17: the chrome's Django render was a
#: sixth of the tracking page's CPU). The slots hold no character that escaping changes.
_TITLE_SLOT = "motcua-shell-title-slot-7f3a"
_CONTENT_SLOT = "motcua-shell-content-slot-7f3a"
_CSRF_SLOT = "motcua-shell-csrf-slot-7f3a"
_PATH_SLOT = "/motcua-shell-path-slot-7f3a"
_shells: dict[tuple, tuple[str, str]] = {}


def _forget_shells(**_kwargs: Any) -> None:
    _shells.clear()


setting_changed.connect(_forget_shells, dispatch_uid="motcua-jinja-shells")
setting_changed.connect(forget_translations, dispatch_uid="motcua-jinja-translations")


class _PathSlotRequest:
    """The request as base.html sees it while its shell is rendered: the path is a slot."""

    def __init__(self, request: HttpRequest):
        self._request = request

    def get_full_path(self, *args: Any, **kwargs: Any) -> str:
        return _PATH_SLOT

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)


def _shell_applies(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    engine = engines["django"].engine  # type: ignore[attr-defined]
    # Off in template debug mode (templates edited while the development server runs).
    return user is not None and not user.is_authenticated and not engine.debug


def _anonymous_shell(request: HttpRequest) -> tuple[str, str]:
    key = (get_language(), get_script_prefix(), get_urlconf())
    shell = _shells.get(key)
    if shell is None:
        html = render_to_string(
            "base.html",
            {
                "page_title": _TITLE_SLOT,
                "page_content": mark_safe(_CONTENT_SLOT),  # nosec B308 B703  # a constant
                "csrf_token": _CSRF_SLOT,
            },
            request=_PathSlotRequest(request),  # type: ignore[arg-type]
        )
        before, after = html.split(_CONTENT_SLOT)
        shell = _shells[key] = (before, after)
    return shell


def _page_from_shell(request: HttpRequest, title: str, content: str, token: str) -> str:
    before, after = _anonymous_shell(request)
    title, path = conditional_escape(title), conditional_escape(request.get_full_path())

    def fill(part: str) -> str:
        # The path (the visitor's own text) is replaced last, so nothing in it is taken for a
        # slot; the content goes in between, never through a replacement.
        return part.replace(_CSRF_SLOT, token).replace(_TITLE_SLOT, title).replace(_PATH_SLOT, path)

    return fill(before) + content + fill(after)


def render_in_chrome(
    request: HttpRequest,
    title: str,
    content: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """A page: base.html's chrome (Django) around `content`, a Jinja2 template rendered from
    `context`, with `title` as the page's title. base.html is rendered itself, not extended by a
    template of the page's (Django's `{% extends %}` walks the whole base template on every
    render to collect its blocks), and for a visitor who is not signed in it comes from its
    shell (above). One CSRF token is masked for the whole response (each masking draws 32 random
    characters)."""
    token = get_token(request)
    context = {**context, "csrf_token": token}
    page_content = render_content(request, content, context)
    if _shell_applies(request):
        return HttpResponse(_page_from_shell(request, title, page_content, token), status=status)
    return render(
        request,
        "base.html",
        {**context, "page_title": title, "page_content": page_content},
        status=status,
    )
