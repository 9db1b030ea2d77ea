"""Querysets compiled once per database connection and run with their values bound (issue 17).

Building and compiling a small ORM query costs more CPU than the database spends running it
(≈ 0.5–1 ms against ≈ 0.1 ms for an index range read; profiles in bench/README.md). A look-up
that issues the same few shapes of query many times a second compiles each shape once: the
queryset is built with *slot* values (strings that never occur in data), compiled, and each run
passes the SQL with the slots replaced by the real values as parameters. The ORM's own converters
turn the rows into the same Python values as the queryset would give (tests compare both).

Only string slots passed as parameters are supported: a slot must reach the SQL as one
parameter, unchanged (equality and range comparisons on text columns do; `icontains` would not).

On PostgreSQL the statement is also *prepared* on the server (`MOTCUA_DB_PREPARED`, on by
default): planned once per connection instead of on every run. For the tracking look-up (four
tables joined) the server's CPU fell from ≈ 0.6 to ≈ 0.12 ms a query (bench/README.md). The
cursor is Django's wrapper around psycopg's server-binding cursor, so query logging, execute
wrappers and error translation work as for any other query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import QuerySet

#: Shapes kept per connection; the oldest is dropped past this (visibility conditions vary).
MAX_SHAPES = 256


def _slot(number: int) -> str:
    return f"\x00motcua-slot-{number}\x00"


class _Bound(int):
    """Where the n-th value goes in the parameters (a type of its own: a real parameter may be an
    int too)."""


def compiled_rows(
    model: Any, key: tuple, build: Callable[..., QuerySet], *values: str, binary: bool = False
) -> list:
    """The rows of `build(*values)` (a queryset of `model`), compiling `build(*slots)` once per
    connection and `key`. `key` names the shape: everything `build` depends on besides `values`
    must be in it.

    `binary`: on a prepared statement, the rows come in PostgreSQL's binary format and are read
    by psycopg's C loaders; Django's own loader of `timestamptz` text is Python (≈ 4 % of the
    tracking page's CPU). The values are the same (aware datetimes in UTC). Only for shapes
    without `jsonb`, `inet` or `cidr` columns, which Django reads as text."""
    connection = connections[router.db_for_read(model)]
    shapes: dict[tuple, Any] = connection.__dict__.setdefault("_motcua_compiled", {})
    compiled = shapes.get(key)
    if compiled is None:
        slots = {_slot(number): _Bound(number) for number in range(len(values))}
        compiler = build(*slots).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        if set(slots) - {p for p in params if isinstance(p, str)}:
            raise ValueError(f"a slot did not reach the SQL as a parameter: {key}")
        params = tuple(slots.get(p, p) if isinstance(p, str) else p for p in params)
        # The columns' converters, found once too (results_iter looks them up on every call);
        # None: composite fields, left to results_iter.
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        converters = (
            None if compiler.has_composite_fields(fields) else compiler.get_converters(fields)
        )
        compiled = (compiler, sql, params, converters)
        if len(shapes) >= MAX_SHAPES:
            shapes.pop(next(iter(shapes)))
        shapes[key] = compiled
    compiler, sql, params, converters = compiled
    bound = [values[p] if type(p) is _Bound else p for p in params]
    with _cursor(connection, binary=binary) as cursor:
        cursor.execute(sql, bound)
        rows = cursor.fetchall()
    if converters is None:
        return list(compiler.results_iter(results=[rows], tuple_expected=True))
    if converters:
        rows = compiler.apply_converters(rows, converters)
    return [tuple(row) for row in rows]


_preparing_cursor_class: Any = None


def _preparing_cursor(raw_connection: Any) -> Any:
    """A psycopg cursor (server-side binding, as Django's own for `server_side_binding`) whose
    every statement is prepared: psycopg keeps the statement's name per connection and sends only
    `EXECUTE` from the second run on."""
    global _preparing_cursor_class
    if _preparing_cursor_class is None:
        from django.db.backends.postgresql.base import ServerBindingCursor

        class PreparingCursor(ServerBindingCursor):
            def execute(self, query, params=None, *, prepare=None, binary=None):
                return super().execute(query, params, prepare=True, binary=binary)

        _preparing_cursor_class = PreparingCursor
    return _preparing_cursor_class(raw_connection)


def _cursor(connection: Any, *, binary: bool = False) -> Any:
    """Django's cursor; on PostgreSQL (unless MOTCUA_DB_PREPARED is off) one that prepares its
    statements, wrapped as Django wraps its own (`BaseDatabaseWrapper._cursor`), its results in
    the binary format if asked."""
    if connection.vendor != "postgresql" or not settings.MOTCUA_DB_PREPARED:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        raw = _preparing_cursor(connection.connection)
    if binary:
        from psycopg.pq import Format  # here: a SQLite install need not load psycopg at start

        raw.format = Format.BINARY
    if connection.queries_logged:
        return _PreparedDebugWrapper(raw, connection)
    return connection.make_cursor(raw)


class _PreparedDebugWrapper(CursorDebugWrapper):
    """Django's query-logging wrapper (DEBUG, tests' query captures). psycopg forgets the text of
    a statement it prepares, where Django's logger reads it back; the text is given here, with
    its values, as Django writes it for server-side binding."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params)):
            return CursorWrapper.execute(self, sql, params)
