"""The hash chain of the audit tables (issue 13 gap 4) and the database guard on append-only tables.

Each row of a chained table (AuditEvent, PersonalDataAccess) stores `seq` (1, 2, 3 … without gaps),
`prev_hash` (the `hash` of row seq-1, "" for the first) and `hash` = SHA-256 of the canonical JSON of
its fields and `prev_hash`. Writers are serialised per table, so two concurrent writers can never
fork the chain: on PostgreSQL by a transaction-scoped advisory lock taken inside one SQL function
(`motcua_chain_tail`, which then reads the tail with a fresh snapshot), on SQLite by the
`BEGIN IMMEDIATE` transactions the settings use. The unique `seq` is the last safety net: a fork
would be refused by the database, not stored.

On PostgreSQL every append-only table (each concrete AppendOnlyModel) also gets a trigger that
refuses UPDATE and DELETE whatever the client; the application's database role must not own the
tables, so it cannot disable the trigger (docs/deploy.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.apps import apps as global_apps
from django.db import connections, models, router, transaction

GUARD_FUNCTION = "motcua_append_only"
GUARD_TRIGGER = "motcua_append_only_guard"
TAIL_FUNCTION = "motcua_chain_tail"


# --- hashing ------------------------------------------------------------------------------------
def _normal(name: str, value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if name == "ip" and value:
        # What the database keeps (IPv6 compressed, as GenericIPAddressField stores it).
        return models.GenericIPAddressField().get_prep_value(value)
    if name == "data":
        # JSON the way it comes back from the database (tuples → lists, keys → strings).
        return json.loads(json.dumps(value or {}))
    return value


def canonical(row: Any) -> str:
    fields = {name: _normal(name, getattr(row, name)) for name in row.CHAIN_FIELDS}
    fields["seq"] = row.seq
    fields["prev_hash"] = row.prev_hash
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def row_hash(row: Any) -> str:
    return hashlib.sha256(canonical(row).encode("utf-8")).hexdigest()


# --- writing ------------------------------------------------------------------------------------
SQLITE_SHA256 = "motcua_sha256"
_DUMPS = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """SHA-256 for the one-statement append on SQLite (connection_created receiver)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_SHA256,
            1,
            lambda text: hashlib.sha256(text.encode("utf-8")).hexdigest(),
            deterministic=True,
        )


def canonical_parts(row: Any) -> tuple[str, str, str]:
    """`canonical(row)` cut around its two unknowns: A + prev_hash + B + str(seq) + C.

    The keys are sorted, so "prev_hash" always comes before "seq"; both values need no JSON
    escaping (hex digits, an integer), which lets the database finish the text and hash it in
    the statement that reads the chain's tail.
    """
    fields = {name: _normal(name, getattr(row, name)) for name in row.CHAIN_FIELDS}
    fields["seq"] = None
    fields["prev_hash"] = None
    pieces = []
    for key in sorted(fields):
        head = json.dumps(key) + ":"
        if key == "prev_hash":
            pieces.append((head + '"', '"'))
        elif key == "seq":
            pieces.append((head, ""))
        else:
            pieces.append((head + json.dumps(fields[key], **_DUMPS), None))
    out, current = [], "{"
    for index, (text, tail) in enumerate(pieces):
        current += ("," if index else "") + text
        if tail is not None:
            out.append(current)
            current = tail
    out.append(current + "}")
    a, b, c = out
    return a, b, c


def _tail_source(connection, table: str) -> tuple[str, list[Any]]:
    """A one-row source (seq of the next row, hash of the tail), the writer lock held."""
    if connection.vendor == "postgresql":
        # The function takes the table's advisory lock, then reads with a fresh snapshot.
        return (
            f"SELECT COALESCE(MAX(x.seq), 0) + 1 AS seq, COALESCE(MAX(x.hash), '') AS prev "  # nosec B608  # constant function name, table bound
            f"FROM {TAIL_FUNCTION}(%s) x",
            [table],
        )
    quoted = connection.ops.quote_name(table)
    # SQLite: the BEGIN IMMEDIATE transaction (settings) already serialises the writers.
    return (
        f"SELECT COALESCE(MAX(seq), 0) + 1 AS seq, "  # noqa: S608  # nosec B608  # table from the model
        f"COALESCE((SELECT hash FROM {quoted} ORDER BY seq DESC LIMIT 1), '') AS prev "
        f"FROM {quoted}",
        [],
    )


def _hash_sql(connection) -> str:
    text = "%s || t.prev || %s || CAST(t.seq AS TEXT) || %s"
    if connection.vendor == "postgresql":
        return f"SELECT encode(sha256(convert_to({text}, 'UTF8')), 'hex') FROM t"  # nosec B608  # constant text, values bound
    return f"SELECT {SQLITE_SHA256}({text}) FROM t"  # nosec B608  # constant function name and text


