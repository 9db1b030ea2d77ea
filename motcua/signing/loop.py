"""pyHanko's synchronous API calls `asyncio.run()`, which refuses to run inside a thread that
already has a running event loop (an ASGI server, Playwright in the tests). Such calls are moved
to a short-lived worker thread; elsewhere they run in place."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def outside_event_loop(fn: Callable[..., T], *args, **kwargs) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="motcua-signing") as pool:
        return pool.submit(fn, *args, **kwargs).result()
