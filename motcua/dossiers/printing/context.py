"""The data of each printed form (Circular 01/2018/TT-VPCP forms 01–05), independent of layout.

The same dictionaries feed the HTML print templates (one set per rule version, chosen by
`dossier.rule_version`) and the PDF layouts in `pdf.py`. The text of the forms is the legal text
of the circular, so it is Vietnamese whatever the interface language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.choices import Status, Timeliness
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.dossiers.timeliness import classify
from motcua.dossiers.workflow import Action
from motcua.procedures.choices import DocumentForm, TimeUnit

#: The set of templates used when a dossier's rule version has no set of its own.
DEFAULT_SET = "61-2018"
#: Forms the applicant may print for their own dossier (the receipt).
CITIZEN_FORMS = frozenset({"01"})

# Official wording of the forms (Circular 01/2018/TT-VPCP), not interface text: never translated.
TITLES = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "04": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    "05": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}
FORM_NUMBERS = tuple(TITLES)

DOCUMENT_FORMS_VI = {
    DocumentForm.ORIGINAL: "Bản chính",
    DocumentForm.CERTIFIED_COPY: "Bản sao chứng thực",
    DocumentForm.COPY: "Bản sao",
}
TIME_UNITS_VI = {
    TimeUnit.WORKING_DAYS: "ngày làm việc",
    TimeUnit.WORKING_HOURS: "giờ làm việc",
    TimeUnit.CALENDAR_DAYS: "ngày",
}
DELIVERY_VI = {
    "desk": "Tại Bộ phận tiếp nhận và trả kết quả",
    "post": "Qua dịch vụ bưu chính công ích",
    "online": "Trực tuyến (trên Cổng dịch vụ công)",
}
TIMELINESS_VI = {
    Timeliness.EARLY: "Trước hạn",
    Timeliness.ON_TIME: "Đúng hạn",
    Timeliness.LATE: "Quá hạn",
}
ROLES_VI = {
    "intake_clerk": "Bộ phận tiếp nhận và trả kết quả",
    "specialist": "Chuyên viên xử lý",
    "leader": "Lãnh đạo phê duyệt",
    "auditor": "Kiểm soát",
    "notary": "Công chứng viên",
}


class FormUnavailable(Exception):
    """The form does not apply to the dossier in its current state (e.g. form 03 of a live one)."""


@dataclass(frozen=True)
class Moment:
    """A local time split the way the forms print it: "… giờ … phút, ngày …/…/…"."""

    at: datetime

    @property
    def local(self) -> datetime:
        return timezone.localtime(self.at)

    @property
    def hour(self) -> str:
        return f"{self.local.hour:02d}"

    @property
    def minute(self) -> str:
        return f"{self.local.minute:02d}"

    @property
    def date(self) -> str:
        return self.local.strftime("%d/%m/%Y")

    @property
    def text(self) -> str:
        return f"{self.hour} giờ {self.minute} phút, ngày {self.date}"

    @property
    def short(self) -> str:
        return self.local.strftime("%H:%M %d/%m/%Y")

    def __str__(self) -> str:
        return self.text


def moment(at: datetime | None) -> Moment | None:
    return Moment(at) if at is not None else None


def rule_set_slug(rule_version: str) -> str:
    """ "118/2025" → "118-2025": the folder of that rule version's templates."""
    return "".join(c if c.isalnum() else "-" for c in (rule_version or "").strip()) or DEFAULT_SET


def template_names(dossier: Dossier, number: str) -> list[str]:
    """Candidates for `select_template`: the dossier's own rule set first, then the default."""
    names = [f"dossiers/print/{rule_set_slug(dossier.rule_version)}/form{number}.html"]
    default = f"dossiers/print/{DEFAULT_SET}/form{number}.html"
    if default not in names:
        names.append(default)
    return names


def tracking_url(request, code: str) -> str:
    """Absolute URL of the public tracking page with the code prefilled (the QR code of form 01)."""
    path = reverse("tracking:page") + "?" + urlencode({"ma": code})
    return request.build_absolute_uri(path) if request is not None else path


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=3, border=2, title=url)


def qr_png(url: str) -> bytes:
    import io

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def place_and_date(at: datetime | None = None) -> str:
    """ "Huế, ngày 14 tháng 03 năm 2025" (the place comes from `MOTCUA_PRINT_PLACE`)."""
    local = timezone.localtime(at or timezone.now())
    place = getattr(settings, "MOTCUA_PRINT_PLACE", "Huế")
    return f"{place}, ngày {local.day:02d} tháng {local.month:02d} năm {local.year}"


