"""A throw-away PKI made in the test: root CA, signer certificates, PKCS#12 files, a TSA, and a
SoftHSM2 token. Real keys, real certificates (the `cryptography` package); nothing is downloaded.
Used by tests/signing/ and bench/signing_bench.py."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SOFTHSM_MODULE_CANDIDATES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
)


def softhsm_module() -> str | None:
    """The SoftHSM2 PKCS#11 module and tool, when Debian's softhsm2 is installed."""
    if not shutil.which("softhsm2-util"):
        return None
    return next((path for path in SOFTHSM_MODULE_CANDIDATES if os.path.exists(path)), None)


def _name(common_name: str, org: str = "Sở Tư pháp thử nghiệm") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


@dataclass
class Identity:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def cert_der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    def key_pkcs8_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def _key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def make_ca(common_name: str = "Test Root CA") -> Identity:
    key = _key()
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=3650))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Identity(key, cert)


def issue(
    ca: Identity,
    common_name: str,
    *,
    org: str = "Sở Tư pháp thử nghiệm",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    tsa: bool = False,
    ocsp_url: str = "",
) -> Identity:
    """A signing (or timestamping) certificate issued by `ca`."""
    key = _key()
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, org))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(days=30))
        .not_valid_after(not_after or now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not tsa,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
            critical=False,
        )
    )
    if ocsp_url:
        builder = builder.add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        x509.oid.AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier(ocsp_url),
                    )
                ]
            ),
            critical=False,
        )
    if tsa:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return Identity(key, builder.sign(ca.key, hashes.SHA256()))


def pkcs12_bytes(identity: Identity, ca: Identity | None, password: str) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        name=b"motcua-test",
        key=identity.key,
        cert=identity.cert,
        cas=[ca.cert] if ca else None,
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
    )


def asn1(cert: x509.Certificate):
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def dummy_timestamper(ca: Identity):
    """An in-process RFC 3161 authority (pyHanko's test TSA) with a certificate from `ca`."""
    from asn1crypto import keys
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    tsa = issue(ca, "Test TSA", tsa=True)
    key_der = tsa.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return DummyTimeStamper(
        tsa_cert=asn1(tsa.cert),
        tsa_key=keys.PrivateKeyInfo.load(key_der),
        certs_to_embed=[asn1(ca.cert)],
    )


@dataclass
class SoftToken:
    module: str
    conf: Path
    label: str
    pin: str
    key_label: str


def make_softhsm_token(
    directory: Path, identity: Identity, *, label: str = "motcua-test", pin: str = "123456"
) -> SoftToken:
    """A SoftHSM2 token in `directory` holding `identity`'s key and certificate.

    Sets SOFTHSM2_CONF for this process (the module reads it when loaded)."""
    module = softhsm_module()
    assert module, "softhsm2 is not installed"
    tokens = directory / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = directory / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n",
        encoding="utf-8",
    )
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    os.environ["SOFTHSM2_CONF"] = str(conf)
    run = {"check": True, "env": env, "capture_output": True}
    subprocess.run(  # noqa: S603 - fixed arguments, test helper
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            label,
            "--so-pin",
            "0000" + pin,
            "--pin",
            pin,
        ],
        **run,
    )
    key_file = directory / "key.pem"
    key_file.write_bytes(identity.key_pkcs8_pem())
    key_label = "signing-key"
    subprocess.run(  # noqa: S603
        [
            "softhsm2-util",
            "--import",
            str(key_file),
            "--token",
            label,
            "--label",
            key_label,
            "--id",
            "01",
            "--pin",
            pin,
        ],
        **run,
    )
    key_file.unlink()
    # The certificate next to the key, as a token from a certification authority carries it.
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    lib = pkcs11.lib(module)
    token = lib.get_token(token_label=label)
    with token.open(rw=True, user_pin=pin) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: key_label,
                Attribute.ID: b"\x01",
                Attribute.VALUE: identity.cert_der,
                Attribute.SUBJECT: identity.cert.subject.public_bytes(),
            }
        )
    return SoftToken(module=module, conf=conf, label=label, pin=pin, key_label=key_label)


def make_result_pdf(pages: int = 1) -> bytes:
    """A result document like motcua's printed forms: Vietnamese text and a signature line."""
    from fpdf import FPDF

    from motcua.signing.pades import FONT

    pdf = FPDF(format="A4", unit="mm")
    pdf.add_font("S", "", str(FONT))
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("S", size=12)
        pdf.multi_cell(
            0, 7, f"PHIẾU LÝ LỊCH TƯ PHÁP SỐ 1 — trang {number}/{pages}\n" + "Nội dung. " * 80
        )
    pdf.ln(10)
    pdf.set_x(110)
    pdf.cell(80, 7, "GIÁM ĐỐC", align="C")
    pdf.ln(7)
    pdf.set_x(110)
    pdf.cell(80, 7, "(Ký, ghi rõ họ tên và đóng dấu)", align="C")
    return bytes(pdf.output())
