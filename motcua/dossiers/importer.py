"""Import historical dossiers from a legacy system (CSV), all or nothing.

Columns (header row required, order free, extra columns ignored):
`code, procedure_code, procedure_name, unit_code, unit_name, channel, applicant_name, submitted_at,
received_at, due_at, finished_at, returned_at, status`.

- `channel`: online | counter | post; `status`: the DVCQG code 1–10 (DOMAIN §4).
- Times: ISO 8601; without an offset they are Asia/Ho_Chi_Minh wall-clock time; empty = unknown.
- `finished_at` is the settling time for statuses 9/10 and the closing time for 3/7/8 (refused,
  withdrawn, stopped: stored as `closed_at`; when empty, the reception or submission time is used).
- UTF-8 with or without a BOM.

Optional columns (what the national index reads, DOMAIN §7; absent or empty = unknown / no):
`supplement_requests` (whole number ≥ 0; at least 1 when `supplement_requested_at` is given),
`supplement_requested_at`, `supplement_completed_at` (the last request and its completion;
completed needs requested and is not before it), `synced_at` (when the national portal received
the dossier, indicator 1.4), `electronic_result`, `digitised`, `reused_data`, `from_data_store`,
`vneid_verified`, `paid_online` (0 or 1; an electronic result only for statuses 9/10), `fee`
(VND, whole, ≥ 0), `applicant_id_type` and `applicant_id_number` (DOMAIN §12: cccd, cmnd,
passport, org_code, other; a number without a type gets the type its shape suggests).

Two passes: the first reads the file once, validates every row and collects every reason (line
numbers are the file's physical lines, the header being line 1); if any row is bad, nothing is
written. The parsed rows go to a temporary file (pickled batches), not to memory; the first pass
keeps only 8 bytes a row (a hash of the code, for duplicate codes: the file is scanned again for
the lines only when two hashes are equal) and the units and procedures by code. The second pass reads the batches back and writes in one
transaction (`insert_rows`: COPY on PostgreSQL, executemany on SQLite; `bulk_update` for changed
rows), so memory stays flat whatever the file's size (`bench/import_bench.py`).

Re-import: a code already imported is compared field by field — unchanged rows are skipped, changed
rows are updated (and get an "import_update" timeline event). A code that belongs to a live dossier
(received in motcua itself) is an error: an import never overwrites live work.

Every imported dossier is `is_historical=True` and gets one non-public timeline event "import"; the
run writes ONE audit event "dossier.import" with the counts (not one per row).
"""

from __future__ import annotations

import csv
import io
import operator
import pickle  # nosec B403  # our own temporary file, written by this process
import re
import tempfile
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, NamedTuple

from django.db import connection, models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from motcua.audit.services import audit_record
from motcua.core.copy import copy_rows
from motcua.core.text import fold
from motcua.orgs.models import Unit
from motcua.procedures.models import Procedure

from .choices import Channel, Status
from .models import Dossier, DossierEvent, DossierSequence
from .services import RULE_SWITCH

