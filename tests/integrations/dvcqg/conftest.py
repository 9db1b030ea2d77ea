"""The DVCQG stub as a real HTTP server on loopback, and sync settings pointing at it."""

from __future__ import annotations

import json
import threading
import urllib.request
from pathlib import Path

import pytest

from motcua.integrations.dvcqg.stub import make_server


class RunningStub:
    """A stub served from a thread; `stop()` takes the portal down, `start()` brings it back."""

    def __init__(self, data: Path, fail_rate: float = 0.0):
        self.data = data
        self.fail_rate = fail_rate
        self.port = 0
        self.server = None
        self.thread = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.server = make_server("127.0.0.1", self.port, self.data, fail_rate=self.fail_rate)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def set_fail_rate(self, rate: float) -> None:
        self.fail_rate = rate
        if self.server is not None:
            self.server.fail_rate = rate

    def get(self, path: str):
        with urllib.request.urlopen(self.url + path, timeout=5) as response:  # noqa: S310
            return json.loads(response.read().decode("utf-8"))

    def post(self, path: str, body) -> object:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return json.loads(response.read().decode("utf-8"))


@pytest.fixture
def stub(tmp_path):
    running = RunningStub(tmp_path / "stub")
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def sync_on(settings, stub):
    """Sync switched on against the stub, with immediate retries (no back-off waits)."""
    settings.MOTCUA_DVCQG_URL = stub.url
    settings.MOTCUA_DVCQG_CLIENT_ID = ""
    settings.MOTCUA_DVCQG_TIMEOUT = 3
    settings.MOTCUA_DVCQG_BACKOFF_BASE = 0
    settings.MOTCUA_DVCQG_BACKOFF_CAP = 0
    settings.MOTCUA_DVCQG_MAX_ATTEMPTS = 8
    return stub


#: (actor persona, action) after reception: the dossier goes 2 → 4 → 4 → 9 → 10.
LIFECYCLE = [
    ("clerk", "forward"),
    ("specialist", "forward"),
    ("leader", "result_ready"),
    ("clerk", "return_result"),
]


def receive(personas, procedure, name="Nguyễn Văn An"):
    from motcua.dossiers.services import Applicant, DocumentLine, dossier_receive

    return dossier_receive(
        actor=personas["clerk"],
        procedure=procedure,
        applicant=Applicant(name=name),
        documents=[DocumentLine("Tờ khai", "original"), DocumentLine("CCCD", "copy")],
    )


def advance(personas, dossier, steps=4):
    """Take the dossier through the first `steps` actions of LIFECYCLE; return it reloaded."""
    from motcua.dossiers.services import dossier_transition

    for who, action in LIFECYCLE[:steps]:
        assignee = personas["specialist"] if action == "forward" and who == "clerk" else None
        dossier = dossier_transition(
            actor=personas[who], dossier_id=dossier.pk, action=action, assignee=assignee
        )
    return dossier


def arrival_order(stub, code):
    """Sequences of a dossier's messages in the order the stub first received them."""
    return [m["sequence"] for m in stub.get("/_stub/messages") if m["code"] == code]
