"""`__any_of` (motcua/core/lookups.py): the same rows as `__in`, on both databases."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.orgs.models import Unit

pytestmark = pytest.mark.django_db


def test_any_of_finds_what_in_finds(units):
    codes = [units["A"].code, units["B"].code, "NO-SUCH-UNIT"]
    expected = set(Unit.objects.filter(code__in=codes).values_list("code", flat=True))
    assert expected == {units["A"].code, units["B"].code}
    assert set(Unit.objects.filter(code__any_of=codes).values_list("code", flat=True)) == expected


def test_any_of_an_empty_list_finds_nothing(units):
    assert not Unit.objects.filter(code__any_of=[]).exists()


def test_any_of_binds_one_array_on_postgresql(units):
    codes = [f"U{i:05d}" for i in range(5000)] + [units["A"].code]
    with CaptureQueriesContext(connection) as queries:
        found = list(Unit.objects.filter(code__any_of=codes).values_list("code", flat=True))
    assert found == [units["A"].code]
    sql = queries.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql
    else:
        assert " IN (" in sql


@pytest.mark.parametrize(
    "awkward",
    ['a"b', "a\\b", 'a\\"b', "a,b", "{a}", " a b ", "NULL", "", "Đơn vị số 1", "x'y"],
)
def test_any_of_matches_awkward_values_exactly(units, awkward):
    """The array is sent in its text form (`array_literal`): quotes, backslashes, commas,
    braces, spaces and the word NULL must come back as the very same strings."""
    unit = units["A"]
    Unit.objects.filter(pk=unit.pk).update(code=awkward)
    found = Unit.objects.filter(code__any_of=["other", awkward]).values_list("pk", flat=True)
    assert list(found) == [unit.pk]
    assert not Unit.objects.filter(code__any_of=[awkward + " "]).exists()