COLUMNS = (
    "code",
    "procedure_code",
    "procedure_name",
    "unit_code",
    "unit_name",
    "channel",
    "applicant_name",
    "submitted_at",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "status",
)
TIME_COLUMNS = ("submitted_at", "received_at", "due_at", "finished_at", "returned_at")
#: DOMAIN §7: the marks the 766 index reads; §12: the applicant's identity document.
FLAG_COLUMNS = (
    "electronic_result",
    "digitised",
    "reused_data",
    "from_data_store",
    "vneid_verified",
    "paid_online",
)
OPTIONAL_TIME_COLUMNS = ("supplement_requested_at", "supplement_completed_at", "synced_at")
OPTIONAL_COLUMNS = (
    "supplement_requests",
    *OPTIONAL_TIME_COLUMNS,
    *FLAG_COLUMNS,
    "fee",
    "applicant_id_type",
    "applicant_id_number",
)
MAX_FEE = 10**14 - 1  # Dossier.fee: 14 digits
#: Fields an import writes; a re-import compares exactly these to decide skip or update.
WRITTEN = (
    "procedure_id",
    "unit_id",
    "channel",
    "status",
    "applicant_name",
    "applicant_name_folded",
    "submitted_at",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "closed_at",
    "supplement_requests",
    *OPTIONAL_TIME_COLUMNS,
    *FLAG_COLUMNS,
    "fee",
    "applicant_id_type",
    "applicant_id_number",
)
CHANNELS = {c.value for c in Channel}
CLOSED = {Status.REFUSED, Status.WITHDRAWN, Status.STOPPED}
NEEDS_RECEPTION = {
    Status.RECEIVED,
    Status.IN_PROGRESS,
    Status.WAITING_PAYMENT,
    Status.STOPPED,
    Status.RESULT_READY,
    Status.RETURNED,
}
CODE_RE = re.compile(r"^(?P<agency>.+)-(?P<day>\d{6})-(?P<number>\d{4,})$")
EARLIEST = datetime(1976, 1, 1, tzinfo=UTC)


def _local_zone():
    """The zone naive times are read in: a fixed offset when the default zone has kept one since
    1976 (Viet Nam: +07:00), which makes comparisons ~5x cheaper than through ZoneInfo."""
    from motcua.core.sqltime import fixed_offset_minutes

    offset = fixed_offset_minutes(timezone.get_default_timezone_name())
    if offset is None:
        return timezone.get_default_timezone()
    return timezone.get_fixed_timezone(offset)


#: Rows written per batch (and pickled per batch between the passes).
BATCH = 5000
#: Day-event keys of the II.06a daily figures summed before they are written (bounds memory).
DAILY_FLUSH = 100_000


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"dòng {self.line}: {self.message}" if self.line else self.message


