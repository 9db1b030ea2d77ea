"""Catalogue exchange as JSON and Excel: pure export functions; all-or-nothing, idempotent import.

JSON: {"format": "motcua-catalogue", "version": 1, "procedures": [{...,"documents": [], "steps": []}]}.
Excel: sheets "Thủ tục" (one row per procedure), "Thành phần hồ sơ" (documents) and "Quy trình"
(internal steps), each with a header row; documents and steps name their procedure by its code.
Re-importing a procedure code updates it and replaces its documents and steps (no duplicates).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.core.spreadsheet import safe_row, unneutralise, workbook_bytes
from motcua.orgs.choices import Role
from motcua.orgs.models import Unit
from motcua.worktime import WorktimeError, get_calendar

from .choices import DocumentCondition, DocumentForm, OnlineLevel, SupplementMode, TimeUnit
from .models import Field, Procedure, ProcedureStep, RequiredDocument

FORMAT = "motcua-catalogue"
VERSION = 1
MAX_ROWS = (
    20_000  # a provincial catalogue has a few hundred procedures; beyond this is a wrong file
)

SHEET_PROCEDURES = "Thủ tục"
SHEET_DOCUMENTS = "Thành phần hồ sơ"
SHEET_STEPS = "Quy trình"

# (key used in JSON, Excel header). Excel headers may also be given as the key itself.
PROCEDURE_COLUMNS = [
    ("code", "Mã thủ tục"),
    ("name", "Tên thủ tục"),
    ("field_code", "Mã lĩnh vực"),
    ("field_name", "Tên lĩnh vực"),
    ("unit_code", "Mã cơ quan thực hiện"),
    ("legal_basis", "Căn cứ pháp lý"),
    ("time_value", "Thời hạn giải quyết"),
    ("time_unit", "Đơn vị thời hạn"),
    ("same_day_cutoff", "Trả trong ngày (quy tắc 15 giờ)"),
    ("fee", "Phí, lệ phí (đồng)"),
    ("fee_note", "Ghi chú phí, lệ phí"),
    ("online_level", "Mức độ trực tuyến"),
    ("supplement_mode", "Cách tính thời hạn khi bổ sung"),
    ("result_is_document", "Kết quả là văn bản, giấy tờ"),
    ("payable_online", "Thanh toán trực tuyến trên Cổng DVCQG"),
    ("two_signatures", "Kết quả cần hai chữ ký số"),
    ("calendar_name", "Lịch làm việc"),
    ("is_demo", "Dữ liệu minh họa"),
    ("active", "Đang áp dụng"),
]
DOCUMENT_COLUMNS = [
    ("procedure_code", "Mã thủ tục"),
    ("order", "Thứ tự"),
    ("name", "Tên giấy tờ"),
    ("form", "Hình thức"),
    ("count", "Số bản"),
    ("mandatory", "Bắt buộc"),
    ("condition", "Khi nào cần"),
]
STEP_COLUMNS = [
    ("procedure_code", "Mã thủ tục"),
    ("order", "Bước"),
    ("name", "Tên bước"),
    ("role", "Vai trò"),
    ("budget_hours", "Thời gian (giờ làm việc)"),
]
PROCEDURE_REQUIRED = ("code", "name", "unit_code", "time_value", "time_unit")
DOCUMENT_REQUIRED = ("procedure_code", "name", "form")
STEP_REQUIRED = ("procedure_code", "order", "name", "role", "budget_hours")

_TRUE = {"1", "true", "yes", "y", "x", "có", "co", "c"}
_FALSE = {"0", "false", "no", "n", "không", "khong", "k", ""}


# --- errors and results ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RowError:
    """One reason a file was refused: where (sheet or list, row number) and why."""

    where: str
    row: int | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.where}: {self.message}"
        return _("%(where)s, row %(row)s: %(message)s") % {
            "where": self.where,
            "row": self.row,
            "message": self.message,
        }


class CatalogueImportError(Exception):
    """The file was refused; nothing was changed. `errors` lists every reason found."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))

    def one_line(self, limit: int = 10) -> str:
        shown = "; ".join(str(e) for e in self.errors[:limit])
        more = len(self.errors) - limit
        if more > 0:
            shown += " " + _("(and %(count)s more errors)") % {"count": more}
        return shown


