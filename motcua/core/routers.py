"""Read replicas (issue 17): a database router and the middleware that tells it what may go there.

With MOTCUA_DATABASE_REPLICA_URLS set, settings add one alias per replica (``replica_1``, …) and
install ``ReplicaRouter`` and ``ReplicaMiddleware``. The rule is "the primary unless proven safe":

- only the pages of ``REPLICA_VIEWS`` (reports, the leaders' dashboard, the blocking-registry
  search, the public tracking page and API) may read from a replica;
- never inside a transaction on the primary, never after this request wrote (the first ORM write
  pins the rest of the request to the primary);
- never for a browser that wrote in the last MOTCUA_REPLICA_STICKY_SECONDS: a request that wrote
  sets the cookie ``motcua_primary``, and requests carrying it read from the primary, so a page
  that must show a change just made is never served by a replica that has not replayed it yet;
- jobs and commands (no request) use the primary, except code that asks with ``replica_reads()``.

Writes always go to the primary (``default``). Replicas are PostgreSQL streaming replicas, kept
read-only by PostgreSQL itself.
"""

from __future__ import annotations

import contextvars
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

PRIMARY = "default"
COOKIE = "motcua_primary"

#: URL names (namespace:name, or namespace:* for a whole namespace) whose reads may be served by
#: a replica: pages that only read and may be a second or so behind.
REPLICA_VIEWS = frozenset(
    {
        "reports:dashboard",
        "reports:ontime",
        "reports:ontime_xlsx",
        "reports:ontime_pdf",
        "reports:ontime_print",
        "reports:drill",
        "reports:index766",
        "reports:index766_xlsx",
        "reports:index766_pdf",
        "blocking:search",
        "tracking:page",
        "api:track",
    }
)


@dataclass
class _State:
    allowed: bool = False  # this view may read from a replica
    pinned: bool = False  # this browser wrote recently (cookie)
    wrote: bool = False  # this request wrote


_state: contextvars.ContextVar[_State | None] = contextvars.ContextVar(
    "motcua_replica_state", default=None
)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


_cycle: dict[tuple[str, ...], Iterator[str]] = {}


def _next_replica() -> str | None:
    aliases = tuple(replica_aliases())
    if not aliases:
        return None
    if aliases not in _cycle:
        _cycle[aliases] = itertools.cycle(aliases)
    return next(_cycle[aliases])


def _may_use_replica() -> bool:
    state = _state.get()
    if state is None or not state.allowed or state.pinned or state.wrote:
        return False
    return not connections[PRIMARY].in_atomic_block


@contextmanager
def replica_reads():
    """Let the reads of this block go to a replica (a job that only reads, e.g. a report)."""
    token = _state.set(_State(allowed=True))
    try:
        yield
    finally:
        _state.reset(token)


class ReplicaRouter:
    """Reads to a replica when ``_may_use_replica()``; everything else to the primary."""

    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db  # related objects follow the object they came from
        if _may_use_replica():
            return _next_replica()
        return PRIMARY

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # a replica is a copy of the primary: same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def view_may_use_replica(resolver_match) -> bool:
    if resolver_match is None:
        return False
    name = resolver_match.view_name
    namespace = ":".join(resolver_match.namespaces)
    return name in REPLICA_VIEWS or f"{namespace}:*" in REPLICA_VIEWS


class ReplicaMiddleware:
    """Per request: may this view read from a replica, and did this browser write recently."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        state = _State(pinned=COOKIE in request.COOKIES)
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote:
            response.set_cookie(
                COOKIE,
                "1",
                max_age=int(getattr(settings, "MOTCUA_REPLICA_STICKY_SECONDS", 10)),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _state.get()
        if state is not None:
            state.allowed = view_may_use_replica(request.resolver_match)
        return None
