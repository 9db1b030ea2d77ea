"""The citizen-portal fixtures (tests/portal/conftest.py), shared here."""

from portal.conftest import media, online_procedure, submit_online  # noqa: F401
