"""Sign a PDF in PAdES (baseline B-B, B-T with a timestamp authority, B-LT with revocation data).

One call adds one signature as an incremental update, so earlier signatures stay valid: the
leader's personal signature first, then the agency's (issue 15). The visible block (name,
position, agency, time, and optionally a QR code to the public verification page) is placed under
the form's own signature note — the "(Ký, ghi rõ họ tên…)" line of motcua's printed forms and of
most official documents — on the last page, or at the bottom right when the page has none.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import TimeStamper
from pyhanko_certvalidator import ValidationContext

from .errors import SigningError
from .loop import outside_event_loop

logger = logging.getLogger(__name__)
# fontTools logs every glyph subset at INFO (the visible block embeds a font subset): noise.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT = Path(__file__).resolve().parents[1] / "static" / "fonts" / "SourceSerifPro-Regular.ttf"
TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
BOX_WIDTH, BOX_HEIGHT = 230.0, 78.0
#: The note under a signature line on Vietnamese forms: "(Ký, ghi rõ họ tên…)", "(Ký tên…)".
SIGNATURE_NOTE = re.compile(r"\(\s*Ký\b", re.IGNORECASE)


@dataclass(frozen=True)
class Appearance:
    """What the visible block says; empty parts are left out."""

    name: str = ""
    position: str = ""
    agency: str = ""
    #: A link shown as a QR code in the block (the public verification page), or "".
    url: str = ""


@dataclass(frozen=True)
class SignOptions:
    field_name: str = ""
    reason: str = ""
    location: str = ""
    appearance: Appearance | None = None
    #: An RFC 3161 timestamp authority (HTTPTimeStamper for a configured URL), or None.
    timestamper: TimeStamper | None = None
    #: Embed revocation data (OCSP/CRL) when the certificate points to it: best effort.
    ltv: bool = False
    trust_roots: tuple[asn1_x509.Certificate, ...] = ()
    #: How many signatures are already on the document (0: this is the first). Places the block.
    position_index: int = 0


def cert_display_name(cert: asn1_x509.Certificate) -> str:
    subject = cert.subject.native
    return str(subject.get("common_name") or cert.subject.human_friendly)


def _anchors(
    data: bytes,
) -> tuple[int, tuple[float, float, float, float], list[tuple[float, float]]]:
    """The last page's index, media box, and the positions of its signature notes."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    index = len(reader.pages) - 1
    page = reader.pages[index]
    box = tuple(float(v) for v in page.mediabox)
    found: list[tuple[float, float]] = []

    def visit(text, cm, tm, _font, _size):  # pypdf's visitor signature
        if text and SIGNATURE_NOTE.search(text):
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            found.append((x, y))

    try:
        page.extract_text(visitor_text=visit)
    except Exception:  # noqa: BLE001 - a page we cannot read just gets the default place
        logger.info("signature note search failed; default placement", exc_info=True)
    return index, box, found  # type: ignore[return-value]


def signature_box(data: bytes, index: int) -> tuple[int, tuple[int, int, int, int]]:
    """Page and box of the `index`-th visible signature (0: the first)."""
    page, (x0, y0, x1, y1), notes = _anchors(data)
    if notes:
        # The rightmost note is the signing authority's (left: the preparer, right: the head).
        nx, ny = max(notes, key=lambda p: (p[0], -p[1]))
        centre = min(max(nx + 60, x0 + BOX_WIDTH / 2 + 20), x1 - BOX_WIDTH / 2 - 20)
        top = ny - 6 - index * (BOX_HEIGHT + 4)
    else:
        centre = x1 - 40 - BOX_WIDTH / 2
        top = y0 + 40 + BOX_HEIGHT + (1 - index) * (BOX_HEIGHT + 4)
    top = max(top, y0 + 20 + BOX_HEIGHT)
    return page, (
        round(centre - BOX_WIDTH / 2),
        round(top - BOX_HEIGHT),
        round(centre + BOX_WIDTH / 2),
        round(top),
    )


