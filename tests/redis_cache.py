"""The cache settings of a real Redis for tests (MOTCUA_TEST_REDIS_URL): skipped when none is
reachable, a failure when MOTCUA_REQUIRE_REDIS says one must be (CI)."""

from __future__ import annotations

import os
import uuid

import pytest

REDIS_URL = os.environ.get("MOTCUA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False
    return True


def redis_caches() -> dict:
    """settings.CACHES on Redis, under a key prefix of its own."""
    if not _redis_available():
        if os.environ.get("MOTCUA_REQUIRE_REDIS"):
            pytest.fail(
                f"Redis is required (MOTCUA_REQUIRE_REDIS) but {REDIS_URL} is not reachable"
            )
        pytest.skip(f"no Redis at {REDIS_URL}")
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