@dataclass
class ImportResult:
    """What an import did: codes created and codes updated."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated}


# --- export ---------------------------------------------------------------------------------------
def _number(value: Decimal) -> int | float:
    """Decimals as JSON/Excel numbers: integers stay integers, fractions become exact short floats."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value.normalize())


def _export_queryset(queryset: QuerySet[Procedure]) -> QuerySet[Procedure]:
    return queryset.select_related("unit", "field").prefetch_related("documents", "steps")


def _procedure_dict(p: Procedure) -> dict[str, Any]:
    return {
        "code": p.code,
        "name": p.name,
        "field_code": p.field.code if p.field else "",
        "field_name": p.field.name if p.field else "",
        "unit_code": p.unit.code,
        "legal_basis": p.legal_basis,
        "time_value": _number(p.time_value),
        "time_unit": p.time_unit,
        "same_day_cutoff": p.same_day_cutoff,
        "fee": _number(p.fee),
        "fee_note": p.fee_note,
        "online_level": p.online_level,
        "supplement_mode": p.supplement_mode,
        "result_is_document": p.result_is_document,
        "payable_online": p.payable_online,
        "two_signatures": p.two_signatures,
        "calendar_name": p.calendar_name,
        "is_demo": p.is_demo,
        "active": p.active,
    }


def _documents(p: Procedure) -> list[dict[str, Any]]:
    docs = sorted(p.documents.all(), key=lambda d: (d.order, d.pk))
    return [
        {
            "order": d.order,
            "name": d.name,
            "form": d.form,
            "count": d.count,
            "mandatory": d.mandatory,
            "condition": d.condition,
        }
        for d in docs
    ]


def _steps(p: Procedure) -> list[dict[str, Any]]:
    steps = sorted(p.steps.all(), key=lambda s: s.order)
    return [
        {"order": s.order, "name": s.name, "role": s.role, "budget_hours": _number(s.budget_hours)}
        for s in steps
    ]


def export_catalogue(queryset: QuerySet[Procedure]) -> dict[str, Any]:
    """The procedures of `queryset` with their documents and steps, as a JSON-ready dict."""
    procedures = []
    for p in _export_queryset(queryset).order_by("code"):
        item = _procedure_dict(p)
        item["documents"] = _documents(p)
        item["steps"] = _steps(p)
        procedures.append(item)
    return {"format": FORMAT, "version": VERSION, "procedures": procedures}


