"""The electronic fee receipt (biên lai điện tử) of a paid payment: a PDF drawn with fpdf2 and the
bundled font (motcua/dossiers/printing/pdf.py), regenerated from the payment each time.

The receipt number is derived from the payment (`BL<yy>-<id>`): unique and stable. A receipt that
must carry the tax authority's e-invoice code (Decree 123/2020, Circular 32/2025) is issued by
the finance system; this one is the department's proof of the fee paid (docs/thanh-toan.md).
"""

from __future__ import annotations

from django.utils import timezone

from motcua.dossiers.printing.context import place_and_date
from motcua.dossiers.printing.pdf import FormPDF

from .models import Payment
from .providers import BUILT_IN


def receipt_number(payment: Payment) -> str:
    paid = timezone.localtime(payment.paid_at or payment.created_at)
    return f"BL{paid:%y}-{payment.pk:07d}"


def _vnd(amount) -> str:
    return f"{int(amount):,}".replace(",", ".") + " đồng"


def receipt_pdf(payment: Payment) -> bytes:
    """The PDF bytes of the receipt of a paid payment."""
    dossier = payment.dossier
    provider = BUILT_IN.get(payment.provider)
    method = str(provider.label) if provider else payment.provider
    pdf = FormPDF()
    number = receipt_number(payment)
    pdf.set_title(f"Biên lai {number} – {dossier.code}")
    pdf.header_block(
        {"place_date": place_and_date(payment.paid_at)},
        left=[dossier.unit.name.upper()],
        number_line=f"Số: {number}",
    )
    pdf.title_block("BIÊN LAI THU PHÍ, LỆ PHÍ", "(Biên lai điện tử)")
    pdf.field("Người nộp", dossier.applicant_name)
    pdf.field("Địa chỉ", dossier.applicant_address)
    pdf.field("Mã hồ sơ", dossier.code)
    pdf.field("Thủ tục", dossier.procedure.name)
    pdf.field("Số tiền", _vnd(payment.amount))
    pdf.field("Hình thức thanh toán", method)
    pdf.field("Mã giao dịch", payment.provider_reference or payment.reference)
    paid = timezone.localtime(payment.paid_at) if payment.paid_at else None
    pdf.field("Thời điểm thanh toán", f"{paid:%H:%M ngày %d/%m/%Y}" if paid else "")
    pdf.ln(4)
    pdf.para(
        "Biên lai được lập tự động từ hệ thống một cửa điện tử khi khoản phí, lệ phí được "
        "xác nhận đã thanh toán.",
        size=10.5,
    )
    pdf.signatures([("", "", ""), ("ĐƠN VỊ THU", "(biên lai điện tử)", dossier.unit.name)])
    return bytes(pdf.output())
