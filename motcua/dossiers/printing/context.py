"""The data of each printed form, independent of layout (DOMAIN §5).

A dossier prints the forms of the rule version it was received under: the six of Circular
01/2018/TT-VPCP or the seven of Circular 03/2025/TT-VPCP. Numbers, titles and legal bases are data
(`motcua.dossiers.formsets`); the builders here are keyed by the form's *kind* (receipt, refusal,
stop notice…), so `/in/05/` is the control sheet of an old dossier and the stop notice of a new
one. The same dictionaries feed the HTML templates and the PDF layouts in `pdf.py`. The text of
the forms is the legal text, so it is Vietnamese whatever the interface language.
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
from motcua.dossiers.formsets import FormKind, FormSpec, form_by_number, form_set
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, Transfer
from motcua.dossiers.timeliness import classify
from motcua.dossiers.workflow import Action
from motcua.procedures.choices import DocumentForm, TimeUnit

#: The layout set used when a dossier's rule version has no templates of its own.
DEFAULT_SET = "forms"
#: Forms addressed to the applicant, who may print them for their own dossier (DOMAIN §4: forms
#: 02–05 go to online applicants electronically); the control sheet stays internal.
CITIZEN_KINDS = frozenset(
    {FormKind.RECEIPT, FormKind.SUPPLEMENT, FormKind.REFUSAL, FormKind.APOLOGY, FormKind.STOP}
)
#: Form numbers that may appear in a print URL (the register is printed for a period instead).
FORM_NUMBERS = ("01", "02", "03", "04", "05", "06", "07")

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


def template_names(dossier: Dossier, kind: str) -> list[str]:
    """Candidates for `select_template`: the rule version's own template first, then the common
    one (`dossiers/print/forms/<kind>.html`)."""
    return [
        f"dossiers/print/{rule_set_slug(dossier.rule_version)}/{kind}.html",
        f"dossiers/print/{DEFAULT_SET}/{kind}.html",
    ]


def printable_forms(dossier: Dossier, templates=None) -> list[FormSpec]:
    """The per-dossier forms of the dossier's rule version, by number (for the links);
    `templates` as in `form_set`."""
    specs = form_set(dossier.rule_version, templates).values()
    return sorted((s for s in specs if s.kind != FormKind.REGISTER), key=lambda s: s.number)


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
    from motcua.core.people import full_name

    return full_name(user)  # Vietnamese order, never the login name (issue 14)


def _common(dossier: Dossier, spec: FormSpec) -> dict:
    unit = dossier.unit
    return {
        "number": spec.number,
        "kind": spec.kind,
        "title": spec.title.upper(),
        "legal_basis": spec.legal_basis,
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
    book = dossier.register_book
    received = (
        DossierEvent.objects.filter(dossier=dossier, action__in=("receive", Action.ACCEPT))
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    return {
        "place_date": place_and_date(dossier.received_at),
        "receipt_number": dossier.register_number,
        # DOMAIN §5: the receiving officer signs and is named on the receipt.
        "officer": _person(received.actor) if received is not None else "",
        "documents": documents,
        "documents_count": sum(d["count"] for d in documents),
        "sets_count": dossier.sets_count,
        "processing_time": processing_time(dossier),
        "delivery": DELIVERY_VI.get(dossier.result_delivery, dossier.result_delivery),
        # DOMAIN §5: "Quyển số …, Số thứ tự …" from the book's own counter; legacy rows without
        # a book print the year of reception as the book.
        "register_book": (
            f"{book.number:02d}/{book.year}"
            if book is not None
            else timezone.localtime(dossier.received_at).year
        ),
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


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _form03(dossier: Dossier, request) -> dict:
    if dossier.status != Status.REFUSED:
        raise FormUnavailable("03")
    event = DossierEvent.objects.filter(
        dossier=dossier, to_status=Status.REFUSED, action__in=(Action.REFUSE, "refuse_at_counter")
    ).select_related("actor")
    refusal = event.order_by("-at", "-id").first()
    return {
        "reasons": _lines(dossier.closing_reason),
        "place_date": place_and_date(dossier.closed_at),
        "refused": moment(dossier.closed_at),
        # DOMAIN §4: after reception the competent leader signs the refusal; at intake, the clerk.
        "after_reception": dossier.received_at is not None,
        "at_counter": refusal is not None and refusal.action == "refuse_at_counter",
        "officer": _person(refusal.actor) if refusal is not None else "",
    }


def _form04(dossier: Dossier, request) -> dict:
    if dossier.new_appointment_at is None:
        raise FormUnavailable("04")
    event = _latest_event(dossier, Action.APOLOGISE)
    return {
        "reasons": _lines(dossier.apology_reason),
        "new_appointment": moment(dossier.new_appointment_at),
        "place_date": place_and_date(event.at if event is not None else None),
    }


def _form_stop(dossier: Dossier, request) -> dict:
    if dossier.status != Status.STOPPED:
        raise FormUnavailable("stop")
    return {
        "reasons": _lines(dossier.closing_reason),
        "place_date": place_and_date(dossier.closed_at),
        "stopped": moment(dossier.closed_at),
    }


def _verdict(finished: datetime | None, due: datetime | None) -> str:
    if finished is None:
        return "Đang xử lý"
    return TIMELINESS_VI[Timeliness(classify(finished, due))]


def _control(dossier: Dossier, request) -> dict:
    """One row per hand-over (DOMAIN §5): internal steps, the co-operating agencies' turns
    (liên thông) and the final "desk → applicant" row, in time order."""
    steps = list(
        DossierStep.objects.filter(dossier=dossier)
        .select_related("assignee", "unit")
        .order_by("started_at", "id")
    )
    if not steps:
        raise FormUnavailable("control")
    transfers = list(Transfer.objects.filter(dossier=dossier).select_related("to_unit"))
    entries: list[tuple[datetime, int, dict]] = []
    previous = ROLES_VI["intake_clerk"]
    for step in steps:
        receiver = ROLES_VI.get(step.role, step.role)
        if step.assignee is not None:
            receiver = f"{receiver} ({_person(step.assignee)})"
        row = {
            "name": step.name,
            "unit": step.unit.name,
            "from": previous,
            "to": receiver,
            "handed_over": moment(step.started_at),
            "due": moment(step.due_at),
            "finished": moment(step.finished_at),
            "result": _verdict(step.finished_at, step.due_at),
            "note": step.note,
            "kind": "step",
        }
        entries.append((step.started_at, 0, row))
        previous = receiver
    for transfer in transfers:
        row = {
            "name": "Chuyển cơ quan phối hợp (liên thông)",
            "unit": transfer.to_unit.name,
            "from": dossier.unit.name,
            "to": transfer.to_unit.name,
            "handed_over": moment(transfer.sent_at),
            "due": moment(transfer.due_at),
            "finished": moment(transfer.returned_at),
            "result": _verdict(transfer.returned_at, transfer.due_at),
            "note": transfer.note,
            "kind": "transfer",
        }
        entries.append((transfer.sent_at, 1, row))
    entries.sort(key=lambda item: (item[0], item[1]))
    rows = [row for _at, _order, row in entries]
    if dossier.returned_at is not None:
        # The last hand-over: the desk gives the result to the applicant; judged, like the
        # dossier, by when the result was ready against the due time.
        rows.append(
            {
                "name": "Trả kết quả",
                "unit": dossier.unit.name,
                "from": ROLES_VI["intake_clerk"],
                "to": "Tổ chức/cá nhân",
                "handed_over": moment(dossier.returned_at),
                "due": moment(dossier.due_at),
                "finished": moment(dossier.returned_at),
                "result": _verdict(dossier.finished_at or dossier.returned_at, dossier.due_at),
                "note": "",
                "kind": "return",
            }
        )
    for index, row in enumerate(rows, start=1):
        row["index"] = index
    return {"rows": rows, "cooperating": sorted({t.to_unit.name for t in transfers})}


_BUILDERS = {
    FormKind.RECEIPT: _form01,
    FormKind.SUPPLEMENT: _form02,
    FormKind.REFUSAL: _form03,
    FormKind.APOLOGY: _form04,
    FormKind.STOP: _form_stop,
    FormKind.CONTROL: _control,
}


def form_spec(dossier: Dossier, number: str) -> FormSpec | None:
    """The form printed under `number` for this dossier's rule version (None: none, or the
    register, which is printed for a period and not for one dossier)."""
    spec = form_by_number(dossier.rule_version, number)
    if spec is None or spec.kind not in _BUILDERS:
        return None
    return spec


def form_context(
    dossier: Dossier, number: str, *, request=None, spec: FormSpec | None = None
) -> dict:
    """Everything a form prints; `FormUnavailable` when the dossier is not in a matching state."""
    spec = spec or form_spec(dossier, number)
    if spec is None:
        raise FormUnavailable(number)
    context = _common(dossier, spec)
    context.update(_BUILDERS[FormKind(spec.kind)](dossier, request))
    return context


def kind_context(dossier: Dossier, kind: str, *, request=None) -> dict:
    """The form of `kind` (e.g. the apology) in the dossier's rule version; FormUnavailable if
    that version has no such form (the stop notice before Circular 03/2025)."""
    spec = form_set(dossier.rule_version).get(kind)
    if spec is None or spec.kind not in _BUILDERS:
        raise FormUnavailable(kind)
    return form_context(dossier, spec.number, request=request, spec=spec)