class ImportFailed(Exception):
    """The file has bad rows; nothing was changed. `errors` lists every reason."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} lỗi")
        self.errors = errors


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    created_units: list[str] = field(default_factory=list)
    created_procedures: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "rows": self.rows,
            "created_units": self.created_units,
            "created_procedures": self.created_procedures,
        }


class ParsedRow(NamedTuple):
    line: int
    code: str
    procedure_code: str
    procedure_name: str
    unit_code: str
    unit_name: str
    channel: str
    applicant_name: str
    status: int
    submitted_at: datetime | None
    received_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    extra: tuple = ()  # (name, value) of the optional columns given (see OPTIONAL_COLUMNS)


# --- reading --------------------------------------------------------------------------------
def _open(source: str | Path | IO[bytes] | IO[str]) -> IO[str]:
    if isinstance(source, (str, Path)):
        return open(source, encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed by caller)
    if isinstance(source, io.TextIOBase):
        return source
    return io.TextIOWrapper(source, encoding="utf-8-sig", newline="")  # type: ignore[arg-type]


def _rows(handle: IO[str], errors: list[RowError]) -> Iterator[tuple[int, str, ParsedRow | None]]:
    """(line, code, row) for every data row; a bad row adds its reasons to `errors`, row None."""
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        errors.append(RowError(0, "tệp trống: thiếu dòng tiêu đề"))
        return
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        errors.append(RowError(1, "thiếu cột: " + ", ".join(missing)))
        return
    index = {c: names.index(c) for c in (*COLUMNS, *OPTIONAL_COLUMNS) if c in names}
    width = len(names)
    now_limit = timezone.now() + timedelta(days=1)
    zone = _local_zone()
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            return
        line = reader.line_num
        if not raw or all(not cell.strip() for cell in raw):
            continue
        if len(raw) != width:
            errors.append(RowError(line, f"có {len(raw)} cột, tiêu đề có {width} cột"))
            yield line, "", None
            continue
        yield line, raw[index["code"]].strip(), _parse(line, raw, index, errors, now_limit, zone)


def _parse_time(value: str, column: str, reasons: list[str], now_limit: datetime, zone):
    value = value.strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        reasons.append(f"{column} '{value}' không phải thời điểm ISO 8601 hợp lệ")
        return None
    if moment.tzinfo is None:
        # Naive times are Asia/Ho_Chi_Minh wall-clock (no daylight saving since 1975).
        moment = moment.replace(tzinfo=zone)
    if moment < EARLIEST:
        reasons.append(f"{column} '{value}' trước năm 1976")
    elif column != "due_at" and moment > now_limit:
        reasons.append(f"{column} '{value}' ở tương lai")
    return moment


def _parse(
    line: int,
    raw: list[str],
    index: dict[str, int],
    errors: list[RowError],
    now_limit: datetime,
    zone,
) -> ParsedRow | None:
    def cell(name: str) -> str:
        return raw[index[name]].strip()

    reasons: list[str] = []
    code = cell("code")
    if not code:
        reasons.append("thiếu mã hồ sơ (code)")
    elif len(code) > 40:
        reasons.append(f"mã hồ sơ '{code[:40]}…' dài quá 40 ký tự")
    procedure_code, unit_code = cell("procedure_code"), cell("unit_code")
    if not procedure_code:
        reasons.append("thiếu mã thủ tục (procedure_code)")
    elif len(procedure_code) > 50:
        reasons.append("mã thủ tục dài quá 50 ký tự")
    if not unit_code:
        reasons.append("thiếu mã đơn vị (unit_code)")
    elif len(unit_code) > 20:
        reasons.append("mã đơn vị dài quá 20 ký tự")
    channel = cell("channel").lower()
    if channel not in CHANNELS:
        reasons.append(f"kênh '{cell('channel')}' không hợp lệ (online, counter hoặc post)")
    applicant_name = cell("applicant_name")
    if len(applicant_name) > 200:
        reasons.append("tên người nộp dài quá 200 ký tự")
    status_text = cell("status")
    status = int(status_text) if status_text.isdigit() else 0
    if not 1 <= status <= 10:
        reasons.append(f"trạng thái '{status_text}' không hợp lệ (mã DVCQG 1–10)")
    times = {c: _parse_time(raw[index[c]], c, reasons, now_limit, zone) for c in TIME_COLUMNS}
    submitted, received, due = times["submitted_at"], times["received_at"], times["due_at"]
    finished, returned = times["finished_at"], times["returned_at"]

    if submitted and received and received < submitted:
        reasons.append("received_at trước submitted_at")
    if due and received and due < received:
        reasons.append("hạn xử lý (due_at) trước thời điểm tiếp nhận (received_at)")
    if finished and received and finished < received:
        reasons.append("finished_at trước received_at")
    if returned and finished and returned < finished:
        reasons.append("returned_at trước finished_at")
    if 1 <= status <= 10:
        label = f"trạng thái {status}"
        if status == Status.SUBMITTED_ONLINE:
            if received:
                reasons.append(f"{label} (chưa tiếp nhận) không được có received_at")
            if channel and channel != Channel.ONLINE:
                reasons.append(f"{label} chỉ dùng cho kênh online")
        if status in NEEDS_RECEPTION and received is None:
            reasons.append(f"{label} cần received_at")
        if status in (Status.RESULT_READY, Status.RETURNED) and finished is None:
            reasons.append(f"{label} cần finished_at")
        if status == Status.RETURNED and returned is None:
            reasons.append(f"{label} cần returned_at")
        if status not in (Status.RESULT_READY, Status.RETURNED, *CLOSED) and finished:
            reasons.append(f"{label} không được có finished_at")
        if status != Status.RETURNED and returned:
            reasons.append(f"{label} không được có returned_at")
        if submitted is None and received is None:
            reasons.append("cần ít nhất submitted_at hoặc received_at")
    extra = _parse_optional(cell, index, status, received or submitted, reasons, now_limit, zone)
    if reasons:
        errors.extend(RowError(line, r) for r in reasons)
        return None
    return ParsedRow(
        line=line,
        code=code,
        procedure_code=procedure_code,
        procedure_name=cell("procedure_name")[:500],
        unit_code=unit_code,
        unit_name=cell("unit_name")[:255],
        channel=channel,
        applicant_name=applicant_name,
        status=status,
        submitted_at=submitted,
        received_at=received,
        due_at=due,
        finished_at=finished,
        returned_at=returned,
        extra=extra,
    )


_FLAG_VALUES = {"": False, "0": False, "1": True}


def _parse_optional(
    cell, index: dict[str, int], status: int, start: datetime | None, reasons, now_limit, zone
) -> tuple:
    """The optional columns of one row as ((field, value), …); bad values add their reasons."""
    from motcua.core.identity import IdType, guess_id_type

    given = {c: cell(c) for c in OPTIONAL_COLUMNS if c in index}
    if not given:  # a file without the optional columns: nothing to check, nothing to write
        return ()
    out: dict[str, Any] = {}
    count_text = given.get("supplement_requests", "")
    count = None
    if count_text:
        if count_text.isdigit() and int(count_text) <= 32767:
            count = int(count_text)
        else:
            reasons.append(
                f"supplement_requests '{count_text}' không phải số nguyên không âm (0, 1, 2…)"
            )
    times = {
        c: _parse_time(given.get(c, ""), c, reasons, now_limit, zone) for c in OPTIONAL_TIME_COLUMNS
    }
    requested, completed = times["supplement_requested_at"], times["supplement_completed_at"]
    # DOMAIN §7, 2.1: the citizen's waiting time is completed − requested.
    if completed and requested is None:
        reasons.append("supplement_completed_at cần supplement_requested_at")
    if completed and requested and completed < requested:
        reasons.append("supplement_completed_at trước supplement_requested_at")
    if requested and start and requested < start:
        reasons.append("supplement_requested_at trước khi nộp/tiếp nhận hồ sơ")
    if requested and count == 0:
        reasons.append("supplement_requests = 0 nhưng có supplement_requested_at")
    if times["synced_at"] and start and times["synced_at"] < start:
        reasons.append("synced_at trước khi nộp/tiếp nhận hồ sơ")
    if "supplement_requests" in given or requested:
        out["supplement_requests"] = count if count is not None else (1 if requested else 0)
    out.update({c: v for c, v in times.items() if c in given})
    for name in FLAG_COLUMNS:
        if name not in given:
            continue
        value = given[name]
        if value not in _FLAG_VALUES:
            reasons.append(f"{name} '{value}' không hợp lệ (0, 1 hoặc để trống)")
            continue
        out[name] = _FLAG_VALUES[value]
    if out.get("electronic_result") and status not in (Status.RESULT_READY, Status.RETURNED):
        reasons.append(f"electronic_result = 1 chỉ dùng cho trạng thái 9, 10 (đang là {status})")
    fee_text = given.get("fee", "")
    if fee_text:
        if fee_text.isdigit() and int(fee_text) <= MAX_FEE:
            out["fee"] = Decimal(fee_text)
        else:
            reasons.append(f"fee '{fee_text}' không phải số tiền (đồng, số nguyên không âm)")
    elif "fee" in given:
        out["fee"] = None
    id_type = given.get("applicant_id_type", "").lower()
    number = re.sub(r"[\s.]", "", given.get("applicant_id_number", ""))
    if id_type and id_type not in IdType.values:
        reasons.append(
            f"applicant_id_type '{given['applicant_id_type']}' không hợp lệ "
            f"({', '.join(IdType.values)})"
        )
    elif id_type and not number:
        reasons.append("applicant_id_type cần applicant_id_number")
    elif len(number) > 20:
        reasons.append("applicant_id_number dài quá 20 ký tự")
    elif number:
        id_type = id_type or guess_id_type(number)
        digits = {IdType.CCCD: 12, IdType.CMND: 9}.get(id_type)  # type: ignore[call-overload]
        if digits and not (number.isdigit() and len(number) == digits):
            reasons.append(f"applicant_id_number '{number}' không phải {id_type} ({digits} chữ số)")
        out["applicant_id_type"], out["applicant_id_number"] = id_type, number
    return tuple(out.items())


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# --- fast inserts -----------------------------------------------------------------------------
def insert_rows(model, rows: list[dict[str, Any]], *, now: datetime | None = None) -> None:
    """INSERT many rows given as {attname: value} dicts: `executemany` (SQLite) or COPY (PostgreSQL).

    The same rows through `bulk_create` cost ~10x more Python time (a model instance per row, then
    every value prepared field by field); a million-row import is dominated by that. Columns a row
    does not give take the field's default; `auto_now(_add)` columns take `now`.
    """
    if not rows:
        return
    now = now or timezone.now()
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not f.generated  # the database computes generated columns
    ]
    defaults: dict[str, Any] = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        elif f.has_default() or not f.null:
            defaults[f.attname] = f.get_default()
        else:
            defaults[f.attname] = None
    sqlite = connection.vendor == "sqlite"
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    pick = operator.itemgetter(*[f.attname for f in fields])
    stamped = [
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    moments = [f.attname for f in fields if isinstance(f, models.DateTimeField)]

    def values(row: dict[str, Any]) -> tuple:
        merged = defaults | row
        for name in stamped:
            if merged[name] is None:
                merged[name] = now
        if sqlite:
            # Django's own storage format on SQLite: naive UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
            for name in moments:
                value = merged[name]
                if value is not None:
                    merged[name] = value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        return pick(merged)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path; in binary, with the table's types (core/copy.py).
            copy_rows(cursor, table, columns, map(values, rows))
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # nosec B608  # identifiers from model _meta, values bound as parameters
        for chunk in _chunks(rows, BATCH):
            cursor.executemany(sql, [values(row) for row in chunk])


# --- pass 1: validate everything --------------------------------------------------------------
@dataclass
class _Plan:
    rows: int = 0
    units: dict[str, int] = field(default_factory=dict)  # code -> id (existing)
    procedures: dict[str, int] = field(default_factory=dict)
    new_units: dict[str, str] = field(default_factory=dict)  # code -> name
    new_procedures: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (name, unit)


def _check_live(pending: dict[str, int], errors: list[RowError]) -> None:
    """An import never overwrites a live dossier (one received in motcua itself)."""
    if pending:
        live = Dossier.objects.filter(code__any_of=list(pending), is_historical=False)
        for code in live.values_list("code", flat=True):
            errors.append(
                RowError(
                    pending[code],
                    f"mã hồ sơ '{code}' là hồ sơ đang xử lý trong hệ thống, không ghi đè",
                )
            )
    pending.clear()


def _duplicates(handle: IO[str], hashes: array, errors: list[RowError]) -> None:
    """Codes given twice. The first pass kept only each code's hash; when two hashes are equal,
    the file is scanned again for the codes themselves (exact, and only on that error path)."""
    import numpy as np

    ordered = np.sort(np.frombuffer(hashes, dtype=np.int64))
    same = ordered[1:] == ordered[:-1]
    if not same.any():
        return
    suspects = set(ordered[1:][same].tolist())
    handle.seek(0)
    reader = csv.reader(handle)
    names = [h.strip().lstrip("\ufeff").lower() for h in next(reader)]
    where, width = names.index("code"), len(names)
    first: dict[str, int] = {}
    for raw in reader:
        if len(raw) != width or all(not cell.strip() for cell in raw):
            continue
        code = raw[where].strip()
        if code and hash(code) in suspects:
            seen = first.setdefault(code, reader.line_num)
            if seen != reader.line_num:
                errors.append(RowError(reader.line_num, f"mã hồ sơ '{code}' trùng với dòng {seen}"))


def _validate(handle: IO[str], create_missing: bool, spill: IO[bytes]) -> _Plan:
    """Check every row; the good rows are pickled to `spill` in batches of `BATCH`."""
    errors: list[RowError] = []
    unit_errors: list[RowError] = []
    proc_errors: list[RowError] = []
    live_errors: list[RowError] = []
    duplicate_errors: list[RowError] = []
    plan = _Plan()
    # Precomputed look-ups: every unit and procedure code (a catalogue, not the dossiers).
    plan.units = dict(Unit.objects.values_list("code", "id"))
    plan.procedures = dict(Procedure.objects.values_list("code", "id"))
    hashes = array("q")  # one 8-byte hash per code: duplicates without keeping the codes
    pending: dict[str, int] = {}  # code -> line, for the live-dossier check
    batch: list[tuple] = []
    missing = "(dùng --create-missing để tạo)"
    try:
        for line, code, row in _rows(handle, errors):
            plan.rows += 1
            if code:
                hashes.append(hash(code))
                pending.setdefault(code, line)
                if len(pending) >= BATCH:
                    _check_live(pending, live_errors)
            if row is None:
                continue
            if row.unit_code not in plan.units:
                if create_missing:
                    plan.new_units.setdefault(row.unit_code, row.unit_name or row.unit_code)
                else:
                    unit_errors.append(
                        RowError(line, f"không có đơn vị mã '{row.unit_code}' {missing}")
                    )
            if row.procedure_code not in plan.procedures:
                if create_missing:
                    plan.new_procedures.setdefault(
                        row.procedure_code,
                        (row.procedure_name or row.procedure_code, row.unit_code),
                    )
                else:
                    proc_errors.append(
                        RowError(line, f"không có thủ tục mã '{row.procedure_code}' {missing}")
                    )
            if not (errors or unit_errors or proc_errors):
                batch.append(tuple(row))
                if len(batch) >= BATCH:
                    pickle.dump(batch, spill, pickle.HIGHEST_PROTOCOL)
                    batch = []
        _check_live(pending, live_errors)
        if len(hashes) > 1:
            _duplicates(handle, hashes, duplicate_errors)
    except UnicodeDecodeError:
        raise ImportFailed([RowError(0, "tệp không phải UTF-8")]) from None
    except csv.Error as exc:
        raise ImportFailed([RowError(0, f"tệp CSV hỏng: {exc}")]) from None
    if batch:
        pickle.dump(batch, spill, pickle.HIGHEST_PROTOCOL)
    # The order of the reasons of one line: the row's own, duplicate, unit, procedure, live.
    errors = sorted(
        [*errors, *duplicate_errors, *unit_errors, *proc_errors, *live_errors],
        key=lambda e: e.line,
    )
    if errors:
        raise ImportFailed(errors)
    return plan


def _spilled(spill: IO[bytes]) -> Iterator[list[ParsedRow]]:
    spill.seek(0)
    make = ParsedRow._make
    while True:
        try:
            batch = pickle.load(spill)  # nosec B301  # written by _validate in this process
        except EOFError:
            return
        yield [make(values) for values in batch]


# --- pass 2: write ----------------------------------------------------------------------------
def _values(row: ParsedRow, plan: _Plan, folded: dict[str, str]) -> dict[str, Any]:
    closed = None
    finished = row.finished_at
    if row.status in CLOSED:
        closed = finished or row.received_at or row.submitted_at
        finished = None
    return {
        "procedure_id": plan.procedures[row.procedure_code],
        "unit_id": plan.units[row.unit_code],
        "channel": row.channel,
        "status": row.status,
        "applicant_name": row.applicant_name,
        # bulk_create skips Dossier.save(), which keeps this search column in step.
        "applicant_name_folded": folded.get(row.applicant_name)
        or folded.setdefault(row.applicant_name, fold(row.applicant_name)),
        "submitted_at": row.submitted_at,
        "received_at": row.received_at,
        "due_at": row.due_at,
        "finished_at": finished,
        "returned_at": row.returned_at,
        "closed_at": closed,
        # Only the optional columns the file gives: a re-import without them keeps what the
        # dossier has (a new row takes the fields' defaults: unknown / no).
        **dict(row.extra),
    }


def _event_time(values: dict[str, Any]) -> datetime:
    return (
        values["returned_at"]
        or values["finished_at"]
        or values["closed_at"]
        or values["received_at"]
        or values["submitted_at"]
    )


def bump_sequences(highest: dict[tuple[str, date], int]) -> None:
    """Raise the per-day code counters above imported codes, so live intake never reuses one."""
    if not highest:
        return
    existing = {
        (s.agency_code, s.day): s
        for s in DossierSequence.objects.filter(
            agency_code__in={a for a, _ in highest}, day__in={d for _, d in highest}
        )
    }
    new, changed = [], []
    for (agency, day), number in highest.items():
        seq = existing.get((agency, day))
        if seq is None:
            new.append(DossierSequence(agency_code=agency, day=day, last=number))
        elif seq.last < number:
            seq.last = number
            changed.append(seq)
    DossierSequence.objects.bulk_create(new, batch_size=BATCH)
    DossierSequence.objects.bulk_update(changed, ["last"], batch_size=BATCH)


def _note_code(code: str, highest: dict[tuple[str, date], int]) -> None:
    match = CODE_RE.match(code)
    if not match:
        return
    try:
        day = datetime.strptime(match["day"], "%y%m%d").date()
    except ValueError:
        return
    key = (match["agency"], day)
    number = int(match["number"])
    if highest.get(key, 0) < number:
        highest[key] = number


@dataclass
class _Writer:
    """What the write pass keeps between batches: small, whatever the file's size."""

    plan: _Plan
    result: ImportResult
    now: datetime
    highest: dict[tuple[str, date], int] = field(default_factory=dict)
    daily: Counter = field(default_factory=Counter)  # II.06a day events not yet stored
    folded: dict[str, str] = field(default_factory=dict)  # applicant name -> folded (bounded)
    switch: datetime = field(
        default_factory=lambda: timezone.make_aware(
            datetime.combine(RULE_SWITCH, datetime.min.time())
        )
    )

    def flush_daily(self) -> None:
        from motcua.reports import daily

        daily.apply_difference(self.daily)
        self.daily = Counter()


