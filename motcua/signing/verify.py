"""Verify the signatures of a PDF: for each one, who signed and when, whether the document is intact
since that signature and whether the signature covers the whole file, whether the certificate
chains to a configured trust root, and whether it was valid at the signing time (issue 15).

Nothing is fetched from the network while verifying (revocation data embedded in the file is used
when present); the trust roots are configuration (`MOTCUA_TRUST_ROOTS`, PEM files).
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _

from .loop import outside_event_loop

logger = logging.getLogger(__name__)
# pyHanko logs a traceback at WARNING for every certificate that does not chain to a trust root;
# an untrusted signature is a finding of the report here, not a server problem.
logging.getLogger("pyhanko.sign.validation.generic_cms").setLevel(logging.ERROR)


class NotAPdf(ValueError):
    """The bytes are not a readable PDF document (the message says why, in one line)."""


@dataclass
class SignatureReport:
    """One signature of a PDF, as the CLI (`motcua verify --format json`) and the API show it."""

    field: str
    signer: str
    subject: str
    issuer: str
    signed_at: datetime | None
    timestamped: bool
    intact: bool
    covers_whole_document: bool
    trusted: bool
    valid_at_signing_time: bool
    expired_now: bool
    reason: str
    #: What changed after this signature: "none", "signatures or validation data", "form filling",
    #: "annotations", "other" ("" when unknown).
    later_changes: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and self.valid_at_signing_time and not self.problems

    def as_json(self) -> dict:
        out = asdict(self)
        out["signed_at"] = self.signed_at.isoformat() if self.signed_at else None
        return out


@dataclass
class PdfReport:
    sha256: str
    signatures: list[SignatureReport]


def load_trust_roots(paths: Iterable[str | Path]) -> list[asn1_x509.Certificate]:
    """Certificates of PEM (or DER) files; a missing or unreadable file raises ValueError."""
    from pyhanko.keys.pemder import load_certs_from_pemder_data

    roots: list[asn1_x509.Certificate] = []
    for path in paths:
        try:
            found = list(load_certs_from_pemder_data(Path(path).read_bytes()))
        except OSError as exc:
            raise ValueError(f"trust root {path}: {exc.strerror or exc}") from exc
        except ValueError as exc:
            raise ValueError(f"trust root {path}: not a PEM or DER certificate ({exc})") from exc
        if not found:
            raise ValueError(f"trust root {path}: no certificate in the file")
        roots.extend(found)
    return roots


_CHANGES = {
    "NONE": "none",
    "LTA_UPDATES": "signatures or validation data",
    "FORM_FILLING": "signatures or form filling",
    "ANNOTATIONS": "annotations",
    "OTHER": "other",
}


def _cert_period(cert: asn1_x509.Certificate) -> tuple[datetime, datetime]:
    validity = cert["tbs_certificate"]["validity"]
    return validity["not_before"].native, validity["not_after"].native


def _name(cert: asn1_x509.Certificate | None) -> str:
    if cert is None:
        return ""
    native = cert.subject.native
    return str(native.get("common_name") or cert.subject.human_friendly)


def _report(embedded, context_roots: Sequence[asn1_x509.Certificate]) -> SignatureReport:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    problems: list[str] = []
    cert = None
    try:
        cert = embedded.signer_cert
    except Exception:  # noqa: BLE001 - a damaged CMS blob is reported, not raised
        problems.append(_("The signature data is damaged."))
    reason = ""
    try:
        reason = str(embedded.sig_object.get("/Reason", "") or "")
    except Exception:  # noqa: BLE001
        reason = ""
    report = SignatureReport(
        field=str(embedded.field_name or ""),
        signer=_name(cert),
        subject=cert.subject.human_friendly if cert is not None else "",
        issuer=cert.issuer.human_friendly if cert is not None else "",
        signed_at=None,
        timestamped=False,
        intact=False,
        covers_whole_document=False,
        trusted=False,
        valid_at_signing_time=False,
        expired_now=False,
        reason=reason,
        problems=problems,
    )
    if cert is None:
        return report
    context = ValidationContext(trust_roots=list(context_roots), allow_fetching=False)
    try:
        status = outside_event_loop(validate_pdf_signature, embedded, context)
    except Exception as exc:  # noqa: BLE001 - any failure of a signature is a finding
        logger.info("signature validation failed: %r", exc)
        problems.append(_("The signature cannot be validated: the file was altered or damaged."))
        return report
    ts = status.timestamp_validity
    report.timestamped = ts is not None
    report.signed_at = (ts.timestamp if ts is not None else None) or status.signer_reported_dt
    report.intact = bool(status.intact and status.valid)
    report.covers_whole_document = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    report.trusted = bool(status.trusted)
    level = getattr(status, "modification_level", None)
    report.later_changes = _CHANGES.get(getattr(level, "name", ""), "")
    not_before, not_after = _cert_period(cert)
    now = datetime.now(UTC)
    report.expired_now = now > not_after
    when = report.signed_at or now
    report.valid_at_signing_time = not_before <= when <= not_after
    if not report.intact:
        problems.append(_("The document was modified after this signature."))
    elif not report.covers_whole_document and report.later_changes == "other":
        problems.append(_("Content was added after this signature."))
    if not report.valid_at_signing_time:
        problems.append(_("The certificate was not valid at the signing time."))
    if report.expired_now:
        problems.append(
            _("The certificate expired on %(date)s.") % {"date": f"{not_after:%d/%m/%Y}"}
        )
    if report.intact and not report.trusted:
        problems.append(_("The certificate does not chain to a configured trust root."))
    return report


def verify_pdf(data: bytes, trust_roots: Sequence[asn1_x509.Certificate] = ()) -> PdfReport:
    """Every signature of the PDF `data`, in document order; `NotAPdf` for anything else."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not data.startswith(b"%PDF-"):
        raise NotAPdf(_("not a PDF file (it does not start with %PDF-)"))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise NotAPdf(_("the PDF cannot be read: %(error)s") % {"error": exc}) from None
    return PdfReport(
        sha256=hashlib.sha256(data).hexdigest(),
        signatures=[_report(sig, trust_roots) for sig in embedded],
    )