def export_catalogue_json(queryset: QuerySet[Procedure]) -> bytes:
    """export_catalogue as UTF-8 JSON text (Vietnamese kept readable)."""
    text = json.dumps(export_catalogue(queryset), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def _write_row(sheet, values: list[Any]) -> None:
    # A name beginning with "=" is text, never a formula (CSV/Excel injection): core.spreadsheet.
    sheet.append(safe_row(values))


def export_catalogue_xlsx(queryset: QuerySet[Procedure]) -> bytes:
    """The same catalogue as an Excel workbook with three sheets and header rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data = export_catalogue(queryset)
    book = Workbook()
    sheets = [
        (book.active, SHEET_PROCEDURES, PROCEDURE_COLUMNS),
        (book.create_sheet(), SHEET_DOCUMENTS, DOCUMENT_COLUMNS),
        (book.create_sheet(), SHEET_STEPS, STEP_COLUMNS),
    ]
    for sheet, title, columns in sheets:
        sheet.title = title
        sheet.append([header for _key, header in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    proc_sheet, doc_sheet, step_sheet = (s for s, _t, _c in sheets)
    for item in data["procedures"]:
        _write_row(proc_sheet, [item[key] for key, _h in PROCEDURE_COLUMNS])
        for doc in item["documents"]:
            row = {"procedure_code": item["code"], **doc}
            _write_row(doc_sheet, [row[key] for key, _h in DOCUMENT_COLUMNS])
        for step in item["steps"]:
            row = {"procedure_code": item["code"], **step}
            _write_row(step_sheet, [row[key] for key, _h in STEP_COLUMNS])
    for sheet, _title, columns in sheets:
        for index, (key, _h) in enumerate(columns):
            letter = sheet.cell(row=1, column=index + 1).column_letter
            wide = key in {"name", "legal_basis", "fee_note"}
            sheet.column_dimensions[letter].width = 60 if wide else 18
    return workbook_bytes(book)


# --- reading files --------------------------------------------------------------------------------
@dataclass
class _Row:
    where: str
    row: int | None
    values: dict[str, Any]
    excel: bool = False


@dataclass
class _ProcRow(_Row):
    documents: list[_Row] = field(default_factory=list)
    steps: list[_Row] = field(default_factory=list)


def _rows_from_json(data: Any, errors: list[RowError]) -> list[_ProcRow]:
    where = _("procedures")
    if not isinstance(data, dict) or not isinstance(data.get("procedures"), list):
        errors.append(RowError(_("file"), None, _('expected an object with a "procedures" list')))
        return []
    if data.get("format", FORMAT) != FORMAT:
        errors.append(RowError(_("file"), None, _("this is not a motcua catalogue file")))
        return []
    if len(data["procedures"]) > MAX_ROWS:
        errors.append(RowError(_("file"), None, _("too many rows")))
        return []
    rows: list[_ProcRow] = []
    for index, item in enumerate(data["procedures"], start=1):
        if not isinstance(item, dict):
            errors.append(RowError(where, index, _("expected an object")))
            continue
        proc = _ProcRow(where, index, {k: item.get(k) for k, _h in PROCEDURE_COLUMNS})
        missing = [k for k in PROCEDURE_REQUIRED if k not in item]
        for key in missing:
            errors.append(RowError(where, index, _("missing field '%(name)s'") % {"name": key}))
        if missing:
            continue
        for sub, label in (("documents", _("documents")), ("steps", _("steps"))):
            children = item.get(sub, [])
            if not isinstance(children, list):
                errors.append(
                    RowError(where, index, _("'%(name)s' must be a list") % {"name": sub})
                )
                continue
            for sub_index, child in enumerate(children, start=1):
                child_where = f"{where} {index}, {label}"
                if not isinstance(child, dict):
                    errors.append(RowError(child_where, sub_index, _("expected an object")))
                    continue
                child = {**child, "procedure_code": item.get("code")}
                required = DOCUMENT_REQUIRED if sub == "documents" else STEP_REQUIRED
                absent = [k for k in required if k not in child]
                for key in absent:
                    errors.append(
                        RowError(
                            child_where, sub_index, _("missing field '%(name)s'") % {"name": key}
                        )
                    )
                if not absent:
                    getattr(proc, sub).append(_Row(child_where, sub_index, child))
        rows.append(proc)
    return rows


def _sheet_rows(book, title: str, columns, required, errors: list[RowError]) -> list[_Row] | None:
    if title not in book.sheetnames:
        errors.append(RowError(_("file"), None, _("missing sheet '%(name)s'") % {"name": title}))
        return None
    sheet = book[title]
    iterator = sheet.iter_rows(values_only=True)
    header = next(iterator, None)
    if header is None:
        errors.append(RowError(title, 1, _("the header row is missing")))
        return None
    aliases = {}
    for key, label in columns:
        aliases[label.casefold()] = key
        aliases[key.casefold()] = key
    positions: dict[str, int] = {}
    for position, cell in enumerate(header):
        key = aliases.get(str(cell).strip().casefold()) if cell is not None else None
        if key is not None and key not in positions:
            positions[key] = position
    labels = dict(columns)
    missing = [k for k in required if k not in positions]
    for key in missing:
        errors.append(RowError(title, 1, _("missing column '%(name)s'") % {"name": labels[key]}))
    if missing:
        return None
    rows: list[_Row] = []
    for number, values in enumerate(iterator, start=2):
        if number > MAX_ROWS + 1:
            errors.append(RowError(title, number, _("too many rows")))
            return None
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        row = {key: (values[pos] if pos < len(values) else None) for key, pos in positions.items()}
        rows.append(_Row(title, number, row, excel=True))
    return rows


def _rows_from_xlsx(content: bytes, errors: list[RowError]) -> list[_ProcRow]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any failure to parse means "not a real xlsx"
        errors.append(RowError(_("file"), None, _("this is not a valid Excel (.xlsx) file")))
        return []
    try:
        procs = _sheet_rows(book, SHEET_PROCEDURES, PROCEDURE_COLUMNS, PROCEDURE_REQUIRED, errors)
        docs = _sheet_rows(book, SHEET_DOCUMENTS, DOCUMENT_COLUMNS, DOCUMENT_REQUIRED, errors)
        steps = _sheet_rows(book, SHEET_STEPS, STEP_COLUMNS, STEP_REQUIRED, errors)
    finally:
        book.close()
    if procs is None or docs is None or steps is None:
        return []
    result = [_ProcRow(r.where, r.row, r.values, excel=True) for r in procs]
    by_code: dict[str, _ProcRow] = {}
    for proc in result:
        by_code.setdefault(_text(proc.values.get("code")), proc)
    for rows, attr in ((docs, "documents"), (steps, "steps")):
        for row in rows:
            owner = by_code.get(_text(row.values.get("procedure_code")))
            if owner is None:
                errors.append(
                    RowError(
                        row.where,
                        row.row,
                        _("procedure code '%(code)s' is not on the sheet '%(sheet)s'")
                        % {
                            "code": _text(row.values.get("procedure_code")),
                            "sheet": SHEET_PROCEDURES,
                        },
                    )
                )
                continue
            getattr(owner, attr).append(row)
    return result


# --- cleaning values ------------------------------------------------------------------------------
class _Bad(ValueError):
    pass


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unneutralise(str(value)).strip()


def _required_text(value: Any, name: str, max_length: int) -> str:
    text = _text(value)
    if not text:
        raise _Bad(_("'%(name)s' is empty") % {"name": name})
    if len(text) > max_length:
        raise _Bad(
            _("'%(name)s' is longer than %(max)s characters") % {"name": name, "max": max_length}
        )
    return text


def _optional_text(value: Any, name: str, max_length: int | None = None) -> str:
    text = _text(value)
    if max_length is not None and len(text) > max_length:
        raise _Bad(
            _("'%(name)s' is longer than %(max)s characters") % {"name": name, "max": max_length}
        )
    return text


def _decimal(value: Any, name: str, places: int, max_digits: int, default=None) -> Decimal:
    if (value is None or _text(value) == "") and default is not None:
        return default
    if isinstance(value, bool):
        raise _Bad(_("'%(name)s' is not a number") % {"name": name})
    try:
        number = Decimal(_text(value).replace(",", "."))
    except InvalidOperation:
        raise _Bad(_("'%(name)s' is not a number") % {"name": name}) from None
    if not number.is_finite():
        raise _Bad(_("'%(name)s' is not a number") % {"name": name})
    if number < 0:
        raise _Bad(_("'%(name)s' must not be negative") % {"name": name})
    if number != number.quantize(Decimal(1).scaleb(-places)) or number >= Decimal(10) ** (
        max_digits - places
    ):
        raise _Bad(_("'%(name)s' is out of range or too precise") % {"name": name})
    return number.quantize(Decimal(1).scaleb(-places)) if places else number.quantize(Decimal(1))


def _positive_int(value: Any, name: str, default: int | None = None) -> int:
    if (value is None or _text(value) == "") and default is not None:
        return default
    number = _decimal(value, name, 0, 5)
    if number < 1:
        raise _Bad(_("'%(name)s' must be a whole number of at least 1") % {"name": name})
    return int(number)


def _bool(value: Any, name: str, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return default if text == "" else False
    raise _Bad(_("'%(name)s' must be yes or no") % {"name": name})


def _choice(value: Any, name: str, choices, default: str | None = None) -> str:
    text = _text(value)
    if not text and default is not None:
        return default
    if text in choices.values:
        return text
    for choice_value, label in choices.choices:
        if text.casefold() == str(label).casefold():
            return choice_value
    raise _Bad(
        _("'%(name)s' must be one of: %(values)s")
        % {"name": name, "values": ", ".join(choices.values)}
    )


def _clean_procedure(values: dict[str, Any], n: Callable[[str], str]) -> dict[str, Any]:
    return {
        "code": _required_text(values.get("code"), n("code"), 50),
        "name": _required_text(values.get("name"), n("name"), 500),
        "field_code": _optional_text(values.get("field_code"), n("field_code"), 50),
        "field_name": _optional_text(values.get("field_name"), n("field_name"), 255),
        "unit_code": _required_text(values.get("unit_code"), n("unit_code"), 20),
        "legal_basis": _optional_text(values.get("legal_basis"), n("legal_basis")),
        "time_value": _decimal(values.get("time_value"), n("time_value"), 2, 7),
        "time_unit": _choice(values.get("time_unit"), n("time_unit"), TimeUnit),
        "same_day_cutoff": _bool(values.get("same_day_cutoff"), n("same_day_cutoff"), False),
        "fee": _decimal(values.get("fee"), n("fee"), 0, 14, default=Decimal(0)),
        "fee_note": _optional_text(values.get("fee_note"), n("fee_note"), 500),
        "online_level": _choice(
            values.get("online_level"), n("online_level"), OnlineLevel, OnlineLevel.PARTIAL
        ),
        "supplement_mode": _choice(
            values.get("supplement_mode"),
            n("supplement_mode"),
            SupplementMode,
            # DOMAIN §4: the national scorer treats the wait as a pause (the model's default).
            SupplementMode.PAUSE,
        ),
        # DOMAIN §7, 3.3 / 4.1 and 3.5; absent in older files: the models' defaults.
        "result_is_document": _bool(
            values.get("result_is_document"), n("result_is_document"), True
        ),
        "payable_online": _bool(values.get("payable_online"), n("payable_online"), False),
        # Issue 15: the leader's signature, then the agency's; absent in older files: one signature.
        "two_signatures": _bool(values.get("two_signatures"), n("two_signatures"), False),
        "calendar_name": _optional_text(values.get("calendar_name"), n("calendar_name"), 50),
        "is_demo": _bool(values.get("is_demo"), n("is_demo"), False),
        "active": _bool(values.get("active"), n("active"), True),
    }


def _clean_document(
    values: dict[str, Any], position: int, n: Callable[[str], str]
) -> dict[str, Any]:
    return {
        "order": _positive_int(values.get("order"), n("order"), default=position),
        "name": _required_text(values.get("name"), n("name"), 500),
        "form": _choice(values.get("form"), n("form"), DocumentForm),
        "count": _positive_int(values.get("count"), n("count"), default=1),
        "mandatory": _bool(values.get("mandatory"), n("mandatory"), True),
        # Absent in older files: always asked for.
        "condition": _choice(
            values.get("condition"), n("condition"), DocumentCondition, DocumentCondition.ALWAYS
        ),
    }


def _clean_step(values: dict[str, Any], n: Callable[[str], str]) -> dict[str, Any]:
    return {
        "order": _positive_int(values.get("order"), n("order")),
        "name": _required_text(values.get("name"), n("name"), 255),
        "role": _choice(values.get("role"), n("role"), Role),
        "budget_hours": _decimal(values.get("budget_hours"), n("budget_hours"), 2, 7),
    }


def _namer(row: _Row, columns: list[tuple[str, str]]) -> Callable[[str], str]:
    """Messages name a value by its Excel header for Excel files, by its JSON key otherwise."""
    if not row.excel:
        return str
    labels = dict(columns)
    return lambda key: labels.get(key, key)


@dataclass
class _Clean:
    procedure: dict[str, Any]
    documents: list[dict[str, Any]]
    steps: list[dict[str, Any]]


def _validate(rows: list[_ProcRow], errors: list[RowError]) -> list[_Clean]:
    cleaned: list[_Clean] = []
    seen_codes: dict[str, int | None] = {}
    for proc in rows:
        try:
            values = _clean_procedure(proc.values, _namer(proc, PROCEDURE_COLUMNS))
        except _Bad as exc:
            errors.append(RowError(proc.where, proc.row, str(exc)))
            values = None
        if values is not None:
            first = seen_codes.get(values["code"])
            if values["code"] in seen_codes:
                errors.append(
                    RowError(
                        proc.where,
                        proc.row,
                        _("procedure code '%(code)s' is repeated (first at row %(row)s)")
                        % {"code": values["code"], "row": first},
                    )
                )
            else:
                seen_codes[values["code"]] = proc.row
        documents = []
        for position, row in enumerate(proc.documents, start=1):
            try:
                documents.append(
                    _clean_document(row.values, position, _namer(row, DOCUMENT_COLUMNS))
                )
            except _Bad as exc:
                errors.append(RowError(row.where, row.row, str(exc)))
        steps: list[dict[str, Any]] = []
        orders: set[int] = set()
        for row in proc.steps:
            try:
                step = _clean_step(row.values, _namer(row, STEP_COLUMNS))
            except _Bad as exc:
                errors.append(RowError(row.where, row.row, str(exc)))
                continue
            if step["order"] in orders:
                errors.append(
                    RowError(
                        row.where,
                        row.row,
                        _("step %(order)s appears twice for this procedure")
                        % {"order": step["order"]},
                    )
                )
            orders.add(step["order"])
            steps.append(step)
        if values is not None:
            cleaned.append(_Clean(values, documents, steps))
    return cleaned


def _check_references(
    cleaned: list[_Clean],
    rows: list[_ProcRow],
    errors: list[RowError],
    unit_codes: set[str] | None = None,
) -> None:
    wanted_units = {c.procedure["unit_code"] for c in cleaned}
    known_units = set(Unit.objects.filter(code__in=wanted_units).values_list("code", flat=True))
    field_codes = {c.procedure["field_code"] for c in cleaned if c.procedure["field_code"]}
    known_fields = set(Field.objects.filter(code__in=field_codes).values_list("code", flat=True))
    owners = dict(
        Procedure.objects.filter(code__in=[c.procedure["code"] for c in cleaned]).values_list(
            "code", "unit__code"
        )
    )
    calendars: dict[str, bool] = {}
    locations = {
        _text(r.values.get("code")): (r.where, r.row) for r in reversed(rows)
    }  # first occurrence wins
    for item in cleaned:
        p = item.procedure
        where, row = locations.get(p["code"], (_("procedures"), None))
        if p["unit_code"] not in known_units:
            errors.append(
                RowError(where, row, _("unknown unit code '%(code)s'") % {"code": p["unit_code"]})
            )
        if unit_codes is not None:
            for code in {p["unit_code"], owners.get(p["code"], p["unit_code"])} - unit_codes:
                errors.append(
                    RowError(
                        where,
                        row,
                        _("you may not change the procedures of unit '%(code)s'") % {"code": code},
                    )
                )
        if p["field_code"] and p["field_code"] not in known_fields and not p["field_name"]:
            errors.append(
                RowError(
                    where,
                    row,
                    _("field '%(code)s' does not exist; give its name to create it")
                    % {"code": p["field_code"]},
                )
            )
        name = p["calendar_name"]
        if name:
            if name not in calendars:
                try:
                    get_calendar(name)
                    calendars[name] = True
                except WorktimeError:
                    calendars[name] = False
            if not calendars[name]:
                errors.append(
                    RowError(where, row, _("unknown working calendar '%(name)s'") % {"name": name})
                )


# --- import ---------------------------------------------------------------------------------------
def parse_catalogue(
    data: dict | bytes | str, *, unit_codes: set[str] | None = None
) -> tuple[list[_Clean], list[RowError]]:
    """Read and validate a catalogue (dict, JSON text or .xlsx bytes) without writing anything."""
    errors: list[RowError] = []
    if isinstance(data, bytes) and data[:2] == b"PK":
        rows = _rows_from_xlsx(data, errors)
    else:
        if isinstance(data, bytes | str):
            try:
                text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
                data = json.loads(text)
            except (UnicodeDecodeError, ValueError):
                errors.append(
                    RowError(_("file"), None, _("this is neither a JSON nor an Excel (.xlsx) file"))
                )
                return [], errors
        rows = _rows_from_json(data, errors)
    if not rows:  # the file as a whole is unusable; row checks would add nothing
        if not errors:
            errors.append(RowError(_("file"), None, _("the file contains no procedures")))
        return [], errors
    cleaned = _validate(rows, errors)
    _check_references(cleaned, rows, errors, unit_codes)
    return cleaned, errors


def import_catalogue(
    data: dict | bytes | str,
    *,
    actor: Any,
    dry_run: bool = False,
    unit_codes: set[str] | None = None,
) -> ImportResult:
    """Create or update the procedures in `data` (all or nothing); raises CatalogueImportError.

    `unit_codes`: when given, only procedures of these units may be created or changed.
    """
    cleaned, errors = parse_catalogue(data, unit_codes=unit_codes)
    if errors:
        raise CatalogueImportError(errors)
    result = ImportResult()
    with transaction.atomic():
        units = {
            u.code: u
            for u in Unit.objects.filter(code__in={c.procedure["unit_code"] for c in cleaned})
        }
        fields: dict[str, Field] = {}
        for item in cleaned:
            code, name = item.procedure["field_code"], item.procedure["field_name"]
            if not code or code in fields:
                continue
            field_obj, created = Field.objects.get_or_create(code=code, defaults={"name": name})
            if not created and name and field_obj.name != name:
                field_obj.name = name
                field_obj.save(update_fields=["name"])
            fields[code] = field_obj
        existing = {
            p.code: p
            for p in Procedure.objects.select_for_update().filter(
                code__in=[c.procedure["code"] for c in cleaned]
            )
        }
        for item in cleaned:
            values = dict(item.procedure)
            values["unit"] = units[values.pop("unit_code")]
            field_code = values.pop("field_code")
            values.pop("field_name")
            values["field"] = fields.get(field_code)
            procedure = existing.get(values["code"])
            if procedure is None:
                procedure = Procedure.objects.create(**values)
                result.created.append(procedure.code)
            else:
                for key, value in values.items():
                    setattr(procedure, key, value)
                procedure.save()
                result.updated.append(procedure.code)
                procedure.documents.all().delete()
                procedure.steps.all().delete()
            RequiredDocument.objects.bulk_create(
                RequiredDocument(procedure=procedure, **doc) for doc in item.documents
            )
            ProcedureStep.objects.bulk_create(
                ProcedureStep(procedure=procedure, **step) for step in item.steps
            )
        audit_record(
            actor=actor,
            action="procedure.import",
            object_type="procedures.procedure",
            note=_("Catalogue import: %(created)s created, %(updated)s updated")
            % {"created": len(result.created), "updated": len(result.updated)},
            data=result.as_json(),
        )
        if dry_run:
            transaction.set_rollback(True)
    return result
