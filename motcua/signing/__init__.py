"""Digital signatures on PDF documents (PAdES, pyHanko): signing with a PKCS#12 file or a PKCS#11
token/HSM, verification against configured trust roots, signed electronic results (issue 15)."""
