"""`field__any_of=[...]`: membership in a long list of values, as one array on PostgreSQL.

`field__in=[5,000 codes]` builds and sends 5,000 placeholders; psycopg splits the statement to
bind them, which cost the dossier import more than running the queries did (issue 17, profile in
bench/README.md). `= ANY(%s::text[])` binds the list as one array parameter (its text form) and uses the same index.
SQLite has no arrays: there it is the same `IN (...)` as `__in`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Lookup


def array_literal(values: list[str]) -> str:
    """PostgreSQL's text form of a text[] (`{"a","b\\"c"}`), built in one join: psycopg's list
    dumper spends ≈ 4 µs an element in Python, 20 ms for a batch of 5,000 codes (issue 17)."""
    return (
        "{"
        + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
        + "}"
    )


@CharField.register_lookup
class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [str(value) for value in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::text[])", [*lhs_params, array_literal(values)]
        if not values:
            return "1 = 0", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]
