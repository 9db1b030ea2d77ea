"""`{% anonymous_fragment %}…{% endanonymous_fragment %}`: parts of a page that are the same for
every visitor who is not signed in, rendered once per process and language (issue 17).

The public pages' chrome (navigation, language switch, footer, the static parts of a form) cost
about half of the tracking page's CPU, and it is identical for every anonymous visitor of one
language. For a visitor who is not signed in the block is rendered once with two slots, the CSRF
token and the request's path, and later requests only fill the slots in: the output is exactly
what rendering the block would give (same CSRF token handling: the token is taken — and its
cookie set — only when the block holds a `{% csrf_token %}`). For a signed-in user the block is
rendered as usual. The block must not depend on anything else of the request or of the view's
context (no per-page variables inside it).

Kept in process memory only, on the parsed block: one text per (language, script prefix, URLconf),
a few kilobytes each. Not used when the template engine is in debug mode (templates edited while
the development server runs), and emptied when a test changes settings.
"""

from __future__ import annotations

import weakref

from django import template
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_CSRF_SLOT = "motcua-fragment-csrf-slot-7f3a"
_PATH_SLOT = "/motcua-fragment-path-slot-7f3a"
_nodes: weakref.WeakSet[AnonymousFragmentNode] = weakref.WeakSet()


def clear(**_kwargs) -> None:
    for node in list(_nodes):
        node.rendered.clear()


setting_changed.connect(clear, dispatch_uid="motcua-anonymous-fragments")


class _SlotRequest:
    """Stands for the request while the block is rendered once: its path is a slot."""

    def __init__(self, request):
        self._request = request

    def get_full_path(self, *args, **kwargs):
        return _PATH_SLOT

    def __getattr__(self, name):
        raise AttributeError(f"an anonymous fragment may not read request.{name}")


class AnonymousFragmentNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist
        #: (language, script prefix, URLconf) → the text with its slots; lives with the node,
        #: that is with the parsed template (the cached loader keeps it for the process).
        self.rendered: dict[tuple, str] = {}
        _nodes.add(self)

    def render(self, context):
        user = context.get("user")
        request = context.get("request")
        engine = context.template.engine if context.template else None
        if (
            request is None
            or user is None
            or getattr(user, "is_authenticated", True)
            or (engine is not None and engine.debug)
        ):
            return self.nodelist.render(context)
        key = (get_language(), get_script_prefix(), get_urlconf())
        text = self.rendered.get(key)
        if text is None:
            with context.push(csrf_token=_CSRF_SLOT, request=_SlotRequest(request)):
                text = self.nodelist.render(context)
            self.rendered[key] = text
        if _PATH_SLOT in text:
            text = text.replace(_PATH_SLOT, conditional_escape(request.get_full_path()))
        if _CSRF_SLOT in text:
            token = str(context.get("csrf_token") or "NOTPROVIDED")  # nosec B105  # Django's marker, not a password
            if token == "NOTPROVIDED":  # nosec B105  # no CSRF middleware: the tag writes nothing
                return self.nodelist.render(context)
            text = text.replace(_CSRF_SLOT, conditional_escape(token))
        return mark_safe(text)  # nosec B308 B703  # rendered by the template engine, slots escaped


@register.tag
def anonymous_fragment(parser, token):
    """`{% anonymous_fragment %}…{% endanonymous_fragment %}` (see the module's docstring)."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("anonymous_fragment takes no argument")
    nodelist = parser.parse(("endanonymous_fragment",))
    parser.delete_first_token()
    return AnonymousFragmentNode(nodelist)
