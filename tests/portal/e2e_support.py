"""Helpers of the portal's browser tests: a local SMTP server (aiosmtpd), axe-core, log-in."""

from __future__ import annotations

import email
import re
import socket
import time
from email import policy
from pathlib import Path

from aiosmtpd.controller import Controller
from guide_images import save_screenshot

AXE = Path(__file__).resolve().parents[1] / "_vendor" / "axe" / "axe.min.js"


class Mailbox:
    """aiosmtpd handler keeping every message received."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def wait_for(self, predicate, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages:
                if predicate(message):
                    return message
            time.sleep(0.1)
        raise AssertionError(f"no such email; got {[m['Subject'] for m in self.messages]}")


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_server():
    """A local SMTP server in a thread; returns (controller, mailbox, port)."""
    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, mailbox, port


def first_link(text: str, path_part: str) -> str:
    return re.search(rf"https?://\S*{re.escape(path_part)}\S*", text).group(0)


def axe_violations(page) -> list[dict]:
    # Evaluated through the DevTools protocol: an injected <script> tag would be (rightly) blocked
    # by the pages' Content-Security-Policy (script-src 'self').
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return result


def shot(page, name: str) -> None:
    save_screenshot(page, name)


def log_in_browser(page, live_server, user) -> None:
    """Give the browser a logged-in session of `user` (no UI: for tests not about logging in)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
