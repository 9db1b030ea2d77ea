"""Refuse text holding the NUL character, before any view sees it (found by schemathesis in CI).

PostgreSQL text cannot hold NUL (0x00): a search `?q=%00` or a JSON field `"\\u0000"` that reaches
a query fails there as a server error, on PostgreSQL only. Django's form fields already refuse NUL
(ProhibitNullCharactersValidator); query strings read by views, form posts and JSON bodies read by
the API are checked here, in one place, and answered with a clear message (house rule: bad input
changes nothing and shows no traceback): 422 in the API's validation-error shape under /api/, the
400 page elsewhere. Multipart uploads are left to their forms, which validate every field.

The common case costs one substring search: a query string or body without an encoded NUL is not
decoded again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.core.errors import API_PREFIX

NUL = "\x00"


def _strings(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    """Every string in a parsed JSON document (keys too), with where it is."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path, key
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _in_querydict(querydict: QueryDict, source: str) -> tuple | None:
    for key, values in querydict.lists():
        if NUL in key or any(NUL in value for value in values):
            return (source, key.replace(NUL, ""))
    return None


def _in_json(body: bytes) -> tuple | None:
    try:
        document = json.loads(body)
    except ValueError:
        return None  # not JSON: the API answers that itself
    for path, text in _strings(document, ()):
        if NUL in text:
            return ("body", *path)
    return None


def find_nul(request: HttpRequest) -> tuple | None:
    """Where the request carries a NUL character (as a validation error's `loc`), or None."""
    if "%00" in request.META.get("QUERY_STRING", ""):
        found = _in_querydict(request.GET, "query")
        if found:
            return found
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        if b"%00" in request.body:
            return _in_querydict(request.POST, "form")
    elif content_type == "application/json" or content_type.endswith("+json"):
        body = request.body
        if b"\\u0000" in body.lower() or b"\x00" in body:
            return _in_json(body)
    return None


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = find_nul(request)
        if where is None:
            return self.get_response(request)
        message = _("Text must not contain the NUL character (0x00).")
        if request.path.startswith(API_PREFIX):
            error = {"type": "string_nul", "loc": list(where), "msg": message}
            return JsonResponse({"detail": [error]}, status=422)
        return render(request, "400.html", {"reason": message}, status=400)
