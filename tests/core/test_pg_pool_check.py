"""The pool's check without a round trip (motcua/core/postgresql/base.py), on a real server.

A healthy idle connection passes without a query; a connection the server has closed is caught
by the check and the pool hands out a fresh one, so the request after a restart does not fail.
"""

from __future__ import annotations

import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from motcua.core.postgresql.base import DatabaseWrapper, check_without_round_trip

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the connection pool is PostgreSQL's"
)


def _dsn() -> str:
    params = connection.get_connection_params()
    keys = ("host", "port", "user", "password")
    parts = [f"dbname={settings.DATABASES['default']['NAME']}"]
    parts += [f"{k}={params[k]}" for k in keys if params.get(k)]
    return " ".join(parts)


def test_a_healthy_connection_passes_without_a_query():
    with psycopg.connect(_dsn(), autocommit=True) as conn:
        pid = conn.info.backend_pid
        with psycopg.connect(_dsn(), autocommit=True) as watcher:
            before = watcher.execute(
                "SELECT state_change FROM pg_stat_activity WHERE pid = %s", [pid]
            ).fetchone()[0]
            check_without_round_trip(conn)
            after = watcher.execute(
                "SELECT state_change FROM pg_stat_activity WHERE pid = %s", [pid]
            ).fetchone()[0]
        assert before == after  # the server saw nothing from that session


def test_a_connection_closed_by_the_server_fails_the_check():
    conn = psycopg.connect(_dsn(), autocommit=True)
    try:
        with psycopg.connect(_dsn(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [conn.info.backend_pid])
        # The server's goodbye reaches the socket in a moment: the check must catch it then.
        for _ in range(50):
            try:
                check_without_round_trip(conn)
            except psycopg.OperationalError:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the check passed a terminated connection")
    finally:
        conn.close()


@pytest.mark.django_db(transaction=True)
def test_the_pool_replaces_a_terminated_connection_without_an_error():
    settings_dict = {**connection.settings_dict, "CONN_HEALTH_CHECKS": True}
    options = dict(settings_dict.get("OPTIONS") or {})
    options["pool"] = {"min_size": 1, "max_size": 1, "timeout": 5}
    settings_dict["OPTIONS"] = options
    wrapper = DatabaseWrapper(settings_dict, alias="pool_check_test")
    try:
        assert wrapper.pool._check is check_without_round_trip
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            first_pid = cursor.fetchone()[0]
        wrapper.close()  # back to the pool
        with psycopg.connect(_dsn(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [first_pid])
        time.sleep(0.3)
        with wrapper.cursor() as cursor:  # would fail with the dead connection
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] != first_pid
        wrapper.close()
    finally:
        wrapper.close_pool()
