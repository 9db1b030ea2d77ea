"""Querysets compiled once per database connection and run with their values bound (issue 17).

Building and compiling a small ORM query costs more CPU than the database spends running it
(≈ 0.5–1 ms against ≈ 0.1 ms for an index range read; profiles in bench/README.md). A look-up
that issues the same few shapes of query many times a second compiles each shape once: the
queryset is built with *slot* values (strings that never occur in data), compiled, and each run
passes the SQL with the slots replaced by the real values as parameters. The ORM's own converters
turn the rows into the same Python values as the queryset would give (tests compare both).

Only string slots passed as parameters are supported: a slot must reach the SQL as one
parameter, unchanged (equality and range comparisons on text columns do; `icontains` would not).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet

#: Shapes kept per connection; the oldest is dropped past this (visibility conditions vary).
MAX_SHAPES = 256


def _slot(number: int) -> str:
    return f"\x00motcua-slot-{number}\x00"


class _Bound(int):
    """Where the n-th value goes in the parameters (a type of its own: a real parameter may be an
    int too)."""


def compiled_rows(model: Any, key: tuple, build: Callable[..., QuerySet], *values: str) -> list:
    """The rows of `build(*values)` (a queryset of `model`), compiling `build(*slots)` once per
    connection and `key`. `key` names the shape: everything `build` depends on besides `values`
    must be in it."""
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
        compiled = (compiler, sql, params)
        if len(shapes) >= MAX_SHAPES:
            shapes.pop(next(iter(shapes)))
        shapes[key] = compiled
    compiler, sql, params = compiled
    bound = [values[p] if type(p) is _Bound else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, bound)
        rows = cursor.fetchall()
    return list(compiler.results_iter(results=[rows], tuple_expected=True))
