"""Jinja2 templates compiled once per language, with their constant texts translated (issue 17).

`_("Track a dossier")` in a template is a call at every render: Jinja2's `Context.call`, the
catalogue's look-up, the escaping of the result. The tracking page has about twenty of them, a
tenth of the page's CPU. Their text cannot change while the process runs (the catalogues are
compiled files, read at start), so each language gets its own compiled copy of a template in
which every `_("literal")` and `pgettext("context", "literal")` is replaced by its translation
before Jinja2 compiles it; Jinja2 then writes the escaped text straight into the page.

A call with anything other than string literals (`_(variable)`) is left as it is and translated
at render time, as before; so is everything when translation is off (USE_I18N) or no language is
active. `_` and `pgettext` are therefore reserved names in motcua's Jinja2 templates.
"""

from __future__ import annotations

import weakref
from typing import Any

from django.utils import translation
from jinja2 import Environment, nodes
from jinja2.visitor import NodeTransformer


class _ConstantTexts(NodeTransformer):
    """Replaces `_("…")` and `pgettext("…", "…")` by their translation in the active language."""

    def visit_Call(self, node: nodes.Call) -> nodes.Node:  # noqa: N802 — Jinja2's visitor name
        node = self.generic_visit(node)
        texts = _literal_arguments(node)
        name = node.node.name if isinstance(node.node, nodes.Name) else None
        if texts is None or name is None:
            return node
        if name == "_" and len(texts) == 1:
            return nodes.Const(translation.gettext(texts[0]), lineno=node.lineno)
        if name == "pgettext" and len(texts) == 2:
            return nodes.Const(translation.pgettext(texts[0], texts[1]), lineno=node.lineno)
        return node


def _literal_arguments(node: nodes.Call) -> list[str] | None:
    if node.kwargs or node.dyn_args is not None or node.dyn_kwargs is not None:
        return None
    if not all(isinstance(a, nodes.Const) and isinstance(a.value, str) for a in node.args):
        return None
    return [a.value for a in node.args]


#: Every TranslatingEnvironment made, for `forget_translations`.
_environments: weakref.WeakSet[TranslatingEnvironment] = weakref.WeakSet()


def forget_translations(**_kwargs: Any) -> None:
    """Drop every per-language copy (a test changed the languages or the catalogues)."""
    for env in list(_environments):
        env.__dict__.pop("_language_copies", None)


class TranslatingEnvironment(Environment):
    """An environment that, given a `language`, translates constant texts while it compiles."""

    language: str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _environments.add(self)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        if self.language is None:
            return tree
        with translation.override(self.language):
            return _ConstantTexts().visit(tree)

    def for_language(self, language: str | None) -> Environment:
        """This environment's copy for `language`: same loader, globals and filters, its own
        compiled templates. Itself when `language` is None (no translation active)."""
        if language is None or self.language is not None:
            return self
        copies: dict[str, Any] = self.__dict__.setdefault("_language_copies", {})
        copy = copies.get(language)
        if copy is None:
            # A cache of its own (Jinja2's default size): the parent's holds templates compiled
            # without translation.
            copy = self.overlay(cache_size=400)
            copy.language = language
            copies[language] = copy
        return copy