def append(row: Any, using: str | None = None) -> None:
    """Chain `row` to its table's tail and insert it: one statement, serialised per table.

    The tail (seq, hash) is read inside the INSERT (issue 17: the dossier page's view audit no
    longer costs a separate read); the hash is computed by the database over the same canonical
    text as `row_hash`, which `motcua audit verify` recomputes in Python.
    """
    model = type(row)
    using = using or router.db_for_write(model, instance=row)
    connection = connections[using]
    meta = model._meta
    chain_columns = {"seq", "prev_hash", "hash"}
    fields = [
        f for f in meta.concrete_fields if not f.primary_key and f.attname not in chain_columns
    ]
    values = [f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields]
    source, source_params = _tail_source(connection, meta.db_table)
    a, b, c = canonical_parts(row)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = (
        f"WITH t AS ({source}) "  # nosec B608  # names from the model
        f"INSERT INTO {quote(meta.db_table)} ({columns}, seq, prev_hash, hash) "
        f"VALUES ({', '.join(['%s'] * len(fields))}, (SELECT seq FROM t), (SELECT prev FROM t), "
        f"({_hash_sql(connection)})) "
        f"RETURNING {quote(meta.pk.column)}, seq, prev_hash, hash"
    )
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        cursor.execute(sql, [*source_params, *values, a, b, c])
        pk, seq, prev, digest = cursor.fetchone()
    row.pk, row.seq, row.prev_hash, row.hash = pk, int(seq), prev, digest
    row._state.adding = False
    row._state.db = using


# --- verifying ----------------------------------------------------------------------------------
@dataclass
class ChainReport:
    table: str
    rows: int = 0
    head: str = ""
    broken_id: int | None = None
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason

    def as_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "ok": self.ok,
            "rows": self.rows,
            "head": self.head,
            "broken_id": self.broken_id,
            "broken_seq": self.broken_seq,
            "reason": self.reason,
        }


def chained_models() -> list[type[models.Model]]:
    from motcua.audit.models import ChainedModel

    return [m for m in global_apps.get_models() if issubclass(m, ChainedModel)]


def append_only_models(app_registry=global_apps) -> list[type[models.Model]]:
    from motcua.audit.models import AppendOnlyModel

    return [
        m
        for m in app_registry.get_models()
        if issubclass(m, AppendOnlyModel) and not m._meta.proxy and m._meta.managed
    ]


def _rows(model) -> Iterator[Any]:
    # The plain manager: verification reads raw rows, in chain order.
    qs = models.QuerySet(model).order_by("seq", "id")
    return qs.iterator(chunk_size=2000)


def verify_model(model) -> ChainReport:
    """Walk one chain; stop at the first row whose position, link or hash is wrong."""
    report = ChainReport(table=model._meta.db_table)
    expected_seq, prev = 1, ""
    for row in _rows(model):
        report.rows += 1
        if row.seq != expected_seq:
            reason = f"expected sequence {expected_seq}, found {row.seq} (a row is missing)"
        elif row.prev_hash != prev:
            reason = "its link to the previous event does not match (inserted or reordered)"
        elif row_hash(row) != row.hash:
            reason = "its content does not match its hash (the row was changed)"
        else:
            expected_seq, prev = expected_seq + 1, row.hash
            continue
        report.broken_id, report.broken_seq, report.reason = row.pk, row.seq, reason
        break
    report.head = prev
    return report


def verify_all() -> list[ChainReport]:
    return [verify_model(m) for m in chained_models()]


# --- PostgreSQL guard -----------------------------------------------------------------------------
GUARD_SQL = f"""
CREATE OR REPLACE FUNCTION {GUARD_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'motcua: % is append-only; % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""

# One statement from the client: the lock, then (VOLATILE, READ COMMITTED) a fresh snapshot
# that sees the row the previous lock holder committed.
TAIL_SQL = """
CREATE OR REPLACE FUNCTION motcua_chain_tail(tbl text) RETURNS TABLE(seq bigint, hash text)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('motcua.chain.' || tbl));
    RETURN QUERY EXECUTE format('SELECT seq::bigint, hash::text FROM %I ORDER BY seq DESC LIMIT 1', tbl);
END
$$;
"""


def _function_exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_proc WHERE proname = %s", [name])
    return cursor.fetchone() is not None


def guarded_tables(using: str = "default") -> set[str]:
    """Tables that carry the append-only trigger (PostgreSQL; empty elsewhere)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s AND t.tgenabled <> 'D'",
            [GUARD_TRIGGER],
        )
        return {name for (name,) in cursor.fetchall()}


def install_guards(using: str = "default", app_registry=global_apps) -> list[str]:
    """Create the functions and the triggers that are missing; returns the tables newly guarded.

    Idempotent and DDL-free when everything is in place, so running `migrate` as a role that
    does not own the tables is harmless.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    tables = {m._meta.db_table for m in append_only_models(app_registry)}
    existing = set(connection.introspection.table_names())
    done = guarded_tables(using)
    added = []
    with connection.cursor() as cursor:
        if not _function_exists(cursor, GUARD_FUNCTION):
            cursor.execute(GUARD_SQL)
        if not _function_exists(cursor, TAIL_FUNCTION):
            cursor.execute(TAIL_SQL)
        for table in sorted((tables & existing) - done):
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"CREATE TRIGGER {GUARD_TRIGGER} BEFORE UPDATE OR DELETE ON {quoted} "
                f"FOR EACH ROW EXECUTE FUNCTION {GUARD_FUNCTION}()"
            )
            added.append(table)
    return added


def expected_guarded_tables() -> set[str]:
    return {m._meta.db_table for m in append_only_models()}
