"""PostgreSQL-only fast loader for `notary_bench.py --fast-load`: millions of blocks and notarized
transactions written by INSERT … SELECT over generate_series, search rows included.

The product's imports are measured separately (`notary_bench.py` times `motcua notary
import-transactions` into the loaded database); this only fills the tables quickly enough to reach
the issue's 1,000,000 blocks + 5,000,000 transactions. Each table is filled by cloning one template
row written by the product itself (so every column the app needs is set as the app sets it) and
overriding the columns that vary. The search rows are the ones `blocking.keys.record_keys` would
build (identifiers, parcel, ID numbers, full names, words of names, words of addresses), in SQL;
`check_keys` compares a sample with the product's own key builder.
"""

from __future__ import annotations

import time

from django.db import connection

from motcua.blocking.keys import words

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
            "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Tôn Nữ", "Trương", "Đoàn", "Lương", "Mai", "Cao"]  # fmt: skip
KIND_WEIGHTS = [("sale", 45), ("gift", 10), ("exchange", 5), ("mortgage", 20), ("lease", 5),
                ("authorisation", 8), ("inheritance", 4), ("other", 3)]  # fmt: skip
ROLES = {"sale": ("transferor", "transferee"), "gift": ("transferor", "transferee"),
         "exchange": ("transferor", "transferee"), "mortgage": ("mortgagor", "mortgagee"),
         "lease": ("lessor", "lessee"), "authorisation": ("principal", "agent"),
         "inheritance": ("heir", "heir"), "other": ("other", "other")}  # fmt: skip


def _arr(values) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]::text[]"


def _lists():
    from blocking_bench import GIVEN, MIDDLE, SERIES, STREETS, WARDS

    fold = lambda v: " ".join(words(v))  # noqa: E731
    return {
        "sur": _arr(SURNAMES), "sur_f": _arr([fold(v) for v in SURNAMES]),
        "mid": _arr(MIDDLE), "mid_f": _arr([fold(v) for v in MIDDLE]),
        "giv": _arr(GIVEN), "giv_f": _arr([fold(v) for v in GIVEN]),
        "street": _arr(STREETS), "street_f": _arr([fold(v) for v in STREETS]),
        "ward": _arr(WARDS), "ward_f": _arr([fold(v) for v in WARDS]),
        "series": _arr(SERIES),
        "kinds": _arr([k for k, w in KIND_WEIGHTS for _ in range(w)]),
    }  # fmt: skip


def _sql(statement: str, label: str = "") -> None:
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(statement)
    if label:
        print(f"    {label}: {time.perf_counter() - t0:.1f} s", flush=True)


def _clone(
    table: str, template_id: int, source: str, overrides: dict[str, str], label: str, where=""
):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "ORDER BY ordinal_position",
            [table],
        )
        columns = [r[0] for r in cursor.fetchall()]
    exprs = [overrides.get(c, f"t.{c}") for c in columns]
    _sql(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(exprs)} "
        f"FROM {source}, {table} t WHERE t.id = {template_id}{' AND ' + where if where else ''}",
        label,
    )


def _without_indexes(table: str):
    """Drop the secondary indexes of `table` (not the primary key); return their definitions."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [table],
        )
        found = cursor.fetchall()
        for name, _def in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [d for _n, d in found]


# The name of party p (1 or 2) of a generated row: surname, middle, [second middle], given.
def _name(p: str, folded: bool) -> str:
    f = "_f" if folded else ""
    return (
        f"sur{f}[s{p}] || ' ' || mid{f}[m{p}] || CASE WHEN x{p} > 0 THEN ' ' || mid{f}[x{p}] "
        f"ELSE '' END || ' ' || giv{f}[g{p}]"
    )


_PEOPLE_COLUMNS = """
    1 + floor(random() * 22)::int AS s1, 1 + floor(random() * 18)::int AS m1,
    CASE WHEN random() < 0.3 THEN 1 + floor(random() * 18)::int ELSE 0 END AS x1,
    1 + floor(random() * 55)::int AS g1,
    1 + floor(random() * 22)::int AS s2, 1 + floor(random() * 18)::int AS m2,
    CASE WHEN random() < 0.3 THEN 1 + floor(random() * 18)::int ELSE 0 END AS x2,
    1 + floor(random() * 55)::int AS g2,
    '046' || floor(random() * 2)::int || (40 + floor(random() * 60)::int)
        || lpad(floor(random() * 1000000)::int::text, 6, '0') AS id1,
    '046' || floor(random() * 2)::int || (40 + floor(random() * 60)::int)
        || lpad(floor(random() * 1000000)::int::text, 6, '0') AS id2
