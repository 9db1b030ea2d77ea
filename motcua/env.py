"""Typed environment helpers that fail loudly.

A misspelt or malformed setting must stop the process at start-up with a message naming the
variable, never silently fall back to a default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    source = os.environ if environ is None else environ
    value = source.get(name)
    if value is None:
        return None
    return value.strip()


def env_str(
    name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None
) -> str:
    """Return a string variable; raise if it is unset and no default is given."""
    value = _raw(name, environ)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return default
    return value


def env_bool(name: str, default: bool = False, *, environ: Mapping[str, str] | None = None) -> bool:
    """Return a boolean variable: 1/true/yes/on or 0/false/no/off (case-insensitive)."""
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name}={value!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(
    name: str,
    default: int | None = None,
    *,
    min_value: int | None = None,
    max_value: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Return an integer variable, optionally bounded; raise on junk or out-of-range values."""
    value = _raw(name, environ)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} is not an integer."
        ) from None
    if min_value is not None and number < min_value:
        raise ImproperlyConfigured(f"Environment variable {name}={number} is below {min_value}.")
    if max_value is not None and number > max_value:
        raise ImproperlyConfigured(f"Environment variable {name}={number} is above {max_value}.")
    return number


def env_list(
    name: str, default: list[str] | None = None, *, environ: Mapping[str, str] | None = None
) -> list[str]:
    """Return a comma-separated list variable with blanks removed; raise if it is set but empty."""
    value = _raw(name, environ)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return list(default)
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(
            f"Environment variable {name} is set but lists nothing; unset it or give comma-separated values."
        )
    return items


#: The table of the database cache (`MOTCUA_CACHE_URL=db`), created after `migrate`.
DB_CACHE_TABLE = "motcua_cache"


def env_cache(
    name: str = "MOTCUA_CACHE_URL", default: str = "", *, environ: Mapping[str, str] | None = None
) -> dict[str, dict[str, str]]:
    """Django's CACHES from one variable.

    unset   — memory of each process: fine for `motcua demo` and one worker; with several
              workers every rate limit would count per process;
    db      — a table of the database (shared by every worker and server, no other service);
    redis://host:port/N, rediss://… — Redis (needs the `redis` package).
    """
    value = _raw(name, environ) or default
    if value == "":
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if value in ("db", "db://"):
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": DB_CACHE_TABLE,
            }
        }
    if value.startswith(("redis://", "rediss://")):
        return {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": value}
        }
    raise ImproperlyConfigured(
        f"{name}={value!r}: use db, redis://host:port/N or leave it unset (memory of each process)."
    )
