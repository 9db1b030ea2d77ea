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
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext, trans_real
from jinja2 import Environment, StrictUndefined


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
    env = Environment(**options)  # nosec B701  # Django's backend passes autoescape=True
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
    template = engines["jinja2"].env.get_template(template_name)  # type: ignore[attr-defined]
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
    render to collect its blocks). One CSRF token is masked for the whole response (each masking
    draws 32 random characters)."""
    context = {**context, "csrf_token": get_token(request)}
    page_content = render_content(request, content, context)
    return render(
        request,
        "base.html",
        {**context, "page_title": title, "page_content": page_content},
        status=status,
    )
