"""Excel import/export of schemes and published tables (openpyxl)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from motcua.audit.services import audit_record
from motcua.core.listsheet import DECIMAL, cell_value
from motcua.core.spreadsheet import unneutralise, workbook_bytes

from .access import is_evaluator
from .choices import Block, ItemKind, TiePolicy
from .models import Band, Item, Scheme
from .services import ReformError, parse_points

INFO_SHEET, ITEMS_SHEET, BANDS_SHEET = "Thông tin", "Tiêu chí", "Xếp loại"
ITEM_COLUMNS = [
    "code",
    "parent_code",
    "title",
    "kind",
    "max_points",
    "guidance",
    "required_evidence",
]


def scheme_to_xlsx(scheme: Scheme) -> bytes:
    """The scheme as a workbook: information, criteria tree (by parent code), bands."""
    wb = Workbook()
    info = wb.active
    info.title = INFO_SHEET
    for row in (
        ("year", scheme.year),
        ("block", scheme.block),
        ("name", scheme.name),
        ("tie_policy", scheme.tie_policy),
    ):
        info.append(row)
    items = wb.create_sheet(ITEMS_SHEET)
    items.append(ITEM_COLUMNS)
    codes = {i.pk: i.code for i in scheme.items.all()}
    for item in scheme.items.all():
        items.append(
            [
                item.code,
                codes.get(item.parent_id, ""),
                item.title,
                item.kind,
                float(item.max_points),
                item.guidance,
                item.required_evidence,
            ]
        )
    bands = wb.create_sheet(BANDS_SHEET)
    bands.append(["label", "lower_bound"])
    for band in scheme.bands.all():
        bands.append([band.label, float(band.lower_bound)])
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    return workbook_bytes(wb)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unneutralise(str(value)).strip()


def scheme_from_xlsx(*, actor, data: bytes) -> Scheme:
    """Create (or replace a draft without scorecards) a scheme from a workbook; all or nothing.

    Row-level problems are collected and raised together in `ReformError.errors`.
    """
    if not is_evaluator(actor):
        from django.http import Http404

        raise Http404
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for non-workbooks
        raise ReformError(_("The file is not an Excel workbook (.xlsx).")) from exc
    errors: list[str] = []
    missing = [n for n in (INFO_SHEET, ITEMS_SHEET) if n not in wb.sheetnames]
    if missing:
        raise ReformError(_("Missing sheet(s): %(names)s.") % {"names": ", ".join(missing)})
    info = {_text(r[0]): r[1] for r in wb[INFO_SHEET].iter_rows(values_only=True) if r and r[0]}
    try:
        year = int(_text(info.get("year")))
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        errors.append(_("Sheet %(s)s: year must be a year like 2024.") % {"s": INFO_SHEET})
    block = _text(info.get("block"))
    if block not in Block.values:
        errors.append(
            _("Sheet %(s)s: block must be one of %(v)s.")
            % {"s": INFO_SHEET, "v": ", ".join(Block.values)}
        )
    tie_policy = _text(info.get("tie_policy")) or TiePolicy.STANDARD
    if tie_policy not in TiePolicy.values:
        errors.append(_("Sheet %(s)s: unknown tie policy.") % {"s": INFO_SHEET})

    rows = list(wb[ITEMS_SHEET].iter_rows(values_only=True))
    header = [_text(c) for c in (rows[0] if rows else [])]
    if header[: len(ITEM_COLUMNS)] != ITEM_COLUMNS:
        raise ReformError(
            _("Sheet %(s)s: the header must be %(h)s.")
            % {"s": ITEMS_SHEET, "h": ", ".join(ITEM_COLUMNS)}
        )
    parsed: list[dict] = []
    seen: dict[str, dict] = {}
    for number, raw in enumerate(rows[1:], start=2):
        cells = [_text(c) for c in raw] + [""] * len(ITEM_COLUMNS)
        if not any(cells[: len(ITEM_COLUMNS)]):
            continue
        row = dict(zip(ITEM_COLUMNS, cells, strict=False))
        where = _("Sheet %(s)s, row %(n)s") % {"s": ITEMS_SHEET, "n": number}
        row["kind"] = row["kind"] or ItemKind.REGULAR
        if not row["code"] or not row["title"]:
            errors.append(f"{where}: " + _("code and title are required."))
            continue
        if row["code"] in seen:
            errors.append(f"{where}: " + _("duplicate code %(c)s.") % {"c": row["code"]})
            continue
        if row["kind"] not in ItemKind.values:
            errors.append(f"{where}: " + _("unknown kind “%(k)s”.") % {"k": row["kind"]})
            continue
        if row["parent_code"] and row["parent_code"] not in seen:
            errors.append(
                f"{where}: "
                + _("parent %(p)s must appear on an earlier row.") % {"p": row["parent_code"]}
            )
            continue
        try:
            row["max"] = parse_points(row["max_points"], row["code"])
        except ReformError as exc:
            errors.append(f"{where}: {exc}")
            continue
        if row["max"] is None:
            errors.append(f"{where}: " + _("the maximum points are required."))
            continue
        row["where"] = where
        row["children"] = []
        seen[row["code"]] = row
        parsed.append(row)
    for row in parsed:
        if row["parent_code"]:
            seen[row["parent_code"]]["children"].append(row)
    for row in parsed:
        if not row["children"]:
            continue
        if row["kind"] in (ItemKind.BONUS, ItemKind.PENALTY):
            errors.append(f"{row['where']}: " + _("bonus and penalty items cannot have children."))
            continue
        counted = [
            c for c in row["children"] if c["kind"] not in (ItemKind.BONUS, ItemKind.PENALTY)
        ]
        total = sum((c["max"] for c in counted), Decimal(0))
        if counted and total != row["max"]:
            errors.append(
                f"{row['where']}: "
                + _("maximum %(m)s differs from the sum of its criteria (%(s)s).")
                % {"m": row["max"], "s": total}
            )
    if not parsed:
        errors.append(_("Sheet %(s)s has no criteria.") % {"s": ITEMS_SHEET})

    bands: list[tuple[str, Decimal]] = []
    if BANDS_SHEET in wb.sheetnames:
        for number, raw in enumerate(wb[BANDS_SHEET].iter_rows(values_only=True), start=1):
            if number == 1 or not raw or not any(raw):
                continue
            label = _text(raw[0])
            where = _("Sheet %(s)s, row %(n)s") % {"s": BANDS_SHEET, "n": number}
            try:
                lower = parse_points(raw[1] if len(raw) > 1 else None, label or "?")
            except ReformError as exc:
                errors.append(f"{where}: {exc}")
                continue
            if not label or lower is None:
                errors.append(f"{where}: " + _("a band needs a label and a lower bound."))
                continue
            if any(lb == lower or lab == label for lab, lb in bands):
                errors.append(f"{where}: " + _("duplicate band."))
                continue
            bands.append((label, lower))
    if errors:
        raise ReformError(_("Nothing was imported."), errors)

    with transaction.atomic():
        existing = Scheme.objects.select_for_update().filter(year=year, block=block).first()
        if existing is not None:
            if existing.status != "draft" or existing.assessments.exists():
                raise ReformError(
                    _("The %(year)s scheme of this block is in use and cannot be replaced.")
                    % {"year": year}
                )
            existing.delete()
        scheme = Scheme.objects.create(
            year=year, block=block, name=_text(info.get("name")), tie_policy=tie_policy
        )
        created: dict[str, Item] = {}
        for order, row in enumerate(parsed, start=1):
            created[row["code"]] = Item.objects.create(
                scheme=scheme,
                parent=created.get(row["parent_code"]),
                code=row["code"],
                title=row["title"],
                kind=row["kind"],
                max_points=row["max"],
                guidance=row["guidance"],
                required_evidence=row["required_evidence"],
                order=order,
            )
        if bands:
            Band.objects.bulk_create(
                Band(scheme=scheme, label=label, lower_bound=lower) for label, lower in bands
            )
        else:
            from .services import ensure_default_bands

            ensure_default_bands(scheme)
        audit_record(
            actor=actor,
            action="reform.scheme_import",
            obj=scheme,
            data={"items": len(parsed), "replaced": existing is not None},
        )
    return scheme


def results_to_xlsx(title: str, header: list[str], rows: list[list]) -> bytes:
    """A simple table workbook (the published tables and the cost report)."""
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Bảng"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([cell_value(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal):
                cell.number_format = DECIMAL  # a number, shown 92,62 in Vietnamese Excel
    return workbook_bytes(wb)
