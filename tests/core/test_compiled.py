"""Querysets compiled once per connection (motcua/core/compiled.py): the same rows as the ORM."""

from __future__ import annotations

import pytest
from django.db import connections
from django.db.models import Q

from motcua.core.compiled import compiled_rows
from motcua.orgs.models import Unit

pytestmark = pytest.mark.django_db


def _build(visible: Q):
    def build(low: str, high: str):
        return (
            Unit.objects.filter(code__gte=low, code__lt=high)
            .filter(visible)
            .order_by("code")
            .values_list("id", "code", "name")
        )

    return build


@pytest.mark.parametrize("low,high", [("A", "Z"), ("", "~"), ("T", "U"), ("ZZZ", "ZZZZ")])
def test_rows_equal_the_querysets(units, low, high):
    for visible in (Q(), Q(kind="department"), ~Q(pk__in=[units["A"].pk])):
        key = ("test-units", visible)
        expected = list(_build(visible)(low, high))
        assert compiled_rows(Unit, key, _build(visible), low, high) == expected
        assert compiled_rows(Unit, key, _build(visible), low, high) == expected  # reused


def test_each_shape_is_compiled_once_and_run_with_the_values(units, django_assert_num_queries):
    key = ("test-units-once", Q())
    compiled_rows(Unit, key, _build(Q()), "A", "Z")
    shapes = connections["default"].__dict__["_motcua_compiled"]
    compiler = shapes[key][0]
    with django_assert_num_queries(1):
        rows = compiled_rows(Unit, key, _build(Q()), units["B"].code, units["B"].code + "~")
    assert shapes[key][0] is compiler  # not compiled again
    assert [code for _id, code, _name in rows] == [units["B"].code]


def test_a_value_that_does_not_reach_the_sql_as_a_parameter_is_refused(units):
    def build(text: str, _unused: str):
        return Unit.objects.filter(name__icontains=text).values_list("id")  # "%…%": changed

    with pytest.raises(ValueError, match="slot"):
        compiled_rows(Unit, ("test-icontains",), build, "a", "b")


def _prepared_statements(alias: str = "default") -> list[str]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="prepared statements: PostgreSQL only"
)
def test_on_postgresql_the_statement_is_prepared_once_and_still_logged(
    units, django_assert_num_queries
):
    key = ("test-units-prepared", Q())
    with django_assert_num_queries(1) as captured:  # Django's wrapper: logged like any query
        first = compiled_rows(Unit, key, _build(Q()), "A", "Z")
    assert '"orgs_unit"' in captured.captured_queries[0]["sql"]
    second = compiled_rows(Unit, key, _build(Q()), "A", "Z")
    assert first == second == list(_build(Q())("A", "Z"))
    prepared = [s for s in _prepared_statements() if '"orgs_unit"."code" >=' in s]
    assert len(prepared) == 1  # once per connection, run again by name


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="prepared statements: PostgreSQL only"
)
def test_prepared_statements_can_be_turned_off(units, settings):
    settings.MOTCUA_DB_PREPARED = False
    key = ("test-units-unprepared", Q(kind="department"))
    rows = compiled_rows(Unit, key, _build(Q(kind="department")), "A", "Z")
    assert rows == list(_build(Q(kind="department"))("A", "Z"))
    assert not [s for s in _prepared_statements() if '"orgs_unit"."kind" =' in s]


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="prepared statements: PostgreSQL only"
)
def test_database_errors_are_djangos_own(units):
    from django.db import DatabaseError

    def build(low: str, _high: str):
        return Unit.objects.filter(code__gte=low, code__lt=_high).values_list("id")

    with pytest.raises(DatabaseError):
        compiled_rows(Unit, ("test-bad-bytes",), build, "\x00", "x")


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="prepared statements: PostgreSQL only"
)
def test_binary_results_are_the_same_values(units):
    """`binary=True`: read by psycopg's C loaders, the same values as the text format's."""
    from django.db import connection

    from motcua.core.compiled import _cursor

    sql = "SELECT %s::timestamptz, %s::text, %s::int, %s::date"
    params = ["2026-03-10 08:00+07", "Huế", 42, "2026-03-10"]
    rows = {}
    for binary in (False, True):
        with _cursor(connection, binary=binary) as cursor:
            cursor.execute(sql, params)
            rows[binary] = cursor.fetchall()
            assert cursor.cursor.pgresult.fformat(0) == int(binary)
    assert rows[True] == rows[False]
    assert rows[True][0][0].utcoffset() is not None  # aware, as Django's own loader gives
