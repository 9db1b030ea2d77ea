"""Small related lists read inside another query, as JSON (issue 17: the dossier page in ≤ 8 queries).

`rows_subquery(queryset, paths, group=…)` is a scalar subquery that returns the rows of `queryset`
as a JSON array of arrays (PostgreSQL `JSONB_AGG`, SQLite `JSON_GROUP_ARRAY`); `decode(model, paths,
value)` turns that value back into model instances with the same Python values as the ORM would
give (aware datetimes, Decimals, booleans). A path with `__` fills a related object
(`to_unit__name` → `row.to_unit.name`); fields not read are deferred, as with `.only()`.

Order: PostgreSQL aggregates in the queryset's ordering; SQLite (no ORDER BY in aggregates before
3.44) is sorted in Python on the same keys, which gives the same order as its BINARY collation.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from django.db import connections, models
from django.db.models import F, JSONField, OuterRef, Subquery
from django.db.models.base import DEFERRED
from django.db.models.expressions import OrderBy
from django.db.models.functions import JSONArray

__all__ = ["OuterRef", "decode", "rows_subquery"]


class _GroupArray(models.Aggregate):
    """JSON array of its first expression; the others order it (PostgreSQL only)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def __init__(self, expression, ordering=()):
        orders = [
            OrderBy(F(name[1:]), descending=True) if name.startswith("-") else OrderBy(F(name))
            for name in ordering
        ]
        super().__init__(expression, *orders)

    def as_sql(self, compiler, connection, **extra):
        value, params = compiler.compile(self.get_source_expressions()[0])
        return f"JSON_GROUP_ARRAY({value})", params

    def as_postgresql(self, compiler, connection, **extra):
        first, *orders = self.get_source_expressions()
        value, params = compiler.compile(first)
        parts = []
        for order in orders:
            if not isinstance(order, OrderBy):
                continue  # the aggregate's own slots (filter, order_by), unused here
            sql, more = compiler.compile(order)
            parts.append(sql)
            params = (*params, *more)
        ordering = f" ORDER BY {', '.join(parts)}" if parts else ""
        return f"JSONB_AGG({value}{ordering})", params


def rows_subquery(queryset: models.QuerySet, paths: list[str], *, group: str) -> Subquery:
    """The rows of `queryset` (already filtered on the outer row) as one JSON value.

    `group` is a field that has one value over the filtered rows (e.g. the foreign key matched
    to `OuterRef("pk")`), so the subquery returns one row, or none when there is no row.
    """
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering or [])
    return Subquery(
        queryset.order_by()
        .values(group)
        .annotate(_rows=_GroupArray(JSONArray(*[F(p) for p in paths]), ordering=ordering))
        .values("_rows"),
        output_field=JSONField(),
    )


def _python(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if isinstance(field, models.DateField):
        return date.fromisoformat(value)
    if isinstance(field, models.ForeignKey):
        return field.target_field.to_python(value)
    return field.to_python(value)


def _instance(model, using: str, values: dict[str, Any]):
    concrete = model._meta.concrete_fields
    return model.from_db(
        using,
        [f.attname for f in concrete],
        [values.get(f.attname, DEFERRED) for f in concrete],
    )


def decode(
    model, paths: list[str], value: Any, *, using: str = "default", ordering=None
) -> list[Any]:
    """Model instances from `rows_subquery`'s value (None or a JSON array of arrays)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = json.loads(value)
    rows = []
    for raw in value:
        own: dict[str, Any] = {}
        related: dict[str, dict[str, Any]] = {}
        for path, item in zip(paths, raw, strict=True):
            if "__" in path:
                name, sub = path.split("__", 1)
                target = model._meta.get_field(name).related_model
                field = target._meta.get_field(sub)
                related.setdefault(name, {})[field.attname] = _python(field, item)
            else:
                field = model._meta.get_field(path)
                own[field.attname] = _python(field, item)
        instance = _instance(model, using, own)
        for name, values in related.items():
            target = model._meta.get_field(name).related_model
            setattr(instance, name, _instance(target, using, values))
        rows.append((instance, own))
    if connections[using].vendor != "postgresql":
        # Stable sorts, last key first: the order of the queryset (see the module docstring).
        for name in reversed(list(ordering or model._meta.ordering or [])):
            attname = model._meta.get_field(name.lstrip("-")).attname
            if rows and attname in rows[0][1]:
                rows.sort(key=lambda row: row[1][attname], reverse=name.startswith("-"))
    return [instance for instance, _own in rows]