def processing_time(dossier: Dossier) -> str:
    procedure = dossier.procedure
    value = procedure.time_value.normalize()
    return f"{value:f} {TIME_UNITS_VI.get(procedure.time_unit, procedure.time_unit)}"


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _common(dossier: Dossier, number: str) -> dict:
    unit = dossier.unit
    return {
        "number": number,
        "title": TITLES[number],
        "dossier": dossier,
        "unit_name": unit.name,
        "unit_code": unit.code,
        "desk_name": "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
        "rule_version": dossier.rule_version,
        "rule_set": rule_set_slug(dossier.rule_version),
        "place_date": place_and_date(),
        "procedure_name": dossier.procedure.name,
        "procedure_code": dossier.procedure.code,
        "applicant": {
            "name": dossier.applicant_name,
            "address": dossier.applicant_address,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "id_number": dossier.applicant_id_number,
            # DOMAIN §12: the document type printed beside the number.
            "id_type": dossier.applicant_id_type,
            "id_type_label": dossier.get_applicant_id_type_display()
            if dossier.applicant_id_type
            else "",
        },
        "received": moment(dossier.received_at),
        "submitted": moment(dossier.submitted_at),
        "due": moment(dossier.due_at),
    }


def _form01(dossier: Dossier, request) -> dict:
    if dossier.received_at is None:
        raise FormUnavailable("01")
    documents = [
        {"name": d.name, "form": DOCUMENT_FORMS_VI.get(d.form, d.form), "count": d.count}
        for d in dossier.documents.all()
    ]
    url = tracking_url(request, dossier.code)
    return {
        "place_date": place_and_date(dossier.received_at),
        "receipt_number": dossier.register_number,
        "documents": documents,
        "documents_count": sum(d["count"] for d in documents),
        "sets_count": dossier.sets_count,
        "processing_time": processing_time(dossier),
        "delivery": DELIVERY_VI.get(dossier.result_delivery, dossier.result_delivery),
        "register_book": timezone.localtime(dossier.received_at).year,
        "register_number": dossier.register_number,
        "tracking_url": url,
        "qr_svg": qr_svg(url),
    }


def _latest_event(dossier: Dossier, action: str) -> DossierEvent | None:
    return (
        DossierEvent.objects.filter(dossier=dossier, action=action)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )


def _form02(dossier: Dossier, request) -> dict:
    event = _latest_event(dossier, Action.REQUEST_SUPPLEMENT)
    if event is None:
        raise FormUnavailable("02")
    return {
        "place_date": place_and_date(event.at),
        "requested": moment(event.at),
        "requirements": [line.strip() for line in event.note.splitlines() if line.strip()],
        "officer": _person(event.actor),
    }


def _form03(dossier: Dossier, request) -> dict:
    if dossier.status != Status.REFUSED:
        raise FormUnavailable("03")
    return {
        "reasons": [line.strip() for line in dossier.closing_reason.splitlines() if line.strip()],
        "place_date": place_and_date(dossier.closed_at),
        "refused": moment(dossier.closed_at),
    }


def _form04(dossier: Dossier, request) -> dict:
    if dossier.new_appointment_at is None:
        raise FormUnavailable("04")
    return {
        "reasons": [line.strip() for line in dossier.apology_reason.splitlines() if line.strip()],
        "new_appointment": moment(dossier.new_appointment_at),
    }


def _form05(dossier: Dossier, request) -> dict:
    steps = list(
        DossierStep.objects.filter(dossier=dossier)
        .select_related("assignee", "unit")
        .order_by("started_at", "id")
    )
    if not steps:
        raise FormUnavailable("05")
    rows = []
    previous = ROLES_VI["intake_clerk"]
    for index, step in enumerate(steps, start=1):
        receiver = ROLES_VI.get(step.role, step.role)
        if step.assignee is not None:
            receiver = f"{receiver} ({_person(step.assignee)})"
        if step.finished_at is not None:
            result = TIMELINESS_VI[Timeliness(classify(step.finished_at, step.due_at))]
        else:
            result = "Đang xử lý"
        rows.append(
            {
                "index": index,
                "name": step.name,
                "unit": step.unit.name,
                "from": previous,
                "to": receiver,
                "handed_over": moment(step.started_at),
                "due": moment(step.due_at),
                "finished": moment(step.finished_at),
                "result": result,
                "note": step.note,
            }
        )
        previous = receiver
    return {"rows": rows}


_BUILDERS = {
    "01": _form01,
    "02": _form02,
    "03": _form03,
    "04": _form04,
    "05": _form05,
}


def form_context(dossier: Dossier, number: str, *, request=None) -> dict:
    """Everything a form prints; `FormUnavailable` when the dossier is not in a matching state."""
    if number not in _BUILDERS:
        raise FormUnavailable(number)
    context = _common(dossier, number)
    context.update(_BUILDERS[number](dossier, request))
    return context
