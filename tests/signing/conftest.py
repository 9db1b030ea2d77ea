"""Fixtures of the signing tests: a throw-away PKI (session-wide: RSA keys take a moment), PKCS#12
files, a trust-root PEM file, a sample PDF with a signature line, and a SoftHSM2 token.

Without Debian's softhsm2 the PKCS#11 tests are skipped with a visible warning, unless
MOTCUA_REQUIRE_SOFTHSM=1 (CI), which turns the skip into a failure."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from . import pki

SOFTHSM_SKIP_REASON = "Debian softhsm2 not installed: PKCS#11 (token/HSM) signing tests skipped"
_skipped_softhsm: list[str] = []


def softhsm_required() -> bool:
    return os.environ.get("MOTCUA_REQUIRE_SOFTHSM", "").strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _skipped_softhsm:
        terminalreporter.write_sep("=", "WARNING: SoftHSM2 tests skipped", yellow=True, bold=True)
        terminalreporter.write_line(
            f"{SOFTHSM_SKIP_REASON} ({len(_skipped_softhsm)} test(s)). "
            "Install it with `apt-get install -y softhsm2`."
        )


@dataclass
class Pki:
    ca: pki.Identity
    other_ca: pki.Identity
    leader: pki.Identity
    agency: pki.Identity
    expired: pki.Identity
    dir: Path
    leader_p12: Path
    agency_p12: Path
    expired_p12: Path
    untrusted_p12: Path
    trust_pem: Path
    password: str = "mat-khau-thu"

    @property
    def roots(self):
        return [pki.asn1(self.ca.cert)]


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory) -> Pki:
    directory = tmp_path_factory.mktemp("pki")
    ca = pki.make_ca("Test Root CA")
    other_ca = pki.make_ca("Untrusted Root CA")
    leader = pki.issue(ca, "Nguyễn Văn Lãnh Đạo")
    agency = pki.issue(ca, "Sở Tư pháp thử nghiệm", org="Sở Tư pháp thử nghiệm")
    now = datetime.now(UTC)
    expired = pki.issue(
        ca,
        "Trần Thị Hết Hạn",
        not_before=now - timedelta(days=400),
        not_after=now - timedelta(days=1),
    )
    untrusted = pki.issue(other_ca, "Người Lạ")
    password = "mat-khau-thu"
    files = {}
    for name, identity, issuer in [
        ("leader", leader, ca),
        ("agency", agency, ca),
        ("expired", expired, ca),
        ("untrusted", untrusted, other_ca),
    ]:
        path = directory / f"{name}.p12"
        path.write_bytes(pki.pkcs12_bytes(identity, issuer, password))
        files[name] = path
    trust = directory / "root.pem"
    trust.write_bytes(ca.cert_pem)
    return Pki(
        ca=ca,
        other_ca=other_ca,
        leader=leader,
        agency=agency,
        expired=expired,
        dir=directory,
        leader_p12=files["leader"],
        agency_p12=files["agency"],
        expired_p12=files["expired"],
        untrusted_p12=files["untrusted"],
        trust_pem=trust,
        password=password,
    )


@pytest.fixture(scope="session")
def result_pdf() -> bytes:
    return pki.make_result_pdf()


@pytest.fixture(scope="session")
def softhsm_token(tmp_path_factory, test_pki):
    """A SoftHSM2 token holding the leader's key and certificate (PIN 123456)."""
    if pki.softhsm_module() is None:
        if softhsm_required():
            pytest.fail(
                "MOTCUA_REQUIRE_SOFTHSM=1 but softhsm2 is missing: apt-get install -y softhsm2"
            )
        pytest.skip(SOFTHSM_SKIP_REASON)
    return pki.make_softhsm_token(tmp_path_factory.mktemp("softhsm"), test_pki.leader)


def pytest_collection_modifyitems(config, items):
    if pki.softhsm_module() is not None or softhsm_required():
        return
    for item in items:
        if "softhsm_token" in getattr(item, "fixturenames", ()):
            _skipped_softhsm.append(item.nodeid)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (msgids); the pages' tests pick their language per request."""
    from django.utils import translation

    with translation.override("en"):
        yield
