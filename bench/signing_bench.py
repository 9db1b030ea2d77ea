"""Benchmark of PDF signing and verification (motcua.signing), beside raw signing of the same bytes.

Run from the repository root:

    .venv/bin/python bench/signing_bench.py [--n 30] [--verify-runs 20]

1. PAdES signatures per second with a PKCS#12 key (RSA-2048, SHA-256), invisible and with the
   visible Vietnamese block (font subset embedded), of a 1-page result;
2. the same with the key on a SoftHSM2 token (PKCS#11; skipped when softhsm2 is absent);
3. peers on the same bytes: raw RSA signing with `cryptography`, `openssl cms -sign` (one process
   per signature, like a shell script would do), and a raw PKCS#11 `C_Sign` on the same token;
4. verification time of a 10-page result signed twice (leader with a timestamp, then agency):
   motcua.signing.verify_pdf against `openssl cms -verify` of the two CMS blobs (byte ranges
   extracted beforehand, not timed).

Keys, certificates and the token are made in a temporary directory (tests/signing/pki.py) and
removed at the end. Nothing is written to the repository.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_SECRET_KEY", "bench-" + "x" * 40)


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def rate(fn, n: int) -> tuple[float, float]:
    """(operations per second, median ms) over n calls, after one warm-up call."""
    fn()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return n / sum(times), statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=30, help="signatures per measure")
    parser.add_argument("--verify-runs", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    from django.utils import translation

    from motcua.signing.keys import Pkcs11Source, Pkcs12Source, open_signer
    from motcua.signing.pades import Appearance, SignOptions, sign_pdf
    from motcua.signing.verify import verify_pdf

    translation.activate("vi")
    pki = _load("bench_pki", ROOT / "tests" / "signing" / "pki.py")
    make_result_pdf = pki.make_result_pdf

    work = Path(tempfile.mkdtemp(prefix="motcua-sign-bench-"))
    rows: list[tuple[str, str, str]] = []
    try:
        ca = pki.make_ca()
        leader = pki.issue(ca, "Nguyễn Văn Lãnh Đạo")
        agency = pki.issue(ca, "Sở Tư pháp thử nghiệm")
        password = "bench"
        leader_p12 = work / "leader.p12"
        leader_p12.write_bytes(pki.pkcs12_bytes(leader, ca, password))
        agency_p12 = work / "agency.p12"
        agency_p12.write_bytes(pki.pkcs12_bytes(agency, ca, password))
        (work / "root.pem").write_bytes(ca.cert_pem)
        (work / "leader.pem").write_bytes(leader.cert_pem + leader.key_pkcs8_pem())
        one_page = make_result_pdf(1)
        (work / "one.pdf").write_bytes(one_page)

        # 1. PKCS#12
        with open_signer(Pkcs12Source(str(leader_p12)), password) as signer:
            p12_inv, p12_inv_ms = rate(lambda: sign_pdf(one_page, signer, SignOptions()), args.n)
            visible = SignOptions(
                appearance=Appearance(name="Nguyễn Văn Lãnh Đạo", position="Giám đốc")
            )
            p12_vis, p12_vis_ms = rate(lambda: sign_pdf(one_page, signer, visible), args.n)
        # 3. peers on the same bytes
        raw, raw_ms = rate(
            lambda: leader.key.sign(one_page, padding.PKCS1v15(), hashes.SHA256()), args.n * 10
        )
        openssl = shutil.which("openssl")
        if openssl:
            cms_cmd = [
                openssl, "cms", "-sign", "-binary", "-outform", "DER", "-md", "sha256",
                "-in", str(work / "one.pdf"), "-signer", str(work / "leader.pem"),
                "-out", str(work / "one.p7s"),
            ]  # fmt: skip
            cms, cms_ms = rate(lambda: subprocess.run(cms_cmd, check=True), args.n)  # noqa: S603
        rows.append(("PKCS#12, PAdES invisible", f"{p12_inv:.1f}/s", f"{p12_inv_ms:.1f} ms"))
        rows.append(("PKCS#12, PAdES visible block", f"{p12_vis:.1f}/s", f"{p12_vis_ms:.1f} ms"))
        rows.append(("peer: cryptography RSA sign", f"{raw:.0f}/s", f"{raw_ms:.2f} ms"))
        if openssl:
            rows.append(("peer: openssl cms -sign (process)", f"{cms:.1f}/s", f"{cms_ms:.1f} ms"))

        # 2. SoftHSM2
        module = pki.softhsm_module()
        if module:
            token = pki.make_softhsm_token(work / "hsm", leader)
            source = Pkcs11Source(module=module, token_label=token.label, key_label=token.key_label)
            with open_signer(source, token.pin) as signer:
                hsm_inv, hsm_ms = rate(lambda: sign_pdf(one_page, signer, SignOptions()), args.n)
            import pkcs11
            from pkcs11 import KeyType, Mechanism, ObjectClass

            lib = pkcs11.lib(module)
            with lib.get_token(token_label=token.label).open(user_pin=token.pin) as session:
                key = session.get_key(ObjectClass.PRIVATE_KEY, KeyType.RSA, label=token.key_label)
                p11, p11_ms = rate(
                    lambda: key.sign(one_page, mechanism=Mechanism.SHA256_RSA_PKCS), args.n * 10
                )
            rows.append(("SoftHSM2, PAdES invisible", f"{hsm_inv:.1f}/s", f"{hsm_ms:.1f} ms"))
            rows.append(("peer: raw PKCS#11 C_Sign (SoftHSM2)", f"{p11:.0f}/s", f"{p11_ms:.2f} ms"))
        else:
            print("softhsm2 not installed: PKCS#11 measures skipped")

        # 4. verification of a 10-page result signed twice
        ten = make_result_pdf(10)
        stamper = pki.dummy_timestamper(ca)
        with open_signer(Pkcs12Source(str(leader_p12)), password) as signer:
            ten = sign_pdf(
                ten,
                signer,
                SignOptions(appearance=Appearance(name="Lãnh đạo"), timestamper=stamper),
            )
        with open_signer(Pkcs12Source(str(agency_p12)), password) as signer:
            ten = sign_pdf(
                ten, signer, SignOptions(appearance=Appearance(name="Cơ quan"), position_index=1)
            )
        roots = [pki.asn1(ca.cert)]
        report = verify_pdf(ten, roots)
        assert len(report.signatures) == 2 and all(s.ok for s in report.signatures), report
        ver, ver_ms = rate(lambda: verify_pdf(ten, roots), args.verify_runs)
        rows.append(
            (f"verify 10-page PDF, 2 signatures ({len(ten) // 1024} KiB)", f"{ver:.1f}/s", f"{ver_ms:.1f} ms")
        )  # fmt: skip
        if openssl:
            import io

            from pyhanko.pdf_utils.reader import PdfFileReader

            cmds = []
            for i, sig in enumerate(PdfFileReader(io.BytesIO(ten)).embedded_signatures):
                a, b, c, d = sig.byte_range
                (work / f"s{i}.bin").write_bytes(ten[a : a + b] + ten[c : c + d])
                (work / f"s{i}.p7s").write_bytes(sig.pkcs7_content)
                cmds.append(
                    [
                        openssl,
                        "cms",
                        "-verify",
                        "-binary",
                        "-inform",
                        "DER",
                        "-in",
                        str(work / f"s{i}.p7s"),
                        "-content",
                        str(work / f"s{i}.bin"),
                        "-CAfile",
                        str(work / "root.pem"),
                        "-purpose",
                        "any",
                        "-out",
                        os.devnull,
                    ]  # fmt: skip
                )

            def openssl_verify() -> None:
                for cmd in cmds:
                    subprocess.run(cmd, check=True, capture_output=True)  # noqa: S603

            over, over_ms = rate(openssl_verify, args.verify_runs)
            rows.append(("peer: openssl cms -verify ×2 (processes)", f"{over:.1f}/s", f"{over_ms:.1f} ms"))  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)

    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  {'rate':>10}  {'median':>10}")
    for name, r, ms in rows:
        print(f"{name.ljust(width)}  {r:>10}  {ms:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
