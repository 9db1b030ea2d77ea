"""The SMS interface: a transport class named by MOTCUA_SMS_TRANSPORT with `send(phone, text)`.

A real gateway (a telecom's SMS brandname API) implements the same method and raises
`SmsError` on failure; the built-in transport only writes to the log (no message leaves).
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("motcua.sms")


class SmsError(Exception):
    """The gateway refused or could not be reached."""


class SmsTransport(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LoggingTransport:
    """Writes each SMS to the log; nothing is sent (demo and tests)."""

    def send(self, phone: str, text: str) -> None:
        # Only the last digits of the number are logged (Law 91/2025: data minimisation).
        logger.info("SMS to ***%s: %s", phone[-3:], text)


def get_transport() -> SmsTransport:
    return import_string(settings.MOTCUA_SMS_TRANSPORT)()