def _write_batch(batch: list[ParsedRow], writer: _Writer) -> None:
    plan, result, highest, now = writer.plan, writer.result, writer.highest, writer.now
    if len(writer.folded) > 50_000:
        writer.folded.clear()
    existing = {
        row["code"]: row
        for row in Dossier.objects.filter(code__any_of=[r.code for r in batch]).values(
            "id", "code", *WRITTEN
        )
    }
    new: list[dict[str, Any]] = []
    changed: list[Dossier] = []
    replaced: list[dict[str, Any]] = []  # the stored rows of `changed`
    for row in batch:
        values = _values(row, plan, writer.folded)
        _note_code(row.code, highest)
        old = existing.get(row.code)
        if old is None:
            values["code"] = row.code
            values["is_historical"] = True
            # services.rule_version_for, without a local-date conversion per row.
            start = row.received_at or row.submitted_at
            values["rule_version"] = "118/2025" if start >= writer.switch else "61/2018"
            new.append(values)
        elif all(old[f] == values[f] for f in WRITTEN if f in values):
            result.skipped += 1
        else:
            values = {f: old[f] for f in WRITTEN} | values
            changed.append(Dossier(pk=old["id"], updated_at=now, **values))
            replaced.append(old)
    events: list[dict[str, Any]] = []
    if new:
        insert_rows(Dossier, new, now=now)
        _insert_import_events([v["code"] for v in new])
        result.created += len(new)
    if changed:
        Dossier.objects.bulk_update(changed, [*WRITTEN, "updated_at"], batch_size=BATCH)
        events += [
            _event(d.pk, {f: getattr(d, f) for f in WRITTEN}, "import_update") for d in changed
        ]
        result.updated += len(changed)
    insert_rows(DossierEvent, events, now=now)
    # The daily II.06a figures follow the import in its transaction (bulk writes skip save()):
    # the differences of every batch are summed, then stored at the end (or when many).
    from motcua.reports import daily

    daily.difference(
        replaced, [*new, *({f: getattr(d, f) for f in WRITTEN} for d in changed)], writer.daily
    )
    if len(writer.daily) > DAILY_FLUSH:
        writer.flush_daily()


