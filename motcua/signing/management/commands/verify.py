"""`motcua verify FILE.pdf [--trust CA.pem ...] [--format json]`.

Prints each signature: signer, signing time, intact since that signature, covers the whole
document, chains to a trust root (the --trust files, else MOTCUA_TRUST_ROOTS), reason. An unsigned
PDF gives `"signatures": []` (exit 0); a file that is not a PDF: one line on stderr, exit 1.
Exit 0 also when a signature has problems: read the report (`ok` of each signature).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from motcua.core.cli import install_one_line_errors
from motcua.signing import conf
from motcua.signing.verify import NotAPdf, load_trust_roots, verify_pdf


class Command(BaseCommand):
    help = "Verify the digital signatures of a PDF file."

    def create_parser(self, prog_name, subcommand, **kwargs):
        return install_one_line_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the PDF file")
        parser.add_argument(
            "--trust", action="append", default=[], help="a trust root (PEM file); repeatable"
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def _fail(self, message: str) -> None:
        self.stderr.write(f"lỗi: {message}")
        sys.exit(1)

    def handle(self, *args, **options):
        path = options["file"]
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            self._fail(f"cannot read {path}: {exc.strerror}")
        try:
            roots = load_trust_roots(options["trust"]) if options["trust"] else conf.trust_roots()
        except ValueError as exc:
            self._fail(str(exc))
        try:
            report = verify_pdf(data, roots)
        except NotAPdf as exc:
            self._fail(f"{path}: {exc}")
        if options["format"] == "json":
            body = {
                "file": path,
                "sha256": report.sha256,
                "signatures": [s.as_json() | {"ok": s.ok} for s in report.signatures],
            }
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{path} · SHA-256 {report.sha256}")
        if not report.signatures:
            self.stdout.write("không có chữ ký số (no signature)")
        for number, s in enumerate(report.signatures, 1):
            mark = "OK" if s.ok else "CÓ VẤN ĐỀ"
            when = s.signed_at.isoformat() if s.signed_at else "?"
            self.stdout.write(f"{number}. [{mark}] {s.signer} · {when}")
            self.stdout.write(
                f"   intact={s.intact} covers_whole_document={s.covers_whole_document} "
                f"trusted={s.trusted} valid_at_signing_time={s.valid_at_signing_time} "
                f"timestamped={s.timestamped}"
            )
            if s.reason:
                self.stdout.write(f"   reason: {s.reason}")
            for problem in s.problems:
                self.stdout.write(f"   - {problem}")
