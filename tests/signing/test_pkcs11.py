"""Signing with a key on a PKCS#11 token: a real SoftHSM2 token made in the test (skipped with a
visible warning when Debian's softhsm2 is absent; CI sets MOTCUA_REQUIRE_SOFTHSM=1)."""

from __future__ import annotations

import pytest

from motcua.signing.errors import SigningError
from motcua.signing.keys import Pkcs11Source, open_signer
from motcua.signing.pades import Appearance, SignOptions, sign_pdf
from motcua.signing.verify import verify_pdf


def source(token, **overrides) -> Pkcs11Source:
    values = {"module": token.module, "token_label": token.label, "key_label": token.key_label}
    values.update(overrides)
    return Pkcs11Source(**values)


def test_sign_with_the_token_and_verify(softhsm_token, test_pki, result_pdf):
    with open_signer(source(softhsm_token), softhsm_token.pin) as signer:
        signed = sign_pdf(
            result_pdf,
            signer,
            SignOptions(reason="Ký bằng token", appearance=Appearance(position="Giám đốc")),
        )
    [sig] = verify_pdf(signed, test_pki.roots).signatures
    assert sig.signer == "Nguyễn Văn Lãnh Đạo"
    assert sig.intact and sig.trusted and sig.covers_whole_document and sig.ok


def test_wrong_pin(softhsm_token):
    with pytest.raises(SigningError, match="Wrong PIN"):
        with open_signer(source(softhsm_token), "000000"):
            pass


def test_token_absent(softhsm_token):
    with pytest.raises(SigningError, match="not present"):
        with open_signer(source(softhsm_token, token_label="khong-co"), softhsm_token.pin):
            pass


def test_unknown_key_label(softhsm_token, result_pdf):
    with pytest.raises(SigningError, match="no certificate labelled"):
        with open_signer(source(softhsm_token, key_label="khong-co"), softhsm_token.pin):
            pass


def test_missing_module_is_a_clear_error(tmp_path):
    with pytest.raises(SigningError, match="PKCS#11 module"):
        with open_signer(
            Pkcs11Source(module=str(tmp_path / "none.so"), token_label="t", key_label="k"), "1"
        ):
            pass
