"""`field__any_of=[...]`: membership in a long list of values, as one array on PostgreSQL.

`field__in=[5,000 codes]` builds and sends 5,000 placeholders; psycopg splits the statement to
bind them, which cost the dossier import more than running the queries did (issue 17, profile in
bench/README.md). `= ANY(%s)` binds the list as one array parameter and uses the same index.
SQLite has no arrays: there it is the same `IN (...)` as `__in`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Lookup


@CharField.register_lookup
class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [str(value) for value in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        if not values:
            return "1 = 0", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]
