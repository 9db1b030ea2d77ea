"""The printed forms of each rule version (DOMAIN §3, §5): number, title and legal basis as data.

The built-in sets below are the law as published; the `FormTemplate` table (seeded by migration
0007, edited in the admin) overrides them row by row, so a new circular or a corrected title is a
data change. A dossier prints the forms of the rule version it was received under.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class FormKind(models.TextChoices):
    """What a form is for, whatever its number in a given circular."""

    RECEIPT = "receipt", _("receipt and appointment")
    SUPPLEMENT = "supplement", _("supplement request")
    REFUSAL = "refusal", _("refusal")
    APOLOGY = "apology", _("apology and new appointment")
    STOP = "stop", _("stop notice")
    CONTROL = "control", _("process control sheet")
    REGISTER = "register", _("dossier register")


@dataclass(frozen=True)
class FormSpec:
    """One form of one rule version: what is printed in its header and legal line."""

    rule_version: str
    kind: str
    number: str
    title: str
    legal_basis: str


_C01 = "Thông tư số 01/2018/TT-VPCP (Nghị định 61/2018/NĐ-CP)"
_C03 = "Phụ lục I, Thông tư số 03/2025/TT-VPCP (Nghị định 118/2025/NĐ-CP)"

# Official titles (legal text, never translated).
BUILTIN: tuple[FormSpec, ...] = (
    # Circular 01/2018/TT-VPCP: dossiers received before 1 July 2025.
    FormSpec("61/2018", "receipt", "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", _C01),
    FormSpec("61/2018", "supplement", "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", _C01),
    FormSpec("61/2018", "refusal", "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", _C01),
    FormSpec("61/2018", "apology", "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", _C01),
    FormSpec("61/2018", "control", "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ", _C01),
    FormSpec("61/2018", "register", "06", "Sổ theo dõi hồ sơ", _C01),
    # Circular 03/2025/TT-VPCP, Appendix I: dossiers received from 1 July 2025 (seven forms).
    FormSpec("118/2025", "receipt", "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", _C03),
    FormSpec("118/2025", "supplement", "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", _C03),
    FormSpec("118/2025", "refusal", "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", _C03),
    FormSpec(
        "118/2025",
        "apology",
        "04",
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
        _C03,
    ),
    FormSpec("118/2025", "stop", "05", "Thông báo dừng giải quyết hồ sơ", _C03),
    FormSpec("118/2025", "control", "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ", _C03),
    FormSpec("118/2025", "register", "07", "Sổ theo dõi hồ sơ", _C03),
)
#: The set used for a rule version that has none of its own (legacy rows, unknown versions).
FALLBACK_VERSION = "61/2018"


def form_set(rule_version: str, templates=None) -> dict[str, FormSpec]:
    """kind → form of `rule_version`: the administrators' rows over the built-in set.

    `templates`: the version's active FormTemplate rows when the caller already read them.
    """
    from .models import FormTemplate

    builtin = {s.kind: s for s in BUILTIN if s.rule_version == rule_version}
    if templates is None:
        templates = FormTemplate.objects.filter(rule_version=rule_version, active=True)
    rows = {
        row.kind: FormSpec(row.rule_version, row.kind, row.number, row.title, row.legal_basis)
        for row in templates
    }
    merged = {**builtin, **rows}
    if not merged and rule_version != FALLBACK_VERSION:
        return form_set(FALLBACK_VERSION)
    return merged


def form_by_number(rule_version: str, number: str) -> FormSpec | None:
    """The form printed under `number` for dossiers of `rule_version` (None: no such form)."""
    return next((s for s in form_set(rule_version).values() if s.number == number), None)


def form_by_kind(rule_version: str, kind: str) -> FormSpec | None:
    return form_set(rule_version).get(kind)
