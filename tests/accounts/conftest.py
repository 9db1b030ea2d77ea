"""The citizen-portal fixtures (tests/portal/conftest.py), shared here; a clean rate-limit cache."""

import pytest
from django.core.cache import cache
from portal.conftest import media, online_procedure, submit_online  # noqa: F401


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()