#: The timeline line of an imported dossier: staff-side history, not the citizen's.
IMPORT_NOTE = "Nhập từ hệ thống cũ"


def _insert_import_events(codes: list[str]) -> None:
    """The "import" timeline line of each dossier just written, made by the database from the
    stored rows: `INSERT … SELECT`, no ids read back and no second COPY (issue 17: a fifth of the
    write pass). The line's time is `_event_time`'s, as SQL."""
    source = (
        Dossier.objects.filter(code__any_of=codes)
        .annotate(
            event_at=Coalesce(
                "returned_at", "finished_at", "closed_at", "received_at", "submitted_at"
            )
        )
        .values_list("id", "event_at", "status")
    )
    select, params = source.query.sql_with_params()
    meta, quote = DossierEvent._meta, connection.ops.quote_name
    columns = ", ".join(
        quote(meta.get_field(name).column)
        for name in ("dossier", "at", "to_status", "action", "note", "public")
    )
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # nosec B608  # names from _meta
        f"SELECT s.{quote('id')}, s.{quote('event_at')}, s.{quote('status')}, %s, %s, %s "
        f"FROM ({select}) s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ("import", IMPORT_NOTE, False, *params))  # in the order they appear


def _event(dossier_id: int, values: dict[str, Any], action: str) -> dict[str, Any]:
    """A non-public timeline line: the import is staff-side history, not the citizen's."""
    return {
        "dossier_id": dossier_id,
        "at": _event_time(values),
        "action": action,
        "to_status": values["status"],
        "note": IMPORT_NOTE,
        "public": False,
    }


