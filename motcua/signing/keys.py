"""Where a signing key lives: a PKCS#12 file (the agency certificate) or a PKCS#11 token/HSM.

`open_signer(source, secret)` yields a pyHanko signer and always closes the token session. Every
failure becomes a `SigningError` with a message an officer can act on (token absent, wrong PIN,
key not found, expired or not yet valid certificate); the secret (password, PIN) is never logged
or stored.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _
from pyhanko.sign import signers

from .errors import SigningError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pkcs12Source:
    """A PKCS#12 file (.p12/.pfx) holding the key, its certificate and (optionally) the chain."""

    path: str

    def describe(self) -> str:
        return f"PKCS#12 {Path(self.path).name}"


@dataclass(frozen=True)
class Pkcs11Source:
    """A key on a PKCS#11 token or HSM: the module (vendor library), token label and key label.

    The certificate is read from the token (label `cert_label`, default the key label)."""

    module: str
    token_label: str
    key_label: str
    cert_label: str = ""

    def describe(self) -> str:
        return f"PKCS#11 {self.token_label}/{self.key_label}"


KeySource = Pkcs12Source | Pkcs11Source


def check_validity(cert: asn1_x509.Certificate, at: datetime | None = None) -> None:
    """Refuse a certificate outside its validity period at `at` (now): the signature would be
    reported invalid by every verifier."""
    at = at or datetime.now(UTC)
    validity = cert["tbs_certificate"]["validity"]
    not_before = validity["not_before"].native
    not_after = validity["not_after"].native
    name = cert.subject.human_friendly
    if at > not_after:
        raise SigningError(
            _("The certificate “%(name)s” expired on %(date)s: ask for a new certificate.")
            % {"name": name, "date": f"{not_after:%d/%m/%Y}"}
        )
    if at < not_before:
        raise SigningError(
            _("The certificate “%(name)s” is not valid before %(date)s.")
            % {"name": name, "date": f"{not_before:%d/%m/%Y}"}
        )


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner re-parses (and re-validates, ~0.1 s for RSA-2048) the private key on
    every signature; this one parses it once (bench/README.md, "signing")."""

    _loaded = None

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec, rsa
        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
        from pyhanko_certvalidator.util import get_pyca_cryptography_hash

        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            name = mechanism.signature_algo
        except ValueError:
            name = mechanism["algorithm"].native
        if name not in ("rsassa_pkcs1v15", "ecdsa"):
            return super().sign_raw(data, digest_algorithm)
        if self._loaded is None:
            self._loaded = serialization.load_der_private_key(self.signing_key.dump(), None)
        key = self._loaded
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        if name == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, PKCS1v15(), hash_algo)
        if name == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)


def load_pkcs12(source: Pkcs12Source, password: str) -> signers.SimpleSigner:
    try:
        data = Path(source.path).read_bytes()
    except OSError as exc:
        raise SigningError(
            _("The certificate file %(path)s cannot be read (%(error)s).")
            % {"path": source.path, "error": exc.strerror or exc}
        ) from None
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            data, other_certs=(), passphrase=password.encode("utf-8") if password else None
        )
    except (ValueError, TypeError):
        signer = None
    if signer is None:
        raise SigningError(
            _("The certificate file cannot be opened: wrong password or not a PKCS#12 file.")
        )
    signer.__class__ = _LoadedKeySigner
    return signer


@contextlib.contextmanager
def _pkcs11_session(source: Pkcs11Source, pin: str) -> Iterator[object]:
    import pkcs11
    from pkcs11 import exceptions as p11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.general import SigningError as HankoSigningError
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    try:
        # Loading the vendor library first tells "no driver" apart from "no token".
        pkcs11.lib(source.module)
    except (OSError, RuntimeError, pkcs11.PKCS11Error) as exc:
        logger.warning("PKCS#11 module %s failed: %r", source.module, exc)
        raise SigningError(
            _("The token driver (PKCS#11 module) cannot be used: %(module)s.")
            % {"module": source.module}
        ) from None
    absent = SigningError(
        _("The signing token “%(token)s” is not present: plug it in and try again.")
        % {"token": source.token_label}
    )
    try:
        session = open_pkcs11_session(
            source.module, token_criteria=TokenCriteria(label=source.token_label), user_pin=pin
        )
    except (p11.PinIncorrect, p11.PinLenRange, p11.PinInvalid):
        raise SigningError(
            _("Wrong PIN for the token “%(token)s”.") % {"token": source.token_label}
        ) from None
    except p11.PinLocked:
        raise SigningError(
            _("The PIN of the token “%(token)s” is locked: ask the administrator to unlock it.")
            % {"token": source.token_label}
        ) from None
    except (p11.NoSuchToken, p11.TokenNotPresent, p11.DeviceRemoved, HankoSigningError):
        raise absent from None
    except pkcs11.PKCS11Error as exc:
        logger.warning("PKCS#11 token %s: %r", source.token_label, exc)
        if "token" in str(exc).lower():
            raise absent from None
        raise SigningError(
            _("The token “%(token)s” cannot be used: %(error)s")
            % {"token": source.token_label, "error": exc}
        ) from None
    try:
        yield session
    finally:
        with contextlib.suppress(Exception):
            session.close()


@contextlib.contextmanager
def open_signer(source: KeySource, secret: str) -> Iterator[signers.Signer]:
    """A pyHanko signer for `source`, unlocked with `secret` (PKCS#12 password or token PIN).

    The certificate's validity is checked first: an expired certificate is refused here rather
    than producing a signature every verifier rejects."""
    if isinstance(source, Pkcs12Source):
        signer = load_pkcs12(source, secret)
        assert signer.signing_cert is not None
        check_validity(signer.signing_cert)
        yield signer
        return
    import pkcs11
    from pkcs11 import exceptions as p11
    from pyhanko.sign.general import SigningError as HankoSigningError
    from pyhanko.sign.pkcs11 import PKCS11Signer

    with _pkcs11_session(source, secret) as session:
        p11_signer = PKCS11Signer(
            session,  # type: ignore[arg-type]
            key_label=source.key_label,
            cert_label=source.cert_label or source.key_label,
        )
        try:
            cert = p11_signer.signing_cert
        except (p11.NoSuchKey, p11.MultipleObjectsReturned, HankoSigningError, pkcs11.PKCS11Error):
            raise SigningError(
                _("The token “%(token)s” has no certificate labelled “%(label)s”.")
                % {"token": source.token_label, "label": source.cert_label or source.key_label}
            ) from None
        assert cert is not None
        check_validity(cert)
        yield p11_signer
