"""`motcua sign IN.pdf -o OUT.pdf (--pkcs12 FILE --password-env VAR | --pkcs11-module LIB
--token-label L --key-label K --pin-env VAR) [--reason TEXT] [--field NAME]`.

PAdES signature for batch and scripted use; the secret is read from the named environment variable
(never from the command line, which other users of the machine can see). A timestamp is added when
MOTCUA_TSA_URL is set. Bad input or a failed signature: one line on stderr, exit 1, no output file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from motcua.core.cli import install_one_line_errors
from motcua.signing import conf
from motcua.signing.errors import SigningError
from motcua.signing.keys import KeySource, Pkcs11Source, Pkcs12Source, open_signer
from motcua.signing.pades import Appearance, SignOptions, cert_display_name, sign_pdf


class Command(BaseCommand):
    help = "Sign a PDF (PAdES) with a PKCS#12 file or a key on a PKCS#11 token/HSM."

    def create_parser(self, prog_name, subcommand, **kwargs):
        return install_one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="the PDF to sign")
        parser.add_argument("-o", "--output", required=True, help="the signed PDF to write")
        parser.add_argument("--pkcs12", help="a .p12/.pfx file with the key and certificate")
        parser.add_argument("--password-env", help="environment variable holding its password")
        parser.add_argument("--pkcs11-module", help="the token's PKCS#11 library (.so)")
        parser.add_argument("--token-label", help="label of the token")
        parser.add_argument("--key-label", help="label of the key (and of its certificate)")
        parser.add_argument("--pin-env", help="environment variable holding the token PIN")
        parser.add_argument("--reason", default="", help="reason recorded in the signature")
        parser.add_argument("--field", default="", help="signature field name (existing or new)")
        parser.add_argument("--invisible", action="store_true", help="no visible signature block")

    def _fail(self, message: str) -> None:
        self.stderr.write(f"lỗi: {message}")
        sys.exit(1)

    def _secret(self, var: str | None, what: str) -> str:
        if not var:
            self._fail(f"{what}: give the environment variable that holds it")
        value = os.environ.get(var or "")
        if value is None:
            self._fail(f"environment variable {var} is not set")
        return value or ""

    def _source(self, options) -> tuple[KeySource, str]:
        if options["pkcs12"] and options["pkcs11_module"]:
            self._fail("use either --pkcs12 or --pkcs11-module, not both")
        if options["pkcs12"]:
            return Pkcs12Source(options["pkcs12"]), self._secret(
                options["password_env"], "--password-env"
            )
        if options["pkcs11_module"]:
            if not (options["token_label"] and options["key_label"]):
                self._fail("--pkcs11-module needs --token-label and --key-label")
            source = Pkcs11Source(
                module=options["pkcs11_module"],
                token_label=options["token_label"],
                key_label=options["key_label"],
            )
            return source, self._secret(options["pin_env"], "--pin-env")
        self._fail("give a key: --pkcs12 FILE or --pkcs11-module LIB")
        raise AssertionError  # pragma: no cover

    def handle(self, *args, **options):
        source, secret = self._source(options)
        try:
            data = Path(options["input"]).read_bytes()
        except OSError as exc:
            self._fail(f"cannot read {options['input']}: {exc.strerror}")
        try:
            with open_signer(source, secret) as signer:
                cert = signer.signing_cert
                appearance = None
                if not options["invisible"]:
                    appearance = Appearance(name=cert_display_name(cert))
                signed = sign_pdf(
                    data,
                    signer,
                    SignOptions(
                        field_name=options["field"],
                        reason=options["reason"],
                        appearance=appearance,
                        timestamper=conf.timestamper(),
                        ltv=conf.ltv(),
                        trust_roots=conf.trust_roots(),
                        position_index=_existing_signatures(data),
                    ),
                )
        except SigningError as exc:
            self._fail(str(exc))
        try:
            Path(options["output"]).write_bytes(signed)
        except OSError as exc:
            self._fail(f"cannot write {options['output']}: {exc.strerror}")
        self.stderr.write(f"{options['output']}: {cert_display_name(cert)}")


def _existing_signatures(data: bytes) -> int:
    """How many signatures the PDF has already (places the new visible block below them)."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return len(PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures)
    except Exception:  # noqa: BLE001 - sign_pdf reports an unreadable file
        return 0
