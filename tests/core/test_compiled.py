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
