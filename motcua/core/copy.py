"""Bulk rows into a PostgreSQL table with COPY in binary format (issue 17).

psycopg formats a COPY row in text by looking up a dumper for each value's Python type; in binary,
with the columns' types given once (`set_types`), its C dumpers write each value directly: about
1.2 µs a row of ten columns against 12.5 µs in text (bench/README.md, session 6). The types are
the table's own, read once per connection from an empty `SELECT` of the columns, so a value of
the wrong type fails the COPY (and its transaction) instead of being converted silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from psycopg.copy import Writer


def column_types(cursor: Any, table: str, columns: str) -> list[int]:
    """The type OIDs of `columns` (an SQL list of quoted names) in `table`, kept per connection."""
    cache: dict[tuple[str, str], list[int]] = cursor.db.__dict__.setdefault(
        "_motcua_copy_types", {}
    )
    types = cache.get((table, columns))
    if types is None:
        cursor.execute(f"SELECT {columns} FROM {table} LIMIT 0")  # nosec B608  # our identifiers
        types = cache[(table, columns)] = [column.type_code for column in cursor.description]
    return types


def copy_rows(cursor: Any, table: str, columns: str, rows: Iterable[Sequence[Any]]) -> None:
    """COPY `rows` (tuples in the order of `columns`) into `table`, in binary. `cursor` is a Django
    cursor on PostgreSQL; `table` and `columns` are quoted identifiers from the models' _meta."""
    types = column_types(cursor, table, columns)
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)


@contextmanager
def foreign_keys_checked_per_statement(connection: Any, models: Sequence[Any]) -> Iterator[None]:
    """Check the deferred foreign keys of `models`' tables at the end of each statement rather
    than all at the commit, then defer them again (PostgreSQL; nothing elsewhere).

    The same checks, the same errors, but a bulk writer that overlaps its own work with the
    server's (dossier import) no longer waits for all of them at once at the end: for 100,000
    imported dossiers that wait was ≈ 2.4 s of ≈ 12.6 s (issue 17, session 7). Only the
    constraints created `INITIALLY DEFERRED` (Django's foreign keys) are switched, so putting them
    back to `DEFERRED` restores their initial state."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.conname) "
            "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE c.contype = 'f' AND c.condeferrable AND c.condeferred "
            "AND c.conrelid = ANY(%s::regclass[]) ORDER BY 1",
            [tables],
        )
        names = ", ".join(name for (name,) in cursor.fetchall())
    if not names:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")  # nosec B608  # quoted by the server
    yield
    # Not on an error: its rollback (of the transaction or the savepoint) restores the modes.
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {names} DEFERRED")  # nosec B608


class _Collect(Writer):
    """A psycopg COPY writer that keeps the formatted data instead of sending it."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: Any) -> None:
        self.chunks.append(bytes(data))


class BinaryCopyData:
    """Rows formatted for one binary COPY without sending them (psycopg's documented
    `Copy(cursor, binary=True, writer=…)`: the cursor lends its adapters, nothing is sent).

    A thread that prepares rows formats them while another thread waits for the server; that
    one then sends the bytes with `copy_data` (issue 17: formatting was ≈ 10 % of the dossier
    import's writing thread). `cursor` is a psycopg cursor of the connection that will COPY;
    `types` the columns' OIDs (`column_types`)."""

    def __init__(self, cursor: Any, types: Sequence[int]):
        from psycopg import Copy

        self._out = _Collect()
        self._copy = Copy(cursor, binary=True, writer=self._out)
        self._copy.set_types(types)
        self.rows = 0

    def write_row(self, row: Sequence[Any]) -> None:
        self._copy.write_row(row)
        self.rows += 1

    def finish(self) -> bytes:
        self._copy.finish(None)  # the binary trailer
        return b"".join(self._out.chunks)


def copy_data(cursor: Any, table: str, columns: str, data: bytes) -> None:
    """Send binary COPY data formatted by `BinaryCopyData` (signature to trailer) into `table`."""
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.write(data)
