"""Django's PostgreSQL backend, with the connection pool's check done without a round trip.

With `CONN_HEALTH_CHECKS`, Django gives psycopg's pool `ConnectionPool.check_connection`, which
sends an empty query each time a connection is handed out: on every request, one round trip to
the server before the page's own query (issue 17: the public tracking page makes one query). A
connection the server has closed (restart, `pg_terminate_backend`, idle timeout) has something
to read on its socket — the server's goodbye or the end of the stream — while a healthy idle one
has nothing; so the socket is polled without waiting, and only a connection with something to
read gets the full check (and is dropped by the pool if it fails it, as before). A connection
cut without a word (a dead network path) is not detected by either check; its query fails and
Django drops it, as with any network error.

Used by settings.py when the pool is on (`MOTCUA_DB_POOL`, the default on PostgreSQL).
"""

from __future__ import annotations

import select
from typing import Any

import psycopg
from django.db.backends.postgresql import base
from psycopg_pool import ConnectionPool


def check_without_round_trip(conn: psycopg.Connection) -> None:
    """psycopg_pool's `check` callback: raise if the connection cannot be used."""
    if conn.closed or conn.broken:
        raise psycopg.OperationalError("the connection is closed")
    readable, _, _ = select.select([conn.fileno()], [], [], 0)
    if readable:
        ConnectionPool.check_connection(conn)


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def pool(self) -> Any:
        pool = super().pool  # type: ignore[misc]  # django-stubs lacks the pool (Django 5.1+)
        # Django builds the pool with psycopg's check (CONN_HEALTH_CHECKS); ours replaces it
        # before the pool hands out a connection (tests/core/test_pg_pool_check.py).
        if pool is not None and pool._check is not None:
            pool._check = check_without_round_trip
        return pool