def import_dossiers(
    *,
    actor,
    source: str | Path | IO[bytes] | IO[str],
    create_missing: bool = False,
    source_name: str = "",
) -> ImportResult:
    """Import a legacy CSV: everything or nothing (raises ImportFailed listing every bad row)."""
    handle = _open(source)
    try:
        with tempfile.TemporaryFile(prefix="motcua-import-") as spill:
            plan = _validate(handle, create_missing, spill)
            result = ImportResult(rows=plan.rows)
            with transaction.atomic():
                _write(plan, result, spill)
                audit_record(
                    actor=actor,
                    action="dossier.import",
                    object_type="dossiers.dossier",
                    note=source_name or (str(source) if isinstance(source, (str, Path)) else ""),
                    data=result.as_json() | {"vendor": connection.vendor},
                )
    finally:
        if isinstance(source, (str, Path)):
            handle.close()
    return result


def _write(plan: _Plan, result: ImportResult, spill: IO[bytes]) -> None:
    """Pass 2 (inside the caller's transaction, with the audit event)."""
    writer = _Writer(plan, result, timezone.now())
    for code, name in sorted(plan.new_units.items()):
        unit = Unit.objects.create(code=code, name=name, is_historical=True)
        plan.units[code] = unit.pk
        result.created_units.append(code)
    for code, (name, unit_code) in sorted(plan.new_procedures.items()):
        procedure = Procedure.objects.create(
            code=code,
            name=name,
            unit_id=plan.units[unit_code],
            is_historical=True,
            time_value=0,
            active=False,
        )
        plan.procedures[code] = procedure.pk
        result.created_procedures.append(code)
    for batch in _spilled(spill):
        _write_batch(batch, writer)
    writer.flush_daily()
    bump_sequences(writer.highest)
