"""Binary COPY with the table's own types (motcua/core/copy.py): PostgreSQL only."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, connections, transaction

from motcua.core.copy import copy_rows
from motcua.reports.daily import _COLUMNS
from motcua.reports.models import DailyFigure

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY: PostgreSQL only"),
]


def _row(procedure, n: int, day=date(2025, 3, 10)) -> tuple:
    # unit_id, procedure_id, grain, day, kind, status, channel, timeliness, due_on, n
    return (procedure.unit_id, procedure.pk, "d", day, 1, 4, "online", 0, date(9999, 12, 31), n)


def test_rows_are_stored_as_given_and_the_types_are_read_once(procedure, django_assert_num_queries):
    table = DailyFigure._meta.db_table
    connections["default"].__dict__.pop("_motcua_copy_types", None)  # as on a new connection
    with django_assert_num_queries(1), connection.cursor() as cursor:  # the columns' types
        copy_rows(cursor, table, _COLUMNS, [_row(procedure, 3), _row(procedure, 4)])
    with django_assert_num_queries(0), connection.cursor() as cursor:  # kept per connection
        copy_rows(cursor, table, _COLUMNS, [_row(procedure, 5, date(2025, 3, 11))])
    stored = DailyFigure.objects.order_by("day", "n").values_list("day", "channel", "due_on", "n")
    assert list(stored) == [
        (date(2025, 3, 10), "online", date(9999, 12, 31), 3),
        (date(2025, 3, 10), "online", date(9999, 12, 31), 4),
        (date(2025, 3, 11), "online", date(9999, 12, 31), 5),
    ]


def test_a_value_of_the_wrong_type_fails_and_stores_nothing(procedure):
    bad = list(_row(procedure, 1))
    bad[3] = "2025-03-10"  # text where the table has a date: no silent conversion
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017  # psycopg's own error
        with connection.cursor() as cursor:
            copy_rows(cursor, DailyFigure._meta.db_table, _COLUMNS, [_row(procedure, 2), bad])
    assert not DailyFigure.objects.exists()


def test_rows_formatted_apart_are_stored_as_given(procedure, django_assert_num_queries):
    """`BinaryCopyData` formats with the connection's adapters but sends nothing (the import's
    reader thread); `copy_data` then sends the bytes in one COPY."""
    from motcua.core.copy import BinaryCopyData, column_types, copy_data

    table = DailyFigure._meta.db_table
    with connection.cursor() as cursor:
        types = column_types(cursor, table, _COLUMNS)
    data = BinaryCopyData(connection.connection.cursor(), types)
    with django_assert_num_queries(0):  # formatting is not a statement
        data.write_row(_row(procedure, 7))
        data.write_row(_row(procedure, 8, date(2025, 3, 12)))
        payload = data.finish()
    assert data.rows == 2 and payload.startswith(b"PGCOPY\n\xff\r\n\x00")
    assert not DailyFigure.objects.exists()
    with connection.cursor() as cursor:
        copy_data(cursor, table, _COLUMNS, payload)
    stored = DailyFigure.objects.order_by("day").values_list("day", "n")
    assert list(stored) == [(date(2025, 3, 10), 7), (date(2025, 3, 12), 8)]


def test_an_empty_batch_formats_a_valid_copy(procedure):
    from motcua.core.copy import BinaryCopyData, column_types, copy_data

    table = DailyFigure._meta.db_table
    with connection.cursor() as cursor:
        data = BinaryCopyData(connection.connection.cursor(), column_types(cursor, table, _COLUMNS))
        copy_data(cursor, table, _COLUMNS, data.finish())
    assert not DailyFigure.objects.exists()
