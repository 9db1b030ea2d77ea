"""PAdES signing and verification with real keys: a throw-away CA, PKCS#12 files, a test TSA."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from motcua.signing.errors import SigningError
from motcua.signing.keys import Pkcs12Source, load_pkcs12, open_signer
from motcua.signing.loop import outside_event_loop
from motcua.signing.pades import Appearance, SignOptions, sign_pdf, signature_box
from motcua.signing.verify import NotAPdf, verify_pdf

from . import pki


def sign_p12(data: bytes, path: Path, password: str, **options) -> bytes:
    with open_signer(Pkcs12Source(str(path)), password) as signer:
        return sign_pdf(data, signer, SignOptions(**options))


def test_signed_pdf_verifies_intact_whole_and_trusted(test_pki, result_pdf):
    signed = sign_p12(
        result_pdf,
        test_pki.leader_p12,
        test_pki.password,
        reason="Phê duyệt kết quả",
        appearance=Appearance(name="Nguyễn Văn Lãnh Đạo", position="Giám đốc", agency="Sở Tư pháp"),
    )
    assert signed.startswith(result_pdf)  # an incremental update: the original bytes are kept
    report = verify_pdf(signed, test_pki.roots)
    [sig] = report.signatures
    assert sig.signer == "Nguyễn Văn Lãnh Đạo"
    assert "Test Root CA" in sig.issuer
    assert sig.intact and sig.covers_whole_document and sig.trusted
    assert sig.valid_at_signing_time and not sig.expired_now and not sig.timestamped
    assert sig.reason == "Phê duyệt kết quả"
    assert sig.signed_at is not None
    assert sig.ok and sig.problems == []


def test_one_flipped_byte_is_reported(test_pki, result_pdf):
    signed = sign_p12(result_pdf, test_pki.leader_p12, test_pki.password)
    # A byte of the page content (inside the signed range, before the signature's own data).
    start = signed.index(b"stream", signed.index(b"/Length")) + 20
    tampered = bytearray(signed)
    tampered[start] ^= 0x01
    [sig] = verify_pdf(bytes(tampered), test_pki.roots).signatures
    assert not sig.intact
    assert not sig.ok
    assert any("modified" in p for p in sig.problems)


def test_untrusted_certificate_is_reported(test_pki, result_pdf):
    signed = sign_p12(result_pdf, test_pki.untrusted_p12, test_pki.password)
    [sig] = verify_pdf(signed, test_pki.roots).signatures
    assert sig.intact and not sig.trusted and not sig.ok
    assert any("trust root" in p for p in sig.problems)
    # The same file with no trust roots configured: intact, but not trusted either.
    [sig] = verify_pdf(signed, []).signatures
    assert sig.intact and not sig.trusted


def test_expired_certificate_is_refused_for_signing(test_pki, result_pdf):
    with pytest.raises(SigningError, match="expired"):
        sign_p12(result_pdf, test_pki.expired_p12, test_pki.password)


def test_signature_by_an_expired_certificate_is_reported(test_pki, result_pdf):
    # Another tool (pyHanko used directly) does not refuse an expired certificate.
    signer = load_pkcs12(Pkcs12Source(str(test_pki.expired_p12)), test_pki.password)
    out = io.BytesIO()
    outside_event_loop(
        signers.sign_pdf,
        IncrementalPdfFileWriter(io.BytesIO(result_pdf)),
        signers.PdfSignatureMetadata(field_name="Sig"),
        signer=signer,
        output=out,
    )
    [sig] = verify_pdf(out.getvalue(), test_pki.roots).signatures
    assert sig.intact
    assert sig.expired_now and not sig.valid_at_signing_time and not sig.trusted
    assert any("expired" in p for p in sig.problems)


def test_wrong_pkcs12_password(test_pki):
    with pytest.raises(SigningError, match="wrong password"):
        with open_signer(Pkcs12Source(str(test_pki.leader_p12)), "sai"):
            pass


def test_missing_pkcs12_file(tmp_path):
    with pytest.raises(SigningError, match="cannot be read"):
        with open_signer(Pkcs12Source(str(tmp_path / "none.p12")), "x"):
            pass


def test_two_signatures_in_order_each_verifiable(test_pki, result_pdf):
    first = sign_p12(
        result_pdf,
        test_pki.leader_p12,
        test_pki.password,
        reason="Lãnh đạo ký",
        appearance=Appearance(name="Nguyễn Văn Lãnh Đạo", position="Giám đốc"),
    )
    second = sign_p12(
        first,
        test_pki.agency_p12,
        test_pki.password,
        reason="Đóng dấu cơ quan",
        appearance=Appearance(name="Sở Tư pháp thử nghiệm"),
        position_index=1,
    )
    leader, agency = verify_pdf(second, test_pki.roots).signatures
    assert (leader.signer, agency.signer) == ("Nguyễn Văn Lãnh Đạo", "Sở Tư pháp thử nghiệm")
    assert leader.field == "Signature1" and agency.field == "Signature2"
    assert leader.intact and leader.trusted and not leader.covers_whole_document
    # Only a signature was added after the leader's: no content change.
    assert leader.later_changes == "signatures or form filling" and leader.ok
    assert agency.intact and agency.trusted and agency.covers_whole_document and agency.ok
    assert leader.signed_at <= agency.signed_at


def test_timestamp_from_a_timestamp_authority(test_pki, result_pdf):
    signed = sign_p12(
        result_pdf,
        test_pki.leader_p12,
        test_pki.password,
        timestamper=pki.dummy_timestamper(test_pki.ca),
    )
    [sig] = verify_pdf(signed, test_pki.roots).signatures
    assert sig.timestamped and sig.intact and sig.trusted


def test_pdf_signed_by_another_tool_verifies(test_pki, result_pdf):
    """pyHanko used directly with other settings: the legacy adbe.pkcs7.detached subfilter,
    SHA-512, an invisible field, a certification (DocMDP) signature."""
    signer = load_pkcs12(Pkcs12Source(str(test_pki.agency_p12)), test_pki.password)
    writer = IncrementalPdfFileWriter(io.BytesIO(result_pdf))
    fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name="Other"))
    out = io.BytesIO()
    outside_event_loop(
        signers.sign_pdf,
        writer,
        signers.PdfSignatureMetadata(
            field_name="Other",
            md_algorithm="sha512",
            subfilter=fields.SigSeedSubFilter.ADOBE_PKCS7_DETACHED,
            certify=True,
            reason="Other tool",
        ),
        signer=signer,
        output=out,
    )
    [sig] = verify_pdf(out.getvalue(), test_pki.roots).signatures
    assert sig.field == "Other" and sig.reason == "Other tool"
    assert sig.intact and sig.covers_whole_document and sig.trusted and sig.ok


def test_unsigned_pdf_has_no_signatures(result_pdf):
    assert verify_pdf(result_pdf).signatures == []


@pytest.mark.parametrize("data", [b"", b"hello", b"\x89PNG\r\n\x1a\n" + b"0" * 20])
def test_not_a_pdf(data):
    with pytest.raises(NotAPdf):
        verify_pdf(data)


def test_signing_a_non_pdf_is_refused(test_pki):
    with pytest.raises(SigningError, match="not a PDF"):
        sign_p12(b"GIF89a", test_pki.leader_p12, test_pki.password)


def test_visible_block_is_placed_under_the_signature_line(result_pdf):
    from pypdf import PdfReader

    from motcua.signing.pades import _anchors

    page, _box, notes = _anchors(result_pdf)
    assert page == 0 and notes
    note_x, note_y = max(notes)
    index, (x0, y0, x1, y1) = signature_box(result_pdf, 0)
    assert index == 0
    assert y1 < note_y and y1 > note_y - 20  # right under the note
    assert x0 < note_x + 60 < x1  # around the note horizontally
    _index, (_a, _b, _c, second_top) = signature_box(result_pdf, 1)
    assert second_top <= y0  # the second signature goes below the first
    assert PdfReader(io.BytesIO(result_pdf)).pages  # the sample is a real PDF


def test_visible_block_default_place_without_a_signature_line(test_pki):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "No signature line here")
    data = bytes(pdf.output())
    _page, (x0, y0, x1, _y1) = signature_box(data, 0)
    assert x1 > 400 and y0 < 250  # bottom right
    signed = sign_p12(data, test_pki.leader_p12, test_pki.password, appearance=Appearance())
    [sig] = verify_pdf(signed, test_pki.roots).signatures
    assert sig.ok


def test_unreachable_revocation_data_does_not_block_signing(test_pki, result_pdf, tmp_path):
    """LTV is best effort: an OCSP responder that cannot be reached → signed without it."""
    with_ocsp = pki.issue(test_pki.ca, "Có OCSP", ocsp_url="http://127.0.0.1:9/ocsp")
    path = tmp_path / "ocsp.p12"
    path.write_bytes(pki.pkcs12_bytes(with_ocsp, test_pki.ca, "pw"))
    signed = sign_p12(result_pdf, path, "pw", ltv=True, trust_roots=tuple(test_pki.roots))
    [sig] = verify_pdf(signed, test_pki.roots).signatures
    assert sig.signer == "Có OCSP" and sig.intact and sig.trusted
    # The long-term validation path was taken (a document security store with the chain) even
    # though no OCSP answer could be added.
    assert b"/DSS" in signed
    plain = sign_p12(result_pdf, path, "pw", ltv=False, trust_roots=tuple(test_pki.roots))
    assert b"/DSS" not in plain


def test_sign_and_verify_inside_a_running_event_loop(test_pki, result_pdf):
    """An ASGI server (or Playwright in these tests) runs a loop in the thread; pyHanko's sync API
    would fail there with "asyncio.run() cannot be called from a running event loop"."""
    import asyncio

    async def inside():
        signed = sign_p12(result_pdf, test_pki.leader_p12, test_pki.password)
        return verify_pdf(signed, test_pki.roots).signatures

    from concurrent.futures import ThreadPoolExecutor

    # A fresh thread, so that the test also runs when the test session itself has a loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        [sig] = pool.submit(asyncio.run, inside()).result()
    assert sig.ok
