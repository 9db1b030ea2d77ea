"""Atomic rate-limit counters (core.ratelimit, issue 17): the same semantics on every backend, and
N parallel hits are all counted on PostgreSQL and on Redis (the old get-then-set lost some)."""

from __future__ import annotations

import threading
import uuid

import pytest
import time_machine
from django.db import connection, connections
from redis_cache import redis_caches as _redis_caches

from motcua.core import ratelimit
from motcua.dossiers import tracking

DB_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "motcua_cache",
    }
}
MEMORY_CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(params=["memory", "db", "redis"])
def backend(request, settings, db):
    settings.CACHES = {"memory": MEMORY_CACHES, "db": DB_CACHES, "redis": None}[
        request.param
    ] or _redis_caches()
    return request.param


def test_counts_in_a_window_then_starts_again(backend):
    key = f"k-{uuid.uuid4().hex}"
    if backend == "redis":  # a real TTL: check it is set, not that it passes
        assert [ratelimit.hit(key, 60) for _ in range(3)] == [1, 2, 3]
        assert ratelimit.peek(key) == 3
        from django.core.cache import cache

        ttl = cache._cache.get_client().ttl(cache.make_and_validate_key(key))
        assert 0 < ttl <= 60
        return
    with time_machine.travel("2026-01-05 08:00 +0700", tick=False) as clock:
        assert [ratelimit.hit(key, 60) for _ in range(3)] == [1, 2, 3]
        assert ratelimit.peek(key) == 3
        assert ratelimit.peek("other") == 0
        clock.shift(59)
        assert ratelimit.hit(key, 60) == 4  # the window does not slide
        clock.shift(2)
        assert ratelimit.peek(key) == 0
        assert ratelimit.hit(key, 60) == 1


def test_hit_and_peek(backend):
    a, b = f"a-{uuid.uuid4().hex}", f"b-{uuid.uuid4().hex}"
    ratelimit.hit(b, 60)
    ratelimit.hit(b, 60)
    assert ratelimit.hit_and_peek(a, 60, b) == (1, 2)
    assert ratelimit.hit_and_peek(a, 60, b) == (2, 2)
    ratelimit.reset(a)
    assert ratelimit.peek(a) == 0


def test_database_counting_is_one_statement(settings, db, django_assert_num_queries):
    settings.CACHES = DB_CACHES
    with django_assert_num_queries(1):
        ratelimit.hit("one", 60)
    with django_assert_num_queries(2):  # the tracking page's limit: count + read failures
        tracking.rate_limited("1.2.3.4", "CODE")


def _parallel(n: int, target) -> list:
    results: list = []
    lock = threading.Lock()
    start = threading.Barrier(n)

    def run() -> None:
        start.wait()
        try:
            value = target()
        finally:
            connections.close_all()
        with lock:
            results.append(value)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


N = 16


@pytest.mark.django_db(transaction=True)
def test_parallel_hits_are_all_counted_on_postgresql(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test needs PostgreSQL (SQLite serialises writers anyway)")
    settings.CACHES = DB_CACHES
    key = f"par-{uuid.uuid4().hex}"
    results = _parallel(N, lambda: ratelimit.hit(key, 600))
    assert sorted(results) == list(range(1, N + 1))
    assert ratelimit.peek(key) == N


@pytest.mark.django_db(transaction=True)
def test_parallel_tracking_guesses_are_all_counted_on_postgresql(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test needs PostgreSQL")
    settings.CACHES = DB_CACHES
    settings.TRACKING_RATE_PER_CODE = N
    _parallel(N, lambda: tracking.record_failure("9.9.9.9", "PAR-CODE"))
    assert tracking.rate_limited("9.9.9.9", "PAR-CODE")
    assert not tracking.rate_limited("9.9.9.8", "PAR-CODE")  # another address is not stopped


def test_parallel_hits_are_all_counted_on_redis(settings):
    settings.CACHES = _redis_caches()
    key = f"par-{uuid.uuid4().hex}"
    results = _parallel(N, lambda: ratelimit.hit(key, 600))
    assert sorted(results) == list(range(1, N + 1))
    assert ratelimit.peek(key) == N
    settings.TRACKING_RATE_PER_CODE = N
    _parallel(N, lambda: tracking.record_failure("9.9.9.9", key))
    assert tracking.rate_limited("9.9.9.9", key)


def test_a_sliding_window_ends_after_the_last_hit(backend):
    key = f"s-{uuid.uuid4().hex}"
    if backend == "redis":
        from django.core.cache import cache

        client, full = cache._cache.get_client(), cache.make_and_validate_key(key)
        ratelimit.hit(key, 60, sliding=True)
        client.expire(full, 5)
        assert ratelimit.hit(key, 60, sliding=True) == 2
        assert client.ttl(full) > 5  # pushed back
        return
    with time_machine.travel("2026-01-05 08:00 +0700", tick=False) as clock:
        assert ratelimit.hit(key, 60, sliding=True) == 1
        clock.shift(50)
        assert ratelimit.hit(key, 60, sliding=True) == 2
        clock.shift(50)  # 100 s after the first hit, 50 s after the last
        assert ratelimit.hit(key, 60, sliding=True) == 3
        clock.shift(61)
        assert ratelimit.hit(key, 60, sliding=True) == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_login_failures_are_all_counted_on_postgresql(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test needs PostgreSQL")
    from motcua.accounts.throttle import _Key

    settings.CACHES = DB_CACHES
    key = _Key("ip", f"203.0.113.{uuid.uuid4().int % 250}", limit=1000, cap=60)
    results = _parallel(N, lambda: key.fail(0.0))
    assert sorted(results) == list(range(1, N + 1))


def test_redis_counts_after_the_server_forgot_the_script(settings, db):
    """A restarted (or new) Redis has no cached script: the first hit loads it, none is lost."""
    settings.CACHES = _redis_caches()
    from django.core.cache import cache

    key = f"k-{uuid.uuid4().hex}"
    assert ratelimit.hit(key, 60) == 1
    cache._cache.get_client(write=True).script_flush()
    assert ratelimit.hit(key, 60) == 2
    assert ratelimit.hit_and_peek(f"other-{key}", 60, key) == (1, 2)


def test_redis_sliding_window_is_pushed_back(settings, db):
    settings.CACHES = _redis_caches()
    from django.core.cache import cache

    key = f"k-{uuid.uuid4().hex}"
    ratelimit.hit(key, 5, sliding=True)
    client = cache._cache.get_client()
    full = cache.make_and_validate_key(key)
    client.expire(full, 1)  # as if the window were nearly over
    ratelimit.hit(key, 5, sliding=True)
    assert client.ttl(full) > 1  # pushed back to the full window
    ratelimit.hit(key, 60)  # a fixed window leaves the end where it is
    assert client.ttl(full) <= 5


def test_redis_replies_are_read_by_the_c_parser(settings, db):
    """hiredis (a dependency since issue 17): the pure-Python reply parser was ≈ 15 % of the
    tracking page's CPU. redis-py falls back to it silently when hiredis is missing."""
    settings.CACHES = _redis_caches()
    from redis._parsers import _HiredisParser

    ratelimit.hit(f"k-{uuid.uuid4().hex}", 60)
    client = ratelimit._redis_writer()
    connection = client.connection_pool.get_connection()
    try:
        assert isinstance(connection._parser, _HiredisParser)
    finally:
        client.connection_pool.release(connection)
