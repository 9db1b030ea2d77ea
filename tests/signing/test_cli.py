"""`motcua sign` and `motcua verify`: the contract of issue 15 (JSON report, exit statuses)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.signing.verify import verify_pdf


def run(*args: str, env: dict | None = None) -> tuple[int, str, str]:
    """Run a command in-process; returns (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    old = dict(os.environ)
    os.environ.update(env or {})
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        os.environ.clear()
        os.environ.update(old)
    return code, out.getvalue(), err.getvalue()


def sign_p12(source: Path, out: Path, p12: Path, password: str, *extra: str):
    """`motcua sign SOURCE -o OUT --pkcs12 P12 --password-env PW`, PW holding ``password``."""
    env = {"PW": password}
    args = ["sign", str(source), "-o", str(out), "--pkcs12", str(p12), "--password-env", "PW"]
    return run(*args, *extra, env=env)


@pytest.fixture
def unsigned(tmp_path, result_pdf) -> Path:
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(result_pdf)
    return path


def test_sign_with_pkcs12_then_verify_json(test_pki, unsigned, tmp_path):
    out = tmp_path / "da-ky.pdf"
    code, _stdout, stderr = sign_p12(
        unsigned,
        out,
        test_pki.leader_p12,
        test_pki.password,
        *("--reason", "Ký thử", "--field", "LanhDao"),
    )
    assert code == 0, stderr
    code, stdout, _stderr = run(
        "verify", str(out), "--trust", str(test_pki.trust_pem), "--format", "json"
    )
    assert code == 0
    body = json.loads(stdout)
    assert body["file"] == str(out)
    [sig] = body["signatures"]
    for key in ("signer", "signed_at", "intact", "covers_whole_document", "trusted", "reason"):
        assert key in sig
    assert sig["signer"] == "Nguyễn Văn Lãnh Đạo"
    assert sig["intact"] is sig["covers_whole_document"] is sig["trusted"] is True
    assert sig["reason"] == "Ký thử" and sig["field"] == "LanhDao"
    # Without the trust root, the same file is not trusted.
    _code, stdout, _ = run("verify", str(out), "--format", "json")
    assert json.loads(stdout)["signatures"][0]["trusted"] is False


def test_trust_roots_from_the_setting(settings, test_pki, unsigned, tmp_path):
    out = tmp_path / "da-ky.pdf"
    sign_p12(unsigned, out, test_pki.agency_p12, test_pki.password)
    settings.MOTCUA_TRUST_ROOTS = [str(test_pki.trust_pem)]
    _code, stdout, _ = run("verify", str(out), "--format", "json")
    assert json.loads(stdout)["signatures"][0]["trusted"] is True


def test_sign_twice_keeps_both_signatures(test_pki, unsigned, tmp_path):
    once, twice = tmp_path / "1.pdf", tmp_path / "2.pdf"
    assert sign_p12(unsigned, once, test_pki.leader_p12, test_pki.password)[0] == 0
    assert sign_p12(once, twice, test_pki.agency_p12, test_pki.password)[0] == 0
    first, second = verify_pdf(twice.read_bytes(), test_pki.roots).signatures
    assert first.intact and second.intact and second.covers_whole_document
    assert (first.field, second.field) == ("Signature1", "Signature2")


def test_unsigned_pdf_gives_an_empty_list(unsigned):
    code, stdout, _ = run("verify", str(unsigned), "--format", "json")
    assert code == 0
    assert json.loads(stdout)["signatures"] == []


def test_sign_failures_are_one_line_and_write_nothing(test_pki, unsigned, tmp_path):
    out = tmp_path / "out.pdf"
    code, _, stderr = sign_p12(unsigned, out, test_pki.leader_p12, "sai")
    assert code == 1 and "wrong password" in stderr and not out.exists()
    code, _, stderr = sign_p12(unsigned, out, test_pki.expired_p12, test_pki.password)
    assert code == 1 and "expired" in stderr and not out.exists()
    code, _, stderr = run(
        *("sign", str(unsigned), "-o", str(out), "--pkcs12", str(test_pki.leader_p12)),
        *("--password-env", "NOT_SET_ANYWHERE"),
    )
    assert code == 1 and "NOT_SET_ANYWHERE" in stderr
    code, _, stderr = run("sign", str(unsigned), "-o", str(out))
    assert code == 1 and "--pkcs12" in stderr


def test_sign_with_the_softhsm_token(softhsm_token, test_pki, unsigned, tmp_path):
    out = tmp_path / "token.pdf"
    code, _, stderr = run(
        "sign",
        str(unsigned),
        "-o",
        str(out),
        "--pkcs11-module",
        softhsm_token.module,
        "--token-label",
        softhsm_token.label,
        "--key-label",
        softhsm_token.key_label,
        "--pin-env",
        "TOKEN_PIN",
        env={"TOKEN_PIN": softhsm_token.pin},
    )
    assert code == 0, stderr
    [sig] = verify_pdf(out.read_bytes(), test_pki.roots).signatures
    assert sig.ok
    code, _, stderr = run(
        "sign",
        str(unsigned),
        "-o",
        str(tmp_path / "x.pdf"),
        "--pkcs11-module",
        softhsm_token.module,
        "--token-label",
        softhsm_token.label,
        "--key-label",
        softhsm_token.key_label,
        "--pin-env",
        "TOKEN_PIN",
        env={"TOKEN_PIN": "999999"},
    )
    assert code == 1


def test_not_a_pdf_exits_non_zero_with_one_line(tmp_path):
    """As a real process: one line on stderr, nothing on stdout, a non-zero exit status."""
    path = tmp_path / "not.pdf"
    path.write_text("hello", encoding="utf-8")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "motcua.settings"}
    result = subprocess.run(
        [sys.executable, "-m", "motcua", "verify", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "không phải tệp PDF" in lines[0]  # Vietnamese by default