def _stamp_style(appearance: Appearance):
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import QRStampStyle, TextStampStyle

    lines = [_("Signed by: %(name)s") % {"name": "%(signer)s"}]
    if appearance.position:
        lines.append(_("Position: %(position)s") % {"position": "%(position)s"})
    if appearance.agency:
        lines.append(_("Agency: %(agency)s") % {"agency": "%(agency)s"})
    lines.append(_("Signed at: %(time)s") % {"time": "%(time)s"})
    text_style = TextBoxStyle(font=GlyphAccumulatorFactory(str(FONT)), font_size=8)
    common = {
        "stamp_text": "\n".join(lines),
        "text_box_style": text_style,
        "border_width": 1,
        "background": None,
    }
    if appearance.url:
        return QRStampStyle(**common)
    return TextStampStyle(**common)


def _meta(options: SignOptions, field_name: str, *, ltv: bool) -> signers.PdfSignatureMetadata:
    return signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=options.reason or None,
        location=options.location or None,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=ltv,
        validation_context=(
            ValidationContext(trust_roots=list(options.trust_roots), allow_fetching=True)
            if ltv
            else None
        ),
    )


def _has_revocation_pointers(cert: asn1_x509.Certificate) -> bool:
    return bool(cert.ocsp_urls or cert.crl_distribution_points)


def sign_pdf(data: bytes, signer: signers.Signer, options: SignOptions) -> bytes:
    """`data` with one more PAdES signature by `signer`; raises SigningError, never half-done."""
    if not data.startswith(b"%PDF-"):
        raise SigningError(_("The file is not a PDF document."))
    cert = signer.signing_cert
    assert cert is not None
    field_name = options.field_name or f"Signature{options.position_index + 1}"
    appearance = options.appearance
    spec = None
    stamp = None
    params: dict[str, str] = {}
    if appearance is not None:
        page, box = signature_box(data, options.position_index)
        spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=box)
        stamp = _stamp_style(appearance)
        params = {
            "position": appearance.position,
            "agency": appearance.agency,
            "time": datetime.now(TIME_ZONE).strftime("%H:%M:%S %d/%m/%Y"),
        }
        if appearance.name:
            params["signer"] = appearance.name
        if appearance.url:
            params["url"] = appearance.url
    want_ltv = options.ltv and bool(options.trust_roots) and _has_revocation_pointers(cert)
    attempts = [True, False] if want_ltv else [False]
    for ltv in attempts:
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
            pdf_signer = signers.PdfSigner(
                _meta(options, field_name, ltv=ltv),
                signer=signer,
                timestamper=options.timestamper,
                stamp_style=stamp,
                new_field_spec=spec,
            )
            out = io.BytesIO()
            outside_event_loop(
                pdf_signer.sign_pdf,
                writer,
                output=out,
                appearance_text_params=params or None,
            )
            return out.getvalue()
        except SigningError:
            raise
        except (PdfError, ValueError, KeyError) as exc:
            if ltv:
                logger.warning("LTV data could not be embedded, signing without: %r", exc)
                continue
            raise SigningError(
                _("The PDF file cannot be signed: %(error)s") % {"error": exc}
            ) from None
        except Exception as exc:
            if ltv:
                logger.warning("LTV data could not be embedded, signing without: %r", exc)
                continue
            raise _translate(exc) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _translate(exc: Exception) -> SigningError:
    """A token or timestamp failure in the middle of signing, as a message for the officer."""
    name = type(exc).__name__
    logger.warning("signing failed: %r", exc)
    if name in {"PinIncorrect", "UserNotLoggedIn", "PinExpired"}:
        return SigningError(_("The token refused the PIN."))
    if name in {"NoSuchKey", "MultipleObjectsReturned"}:
        return SigningError(_("The signing key was not found on the token."))
    if name in {"TokenNotPresent", "DeviceRemoved", "SessionClosed", "SessionHandleInvalid"}:
        return SigningError(_("The token was removed during signing: plug it in and try again."))
    if "Timestamp" in name or "TSA" in str(exc) or "timestamp" in str(exc).lower():
        return SigningError(
            _("The timestamp authority did not answer; try again later or ask the administrator.")
        )
    return SigningError(_("Signing failed: %(error)s") % {"error": exc})
