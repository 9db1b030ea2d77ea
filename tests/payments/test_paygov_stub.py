"""`motcua paygov-stub` serves the stand-in gateway as its own process."""

from __future__ import annotations

import json
import os
import socket
import subprocess  # nosec B404
import sys
import time
from urllib.parse import urlencode
from urllib.request import urlopen

from motcua.payments.paygov import protocol


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_command_serves_the_stub_and_refuses_bad_arguments(tmp_path):
    port = _free_port()
    env = {**os.environ, "MOTCUA_SECRET_KEY_FILE": str(tmp_path / "key")}
    command = [sys.executable, "-m", "motcua", "paygov-stub", "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(  # nosec B603
        [*command, "--merchant", "M1", "--secret", "S1"],
        env=env,
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                with urlopen(f"{base}/_stub/transactions", timeout=2) as r:  # nosec B310
                    assert json.loads(r.read()) == []
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the stub did not start")
        fields = protocol.signed(
            {
                "merchant": "M1",
                "reference": "R1",
                "amount": "5000",
                "currency": "VND",
                "description": "x",
                "return_url": "http://127.0.0.1:1/back",
                "notify_url": "http://127.0.0.1:1/ipn",
                "timestamp": "1",
            },
            "S1",
        )
        with urlopen(f"{base}/pay?{urlencode(fields)}", timeout=5) as r:  # nosec B310
            assert "5000 VND" in r.read().decode()
        query = protocol.signed({"merchant": "M1", "reference": "R1", "timestamp": "2"}, "S1")
        with urlopen(f"{base}/api/query?{urlencode(query)}", timeout=5) as r:  # nosec B310
            answer = json.loads(r.read())
        assert answer["status"] == "pending" and protocol.verify(answer, "S1")
    finally:
        process.terminate()
        process.wait(timeout=10)
    bad = subprocess.run(  # nosec B603
        [sys.executable, "-m", "motcua", "paygov-stub", "--bind", "nowhere"],
        env={**env, "MOTCUA_PAYGOV_SECRET": "", "MOTCUA_PAYGOV_MERCHANT": ""},
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("lỗi:") and bad.stdout == ""