"""


def _keys_lateral(identifiers: list[str], two_people: str) -> str:
    """SQL for the distinct (kind, value) search pairs of a generated row (`record_keys`)."""
    ident = " UNION ALL ".join(f"SELECT 'i', {e}" for e in identifiers)
    people = f"""
        SELECT 'i', g.id1 UNION ALL SELECT 'n', g.name1_f UNION ALL
        SELECT 't', unnest(string_to_array(g.name1_f, ' ')) UNION ALL
        SELECT 'i', g.id2 WHERE {two_people} UNION ALL SELECT 'n', g.name2_f WHERE {two_people}
        UNION ALL SELECT 't', unnest(string_to_array(g.name2_f, ' ')) WHERE {two_people}"""
    text = """
        SELECT 'p', g.parcel || '/' || g.sheet WHERE g.land UNION ALL
        SELECT 'x', w FROM unnest(string_to_array(
            (g.a % 300 + 1)::text || ' ' || street_f[1 + g.a % 10] || ' phuong '
            || ward_f[1 + g.a % 12] || ' hue', ' ')) w WHERE g.land AND length(w) > 1"""
    return f"""CROSS JOIN LATERAL (SELECT DISTINCT k, v FROM ({ident} UNION ALL {people}
        UNION ALL {text}) s(k, v) WHERE v <> '') key"""


def load_transactions(
    n: int,
    template_id: int,
    offices: list[int],
    seed: float = 0.16,
    chunk: int = 1_000_000,
    stop_at: float | None = None,
) -> int:
    """`n` transactions on a pool of 0.6 n assets (70 % land), two parties each, with search rows,
    in chunks; stops adding chunks after `stop_at` (time.time()); returns how many were written."""
    tables = ("notary_transaction", "notary_txasset", "notary_txparty", "notary_txkey")
    indexes = _bulk_mode(tables)
    _sql(f"SELECT setseed({seed})")
    loaded = 0
    while loaded < n and (stop_at is None or time.time() < stop_at):
        size = min(chunk, n - loaded)
        _transactions_chunk(n, loaded, size, template_id, offices)
        loaded += size
        print(f"  … {loaded:,} transactions", flush=True)
    _end_bulk_mode(tables, indexes)
    return loaded


def _transactions_chunk(
    n: int, first: int, size: int, template_id: int, offices: list[int]
) -> None:
    lists = _lists()
    pool = max(1, int(n * 0.6))
    _sql("DROP TABLE IF EXISTS bench_txgen")
    _sql(
        f"""CREATE UNLOGGED TABLE bench_txgen AS
        SELECT i, ({lists["kinds"]})[1 + floor(random() * 100)::int] AS kind,
               floor(random() * {pool})::int AS a, {_PEOPLE_COLUMNS}
        FROM generate_series({first} + 1, {first} + {size}) i""",
        f"generator rows ({size:,})",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM notary_transaction")
        base = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM notary_txasset")
        abase = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM notary_txparty")
        pbase = cursor.fetchone()[0]
    arrays = ", ".join(f"{v} AS {k}" for k, v in lists.items())
    view = f"""(SELECT x.*, x.a % 10 < 7 AS land,
        {_name("1", False)} AS name1, {_name("1", True)} AS name1_f,
        {_name("2", False)} AS name2, {_name("2", True)} AS name2_f,
        (x.a % 900 + 1)::text AS parcel, (x.a % 80 + 1)::text AS sheet,
        (2015 + x.i % 11)::text AS year, arr.*
        FROM bench_txgen x, (SELECT {arrays}) arr) g"""
    office_arr = "ARRAY[" + ",".join(str(o) for o in offices) + "]"
    contract_no = "g.i || '/' || g.year || '/CC-SCC/HĐGD'"
    _clone(
        "notary_transaction",
        template_id,
        view,
        {
            "id": f"{base} + g.i - {first}",
            "sync_id": "gen_random_uuid()",
            "office_id": f"({office_arr})[1 + g.i % {len(offices)}]",
            "contract_no": contract_no,
            "contract_no_key": "g.i || g.year || 'ccscchdgd'",
            "contract_date": "make_date(g.year::int, 1 + g.i % 12, 1 + g.i % 28)",
            "notary_name": "g.name2",
            "kind": "g.kind",
            "updated_seq": f"{base} + g.i - {first}",
        },
        "transactions",
    )
    plate = (
        "'75' || substr('ABCDEFGH', 1 + g.a % 8, 1) || (g.a % 9 + 1) || '-' "
        "|| lpad((g.a % 1000)::text, 3, '0') || '.' || lpad((g.a / 1000 % 100)::text, 2, '0')"
    )
    _clone(
        "notary_txasset",
        _first_id("notary_txasset", "transaction_id", template_id),
        view,
        {
            "id": f"{abase} + g.i - {first}",
            "transaction_id": f"{base} + g.i - {first}",
            "asset_type": "CASE WHEN g.land THEN 'land' ELSE 'vehicle' END",
            "certificate_serial": "CASE WHEN g.land THEN series[1 + g.a % 20] || ' ' "
            "|| lpad(g.a::text, 7, '0') ELSE '' END",
            "parcel_number": "CASE WHEN g.land THEN g.parcel ELSE '' END",
            "map_sheet": "CASE WHEN g.land THEN g.sheet ELSE '' END",
            "address": "CASE WHEN g.land THEN (g.a % 300 + 1) || ' ' || street[1 + g.a % 10] "
            "|| ', phường ' || ward[1 + g.a % 12] || ', Huế' ELSE '' END",
            "plate": f"CASE WHEN g.land THEN '' ELSE {plate} END",
            "frame_number": "CASE WHEN g.land THEN '' ELSE 'RL' || lpad(g.a::text, 9, '0') END",
            "engine_number": "CASE WHEN g.land THEN '' ELSE 'E' || lpad(g.a::text, 8, '0') END",
            "description": "''",
        },
        "assets",
    )
    template_party = _first_id("notary_txparty", "transaction_id", template_id)
    for p, offset in (("1", 0), ("2", size)):
        _clone(
            "notary_txparty",
            template_party,
            view,
            {
                "id": f"{pbase} + {offset} + g.i - {first}",
                "transaction_id": f"{base} + g.i - {first}",
                "position": p,
                "role": f"('{{{','.join(ROLES[k][int(p) - 1] for k, _w in KIND_WEIGHTS)}}}'::text[])"
                f"[array_position(ARRAY[{','.join(repr(k) for k, _w in KIND_WEIGHTS)}]::text[], g.kind)]",
                "name": f"g.name{p}",
                "id_type": "'cccd'",
                "id_number": f"g.id{p}",
            },
            f"parties ({p})",
        )
    identifiers = [
        "CASE WHEN g.land THEN lower(series[1 + g.a % 20]) || lpad(g.a::text, 7, '0') END",
        "CASE WHEN NOT g.land THEN lower(regexp_replace("
        + plate
        + ", '[^A-Za-z0-9]', '', 'g')) END",
        "CASE WHEN NOT g.land THEN 'rl' || lpad(g.a::text, 9, '0') END",
        "CASE WHEN NOT g.land THEN 'e' || lpad(g.a::text, 8, '0') END",
        "g.i || g.year || 'ccscchdgd'",
    ]
    _sql(
        f"""INSERT INTO notary_txkey (asset_id, transaction_id, kind, value)
        SELECT {abase} + g.i - {first}, {base} + g.i - {first}, key.k, key.v FROM {view}
        {_keys_lateral(identifiers, "true")}""",
        "search rows",
    )
    _sql("DROP TABLE bench_txgen")


def load_blocks(n: int, template_request: int, seed: float = 0.04) -> None:
    """`n` published blocking requests of one asset each (70 % land), one or two owners."""
    lists = _lists()
    tables = ("blocking_blockingrequest", "blocking_asset", "blocking_owner", "blocking_searchkey")
    indexes = _bulk_mode(tables)
    _sql(f"SELECT setseed({seed})")
    _sql("DROP TABLE IF EXISTS bench_blgen")
    _sql(
        f"""CREATE UNLOGGED TABLE bench_blgen AS
        SELECT i, random() < 0.7 AS land, random() < 0.4 AS two,
               random() < 0.9 AS blocking, 1 + floor(random() * 900)::int AS parcel_n,
               1 + floor(random() * 80)::int AS sheet_n, floor(random() * 1000000)::int AS a,
               {_PEOPLE_COLUMNS}
        FROM generate_series(1, {n}) i""",
        f"generator rows ({n:,})",
    )
    with connection.cursor() as cursor:
        bases = {}
        for table in ("blocking_blockingrequest", "blocking_asset", "blocking_owner"):
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # nosec B608
            bases[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT unit_id FROM blocking_blockingrequest WHERE id = %s", [template_request]
        )
        unit_id = cursor.fetchone()[0]
    arrays = ", ".join(f"{v} AS {k}" for k, v in lists.items())
    view = f"""(SELECT x.*, {_name("1", False)} AS name1, {_name("1", True)} AS name1_f,
        {_name("2", False)} AS name2, {_name("2", True)} AS name2_f,
        x.parcel_n::text AS parcel, x.sheet_n::text AS sheet, (2015 + x.i % 10)::text AS year, arr.*
        FROM bench_blgen x, (SELECT {arrays}) arr) g"""
    rb, ab, ob = bases["blocking_blockingrequest"], bases["blocking_asset"], bases["blocking_owner"]
    _clone(
        "blocking_blockingrequest",
        template_request,
        view,
        {
            "id": f"{rb} + g.i",
            "sync_id": "gen_random_uuid()",
            "request_no": "'NCB-' || lpad(g.i::text, 7, '0')",
            "kind": "CASE WHEN g.blocking THEN 'blocking' ELSE 'reference' END",
            "document_number": "g.i || '/' || g.year || '/QĐ-B'",
            "document_number_key": "g.i || g.year || 'qdb'",
            "document_date": "make_date(g.year::int, 1 + g.i % 12, 1 + g.i % 28)",
            "updated_seq": f"{rb} + g.i",
        },
        "blocking requests",
    )
    plate = (
        "'75' || substr('ABCDEFGH', 1 + g.a % 8, 1) || (g.a % 9 + 1) || '-' "
        "|| lpad((g.i % 1000)::text, 3, '0') || '.' || lpad((g.i / 1000 % 100)::text, 2, '0')"
    )
    _clone(
        "blocking_asset",
        _first_id("blocking_asset", "request_id", template_request),
        view,
        {
            "id": f"{ab} + g.i",
            "sync_id": "gen_random_uuid()",
            "request_id": f"{rb} + g.i",
            "asset_type": "CASE WHEN g.land THEN 'land' ELSE 'vehicle' END",
            "certificate_serial": "CASE WHEN g.land THEN series[1 + g.a % 20] || ' ' "
            "|| lpad(g.i::text, 7, '0') || 'B' ELSE '' END",
            "parcel_number": "CASE WHEN g.land THEN g.parcel ELSE '' END",
            "map_sheet": "CASE WHEN g.land THEN g.sheet ELSE '' END",
            "address": "CASE WHEN g.land THEN (g.a % 300 + 1) || ' ' || street[1 + g.a % 10] "
            "|| ', phường ' || ward[1 + g.a % 12] || ', Huế' ELSE '' END",
            "plate": f"CASE WHEN g.land THEN '' ELSE {plate} END",
            "frame_number": "CASE WHEN g.land THEN '' ELSE 'RLB' || lpad(g.i::text, 9, '0') END",
            "engine_number": "CASE WHEN g.land THEN '' ELSE 'EB' || lpad(g.i::text, 8, '0') END",
            "registration_number": "''",
            "description": "''",
            "attached_assets": "''",
            "use_purpose": "''",
            "released_by_id": "NULL",
        },
        "blocked assets",
    )
    template_owner = _first_id(
        "blocking_owner", "asset_id", _first_id("blocking_asset", "request_id", template_request)
    )
    _clone(
        "blocking_owner",
        template_owner,
        view,
        {
            "id": f"{ob} + g.i",
            "asset_id": f"{ab} + g.i",
            "position": "1",
            "name": "g.name1",
            "id_type": "'cccd'",
            "id_number": "g.id1",
        },  # fmt: skip
        "owners (1)",
    )
    _clone(
        "blocking_owner",
        template_owner,
        view,
        {
            "id": f"{ob} + {n} + g.i",
            "asset_id": f"{ab} + g.i",
            "position": "2",
            "name": "g.name2",
            "id_type": "'cccd'",
            "id_number": "g.id2",
        },  # fmt: skip
        "owners (2)",
        where="g.two",
    )
    identifiers = [
        "CASE WHEN g.land THEN lower(series[1 + g.a % 20]) || lpad(g.i::text, 7, '0') || 'b' END",
        "CASE WHEN NOT g.land THEN lower(regexp_replace("
        + plate
        + ", '[^A-Za-z0-9]', '', 'g')) END",
        "CASE WHEN NOT g.land THEN 'rlb' || lpad(g.i::text, 9, '0') END",
        "CASE WHEN NOT g.land THEN 'eb' || lpad(g.i::text, 8, '0') END",
        "'ncb' || lpad(g.i::text, 7, '0')",
        "g.i || g.year || 'qdb'",
    ]
    _sql(
        f"""INSERT INTO blocking_searchkey (asset_id, request_id, unit_id_copy, published, kind, value)
        SELECT {ab} + g.i, {rb} + g.i, {unit_id}, true, key.k, key.v FROM {view}
        {_keys_lateral(identifiers, "g.two")}""",
        "search rows",
    )
    _sql("DROP TABLE bench_blgen")
    _end_bulk_mode(tables, indexes)


def _bulk_mode(tables) -> list[str]:
    """Foreign-key triggers off for this session, secondary indexes dropped (rebuilt after)."""
    _sql("SET session_replication_role = replica")
    _sql("SET synchronous_commit = off")
    indexes = []
    for table in tables:
        indexes += _without_indexes(table)
    return indexes


def _end_bulk_mode(tables, indexes: list[str]) -> None:
    _sql("SET maintenance_work_mem = '1GB'")
    for definition in indexes:
        _sql(definition, definition.split(" ON ")[0])
    _sql("SET session_replication_role = origin")
    for table in tables:
        _sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
        )


def _first_id(table: str, column: str, value: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id) FROM {table} WHERE {column} = %s", [value])  # nosec B608
        return cursor.fetchone()[0]


def check_keys(samples: int = 200) -> int:
    """Compare the generated search rows of `samples` transactions and blocks with the product's
    own key builders; return the number of differences (0 expected)."""
    from motcua.blocking.keys import asset_keys
    from motcua.blocking.models import Asset, SearchKey
    from motcua.notary.keys import tx_keys
    from motcua.notary.models import TxAsset, TxKey

    bad = 0
    for asset in TxAsset.objects.select_related("transaction").order_by("?")[:samples]:
        parties = list(asset.transaction.parties.all())
        want = set(tx_keys(asset, parties, asset.transaction))
        got = set(TxKey.objects.filter(asset_id=asset.pk).values_list("kind", "value"))
        if want != got:
            bad += 1
            if bad <= 3:
                print("  transaction keys differ:", asset.pk, want ^ got)
    for asset in Asset.objects.select_related("request").order_by("?")[:samples]:
        want = set(asset_keys(asset, list(asset.owners.all()), asset.request))
        got = set(SearchKey.objects.filter(asset_id=asset.pk).values_list("kind", "value"))
        if want != got:
            bad += 1
            if bad <= 6:
                print("  block keys differ:", asset.pk, want ^ got)
    return bad
