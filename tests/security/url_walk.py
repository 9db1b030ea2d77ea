"""Every URL pattern of the project, made concrete with dummy arguments (no tests here)."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

DUMMY = {
    "int": "999999",
    "str": "KHONG-CO-999",
    "slug": "khong-co",
    "path": "999999",
}
BY_NAME = {"number": "01", "year": "2025", "block": "khong-co", "uidb36": "zz", "id": "999999"}
_ROUTE_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _route(pattern: str) -> str:
    def one(m):
        return BY_NAME.get(m.group(2)) or DUMMY[m.group(1) or "str"]

    return _ROUTE_PARAM.sub(one, pattern)


def _regex(pattern: str) -> str:
    text = _REGEX_GROUP.sub(lambda m: BY_NAME.get(m.group(1), "999999"), pattern)
    return text.lstrip("^").rstrip("$").replace("\\.", ".")


def _piece(p) -> str:
    if isinstance(p.pattern, RoutePattern):
        return _route(str(p.pattern))
    if isinstance(p.pattern, RegexPattern):
        return _regex(str(p.pattern))
    return str(p.pattern)  # pragma: no cover


def all_urls() -> list[tuple[str, str]]:
    """(pattern key, concrete path) for every pattern; the key is namespace:name or the route."""
    found: list[tuple[str, str]] = []

    def walk(patterns, prefix: str, raw: str, namespace: str):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(x for x in (namespace, p.namespace) if x)
                walk(p.url_patterns, prefix + _piece(p), raw + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                key = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
                key = key or raw + str(p.pattern)
                found.append((key, "/" + prefix + _piece(p)))

    walk(get_resolver().url_patterns, "", "", "")
    return found
