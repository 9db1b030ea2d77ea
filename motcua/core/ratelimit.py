"""Atomic rate-limit counters shared by every worker and server (issue 17).

A counter is a fixed window: the first hit opens it for ``window`` seconds, each hit adds one,
and it starts again from 1 once the window has passed. Where the counters live follows
MOTCUA_CACHE_URL (settings.CACHES["default"]):

- Redis (``redis://…``): INCR and EXPIRE NX in one Lua script, one round trip (with the read of
  a second counter in the same script for ``hit_and_peek``);
- the database cache (``db``): the table ``motcua_rate_counter`` (core.models.RateCounter), one
  ``INSERT … ON CONFLICT … DO UPDATE … RETURNING`` per hit (PostgreSQL, SQLite ≥ 3.35), so two
  workers counting at once never lose a hit (the old get-then-set did);
- anything else (memory of each process, for ``motcua demo`` and one worker): Django's cache
  ``add``/``incr``, atomic within the process.

Keys are short strings chosen by the caller (hash anything personal before).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections

TABLE = "motcua_rate_counter"
#: One hit in this many on the database also deletes the expired counters.
CULL_EVERY = 1000


def _backend() -> str:
    name = settings.CACHES.get("default", {}).get("BACKEND", "")
    if name.endswith("RedisCache"):
        return "redis"
    if name.endswith("DatabaseCache"):
        return "db"
    return "cache"


# --- Redis ----------------------------------------------------------------------------------


# One script, one round trip, atomic: count the hit, open the window if it is new (or push it
# back, sliding) and read the second counter. A script rather than a MULTI pipeline because
# redis-py builds a pipeline object per call, copying its table of reply callbacks: that was
# most of the limiter's CPU on the tracking page (issue 17, bench/README.md).
_HIT_SCRIPT = """
local hits = redis.call('INCR', KEYS[1])
if ARGV[2] == '1' then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
else
  redis.call('EXPIRE', KEYS[1], ARGV[1], 'NX')
end
local peeked = 0
if KEYS[2] then peeked = tonumber(redis.call('GET', KEYS[2]) or '0') end
return {hits, peeked}
"""
_HIT_SHA = hashlib.sha1(_HIT_SCRIPT.encode(), usedforsecurity=False).hexdigest()


def _redis_writer() -> Any:
    """The Redis client the cache writes with, made once per cache object: Django's
    `get_client` builds a new client (and its table of reply callbacks) on every call."""
    backend = cache._cache  # type: ignore[attr-defined]
    client = getattr(backend, "_motcua_writer", None)
    if client is None:
        client = backend._motcua_writer = backend.get_client(write=True)
    return client


def _redis_hit(
    key: str, window: int, peek_key: str | None, sliding: bool = False
) -> tuple[int, int]:
    from redis.exceptions import NoScriptError

    # make_key, not make_and_validate_key: the names are ours (a prefix, a digest or an address):
    # the validation walks every character in Python, for memcached, on every hit.
    full = cache.make_key(key)
    client = _redis_writer()
    keys = [full] if peek_key is None else [full, cache.make_key(peek_key)]
    args = [*keys, window, "1" if sliding else "0"]
    try:
        hits, peeked = client.evalsha(_HIT_SHA, len(keys), *args)
    except NoScriptError:  # a restarted or new server: load the script once
        hits, peeked = client.eval(_HIT_SCRIPT, len(keys), *args)
    return int(hits), int(peeked)


def _redis_peek(key: str) -> int:
    full = cache.make_and_validate_key(key)
    value = cache._cache.get_client(full).get(full)  # type: ignore[attr-defined]
    return int(value) if value is not None else 0


# --- Database -------------------------------------------------------------------------------

_UPSERT = (
    f"INSERT INTO {TABLE} (name, hits, expires) VALUES (%s, 1, %s) "  # nosec B608
    f"ON CONFLICT (name) DO UPDATE SET "
    f"hits = CASE WHEN {TABLE}.expires <= %s THEN 1 ELSE {TABLE}.hits + 1 END, "
    f"expires = CASE WHEN {TABLE}.expires <= %s THEN excluded.expires ELSE {TABLE}.expires END "
    f"RETURNING hits"
)
# Sliding: every hit pushes the end of the window back (a counter forgotten `window` seconds
# after its last hit).
_UPSERT_SLIDING = (
    f"INSERT INTO {TABLE} (name, hits, expires) VALUES (%s, 1, %s) "  # nosec B608
    f"ON CONFLICT (name) DO UPDATE SET "
    f"hits = CASE WHEN {TABLE}.expires <= %s THEN 1 ELSE {TABLE}.hits + 1 END, "
    f"expires = excluded.expires RETURNING hits"
)
_PEEK = f"SELECT hits FROM {TABLE} WHERE name = %s AND expires > %s"  # nosec B608
_CULL = f"DELETE FROM {TABLE} WHERE expires <= %s"  # nosec B608


def _db_hit(key: str, window: int, sliding: bool = False) -> int:
    now = time.time()
    # Counters are written on the primary, always (never a replica; see core.routers).
    with connections["default"].cursor() as cursor:
        if sliding:
            cursor.execute(_UPSERT_SLIDING, [key, now + window, now])
        else:
            cursor.execute(_UPSERT, [key, now + window, now, now])
        (count,) = cursor.fetchone()
        if secrets.randbelow(CULL_EVERY) == 0:
            cursor.execute(_CULL, [now])
    return int(count)


def _db_peek(key: str) -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute(_PEEK, [key, time.time()])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


# --- Django's cache (memory of each process) ------------------------------------------------


def _cache_hit(key: str, window: int, sliding: bool = False) -> int:
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1
    if sliding:
        cache.touch(key, window)
    return count


# --- API ------------------------------------------------------------------------------------


def hit(key: str, window: int, *, sliding: bool = False) -> int:
    """Count one hit on ``key`` and return the count in its current window (1 for the first).

    ``sliding``: the window ends ``window`` seconds after the *last* hit, not the first."""
    backend = _backend()
    if backend == "redis":
        return _redis_hit(key, window, None, sliding)[0]
    if backend == "db":
        return _db_hit(key, window, sliding)
    return _cache_hit(key, window, sliding)


def peek(key: str) -> int:
    """The count of ``key`` in its current window, without counting (0 if none)."""
    backend = _backend()
    if backend == "redis":
        return _redis_peek(key)
    if backend == "db":
        return _db_peek(key)
    return int(cache.get(key) or 0)


def hit_and_peek(key: str, window: int, other: str) -> tuple[int, int]:
    """``hit(key, window)`` and ``peek(other)``: one round trip on Redis, two statements on the
    database."""
    if _backend() == "redis":
        return _redis_hit(key, window, other)
    return hit(key, window), peek(other)


def reset(key: str) -> None:
    """Forget ``key``'s counter (tests, or a success that clears a count)."""
    backend = _backend()
    if backend == "db":
        with connections["default"].cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE name = %s", [key])  # nosec B608
    else:
        cache.delete(key)
