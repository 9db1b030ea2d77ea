"""Every string a template marks for translation has a Vietnamese translation (issue 14).

The templates are compiled with Django's own parser and the message ids taken from the nodes exactly
as Django looks them up when it renders ({% translate %} literals; {% blocktranslate %} text with
`%(name)s` placeholders, trimmed when asked, with its plural and its context), so a msgid that
differs from the catalogue's by one space or one variable name is caught too. The Jinja2
templates (motcua/jinja2, docs/adr/0004) are parsed by Jinja2 and their `_("…")` and
`pgettext("context", "…")` calls taken the same way.
"""

from __future__ import annotations

from pathlib import Path

import polib
from django.template import engines
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from jinja2.ext import extract_from_ast

from motcua.core.i18n import po_files

PACKAGE = Path(__file__).resolve().parents[2] / "motcua"
TEMPLATE_ROOTS = [PACKAGE / "templates", *sorted(PACKAGE.glob("*/templates"))]


def _template_files() -> list[Path]:
    return sorted(
        path
        for root in TEMPLATE_ROOTS
        for path in root.rglob("*")
        if path.suffix in {".html", ".txt", ".xml", ".svg"} and path.is_file()
    )


JINJA_ROOT = PACKAGE / "jinja2"


def jinja_messages() -> dict[tuple[str | None, str, str | None], list[str]]:
    """(context, msgid, None) → the Jinja2 templates using it."""
    env = engines["jinja2"].env
    found: dict[tuple[str | None, str, str | None], list[str]] = {}
    for path in sorted(JINJA_ROOT.rglob("*.html")):
        tree = env.parse(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(PACKAGE))
        for _line, function, message in extract_from_ast(tree, ("_", "pgettext")):
            if function == "pgettext":
                context, msgid = message
                found.setdefault((context, msgid, None), []).append(where)
            elif isinstance(message, str):
                found.setdefault((None, message, None), []).append(where)
    return found


def _context(node) -> str | None:
    expression = node.message_context
    if expression is None:
        return None
    value = expression.var
    return value if isinstance(value, str) else getattr(value, "literal", None)


def template_messages() -> dict[tuple[str | None, str, str | None], list[str]]:
    """(context, msgid, msgid_plural) → the templates using it."""
    engine = engines["django"].engine
    found: dict[tuple[str | None, str, str | None], list[str]] = {}
    for path in _template_files():
        template = engine.from_string(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(PACKAGE))
        for node in template.nodelist.get_nodes_by_type(TranslateNode):
            variable = node.filter_expression.var
            literal = getattr(variable, "literal", None)
            if not isinstance(literal, str) or variable.lookups is not None:
                continue  # {% translate some_variable %}: the string comes from Python
            # Django doubles a literal's "%" before the look-up (Variable.resolve), as makemessages
            # writes it: "Index %" is looked up as "Index %%" (issue 14).
            msgid = str(literal).replace("%", "%%")
            found.setdefault((_context(node), msgid, None), []).append(where)
        for node in template.nodelist.get_nodes_by_type(BlockTranslateNode):
            singular, _vars = node.render_token_list(node.singular)
            plural = node.render_token_list(node.plural)[0] if node.plural else None
            found.setdefault((_context(node), singular, plural), []).append(where)
    return found


def _vietnamese() -> dict[tuple[str | None, str], polib.POEntry]:
    entries = {}
    for path in po_files():
        if path.parts[-3] != "vi":
            continue
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                entries[(entry.msgctxt or None, entry.msgid)] = entry
    return entries


def test_the_scan_finds_the_templates_strings():
    messages = template_messages()
    assert len(messages) > 300
    assert (None, "Skip to main content", None) in messages  # base.html
    # a {% blocktranslate %} with a variable, as Django looks it up
    assert any("%(" in msgid for _ctx, msgid, _plural in messages)


def test_the_scan_finds_the_jinja2_templates_strings():
    messages = jinja_messages()
    where = ["jinja2/portal/tracking.html"]
    assert messages[(None, "Processing history", None)] == where
    assert messages[("dossier history", "status", None)] == where


def test_every_template_string_has_a_vietnamese_translation():
    catalogue = _vietnamese()
    missing = []
    messages = template_messages()
    for key, where in jinja_messages().items():
        messages.setdefault(key, []).extend(where)
    for (context, msgid, plural), where in sorted(messages.items(), key=lambda item: item[0][1]):
        entry = catalogue.get((context, msgid))
        if entry is None:
            missing.append(f"{msgid!r} (context {context!r}) not in the vi catalogue — {where[0]}")
        elif plural is not None:
            if entry.msgid_plural != plural or not all(entry.msgstr_plural.values()):
                missing.append(f"{msgid!r}: plural {plural!r} untranslated — {where[0]}")
        elif not entry.msgstr.strip():
            missing.append(f"{msgid!r}: empty Vietnamese msgstr — {where[0]}")
    assert missing == [], "\n".join(missing)
