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

One pass, in one transaction (issue 17): a reader thread parses and checks every row and collects
every reason (line numbers are the file's physical lines, the header being line 1), handing the
good rows over in batches of `BATCH`; this thread writes each batch (`insert_rows`: COPY on
PostgreSQL, executemany on SQLite; `bulk_update` for changed rows) while the reader parses the
next one. At the first bad row the writing stops and the reading goes on, so every reason is
reported; then `ImportFailed` rolls the transaction back and nothing was changed. Memory stays flat
whatever the file's size (`bench/import_bench.py`): at most `AHEAD` batches wait, and the reader
keeps only 8 bytes a row (a hash of the code, for duplicate codes: the file is scanned again for
the lines only when two hashes are equal).

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
import queue
import re
import sys
import threading
from array import array
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, NamedTuple

from django.db import connection, models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from motcua.audit.services import audit_record
from motcua.core.copy import (
    BinaryCopyData,
    column_types,
    copy_data,
    copy_rows,
    foreign_keys_checked_per_statement,
)
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


class _Clock(NamedTuple):
    """What a time is read and checked against, all in one zone object (comparisons between
    datetimes that share their tzinfo skip the offsets: ≈ 15× cheaper)."""

    zone: tzinfo  # core.sqltime.local_zone(): +07:00 as one fixed-offset object
    earliest: datetime
    now_limit: datetime
    rule_switch: datetime  # services.RULE_SWITCH, the day Decree 118/2025 applies from

    @classmethod
    def now(cls) -> _Clock:
        from motcua.core.sqltime import local_zone

        zone = local_zone()
        switch = timezone.make_aware(datetime.combine(RULE_SWITCH, datetime.min.time()))
        return cls(
            zone,
            EARLIEST.astimezone(zone),
            (timezone.now() + timedelta(days=1)).astimezone(zone),
            switch.astimezone(zone),
        )


#: Rows checked, handed over and written per batch.
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


def _rows(
    handle: IO[str], errors: list[RowError], clock: _Clock
) -> Iterator[tuple[int, str, ParsedRow | None]]:
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
    optional = tuple(c for c in OPTIONAL_COLUMNS if c in index)
    where = index["code"]
    width = len(names)
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
        yield line, raw[where].strip(), _parse(line, raw, index, optional, errors, clock)


_fromisoformat, _combine = datetime.fromisoformat, datetime.combine


def _parse_time(value: str, column: str, reasons: list[str], clock: _Clock) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        moment = _fromisoformat(value)
    except ValueError:
        reasons.append(f"{column} '{value}' không phải thời điểm ISO 8601 hợp lệ")
        return None
    zone = clock.zone
    if moment.tzinfo is None:
        # Naive times are Asia/Ho_Chi_Minh wall-clock (no daylight saving since 1975);
        # combine() costs a fifth of replace(tzinfo=…).
        moment = _combine(moment.date(), moment.time(), zone)
    elif moment.tzinfo is not zone:
        moment = moment.astimezone(zone)  # the same instant, in the zone object all rows share
    if moment < clock.earliest:
        reasons.append(f"{column} '{value}' trước năm 1976")
    elif moment > clock.now_limit and column != "due_at":
        reasons.append(f"{column} '{value}' ở tương lai")
    return moment


#: Status codes as plain ints (set look-ups and comparisons on every row).
_NEEDS_RECEPTION = frozenset(int(s) for s in NEEDS_RECEPTION)
_MAY_FINISH = frozenset(int(s) for s in (Status.RESULT_READY, Status.RETURNED, *CLOSED))
_RESULT = frozenset((int(Status.RESULT_READY), int(Status.RETURNED)))
_SUBMITTED_ONLINE, _RETURNED = int(Status.SUBMITTED_ONLINE), int(Status.RETURNED)


def _parse(
    line: int,
    raw: list[str],
    index: dict[str, int],
    optional: tuple[str, ...],
    errors: list[RowError],
    clock: _Clock,
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
    submitted = _parse_time(raw[index["submitted_at"]], "submitted_at", reasons, clock)
    received = _parse_time(raw[index["received_at"]], "received_at", reasons, clock)
    due = _parse_time(raw[index["due_at"]], "due_at", reasons, clock)
    finished = _parse_time(raw[index["finished_at"]], "finished_at", reasons, clock)
    returned = _parse_time(raw[index["returned_at"]], "returned_at", reasons, clock)

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
        if status == _SUBMITTED_ONLINE:
            if received:
                reasons.append(f"{label} (chưa tiếp nhận) không được có received_at")
            if channel and channel != Channel.ONLINE:
                reasons.append(f"{label} chỉ dùng cho kênh online")
        if status in _NEEDS_RECEPTION and received is None:
            reasons.append(f"{label} cần received_at")
        if status in _RESULT and finished is None:
            reasons.append(f"{label} cần finished_at")
        if status == _RETURNED and returned is None:
            reasons.append(f"{label} cần returned_at")
        if status not in _MAY_FINISH and finished:
            reasons.append(f"{label} không được có finished_at")
        if status != _RETURNED and returned:
            reasons.append(f"{label} không được có returned_at")
        if submitted is None and received is None:
            reasons.append("cần ít nhất submitted_at hoặc received_at")
    extra = (
        _parse_optional(cell, optional, status, received or submitted, reasons, clock)
        if optional
        else ()  # a file without the optional columns: nothing to check, nothing to write
    )
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
    cell, optional: tuple[str, ...], status: int, start: datetime | None, reasons, clock: _Clock
) -> tuple:
    """The optional columns of one row as ((field, value), …); bad values add their reasons."""
    from motcua.core.identity import IdType, guess_id_type

    given = {c: cell(c) for c in optional}
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
    times = {c: _parse_time(given.get(c, ""), c, reasons, clock) for c in OPTIONAL_TIME_COLUMNS}
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
class RowShape:
    """How rows of `model` given as {attname: value} dicts become the tuples an INSERT or a COPY
    takes: every concrete column but the key and generated ones, in order; a column a row does
    not give takes the field's default, `auto_now(_add)` columns take `now`."""

    def __init__(self, model, now: datetime):
        self.now = now
        fields = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key and not f.generated  # the database computes generated columns
        ]
        self.defaults: dict[str, Any] = {}
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif f.has_default() or not f.null:
                self.defaults[f.attname] = f.get_default()
            else:
                self.defaults[f.attname] = None
        self.sqlite = connection.vendor == "sqlite"
        self.table = connection.ops.quote_name(model._meta.db_table)
        self.columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        self.width = len(fields)
        self._pick = operator.itemgetter(*[f.attname for f in fields])
        self._stamped = [
            f.attname
            for f in fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        self._moments = [f.attname for f in fields if isinstance(f, models.DateTimeField)]

    def values(self, row: dict[str, Any]) -> tuple:
        merged = self.defaults | row
        for name in self._stamped:
            if merged[name] is None:
                merged[name] = self.now
        if self.sqlite:
            # Django's own storage format on SQLite: naive UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
            for name in self._moments:
                value = merged[name]
                if value is not None:
                    merged[name] = value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        return self._pick(merged)


def insert_rows(model, rows: list[dict[str, Any]], *, now: datetime | None = None) -> None:
    """INSERT many rows given as {attname: value} dicts: `executemany` (SQLite) or COPY (PostgreSQL).

    The same rows through `bulk_create` cost ~10x more Python time (a model instance per row, then
    every value prepared field by field); a million-row import is dominated by that. Columns a row
    does not give take the field's default; `auto_now(_add)` columns take `now` (`RowShape`).
    """
    if not rows:
        return
    shape = RowShape(model, now or timezone.now())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path; in binary, with the table's types (core/copy.py).
            copy_rows(cursor, shape.table, shape.columns, map(shape.values, rows))
            return
        sql = f"INSERT INTO {shape.table} ({shape.columns}) VALUES ({', '.join(['%s'] * shape.width)})"  # nosec B608  # identifiers from model _meta, values bound as parameters
        for chunk in _chunks(rows, BATCH):
            cursor.executemany(sql, [shape.values(row) for row in chunk])


# --- reading and checking, on a thread of its own ----------------------------------------------
#: Batches parsed ahead of the writer (bounds memory: at most this many batches wait).
AHEAD = 2


@dataclass
class _Plan:
    units: dict[str, int] = field(default_factory=dict)  # code -> id
    procedures: dict[str, int] = field(default_factory=dict)


@dataclass
class _Batch:
    codes: dict[str, int]  # every code of the batch (good rows or not) -> its first line
    rows: list[ParsedRow] = field(default_factory=list)  # the good rows (none once one is bad)
    values: list[dict[str, Any]] = field(default_factory=list)  # `_values` of each good row
    #: II.06a figures handed over to be stored (`_Reader.daily`, bucketed), when it has grown.
    daily: Counter | None = None
    #: PostgreSQL: the good rows as new dossiers, formatted for a binary COPY by the reader
    #: (None when it could not: a unit or procedure the import creates has no id yet).
    copy: bytes | None = None


@dataclass
class _DossierCopy:
    """What the reader needs to format new dossiers for COPY (PostgreSQL only)."""

    cursor: Any  # a psycopg cursor of the import's connection: its adapters, nothing is sent
    types: list[int]
    shape: RowShape

    @classmethod
    def prepare(cls, now: datetime) -> _DossierCopy | None:
        if connection.vendor != "postgresql":
            return None
        shape = RowShape(Dossier, now)
        with connection.cursor() as cursor:
            types = column_types(cursor, shape.table, shape.columns)
        return cls(connection.connection.cursor(), types, shape)

    def start(self) -> BinaryCopyData:
        return BinaryCopyData(self.cursor, self.types)


class _Errors:
    """Every reason, by kind; a line's reasons are reported in this order (then by line)."""

    def __init__(self) -> None:
        self.rows: list[RowError] = []  # the row's own (and the file's)
        self.duplicates: list[RowError] = []
        self.units: list[RowError] = []
        self.procedures: list[RowError] = []
        self.live: list[RowError] = []

    def __bool__(self) -> bool:
        return bool(self.rows or self.duplicates or self.units or self.procedures or self.live)

    def sorted(self) -> list[RowError]:
        return sorted(
            [*self.rows, *self.duplicates, *self.units, *self.procedures, *self.live],
            key=lambda e: e.line,
        )


class _Reader:
    """Reads and checks the file on its own thread and hands the good rows over in batches.

    Pure Python, no database: the caller's thread keeps the connection and the transaction, and
    while it waits for PostgreSQL to write batch N (psycopg releases the GIL while it waits), this
    thread parses batch N+1 (issue 17: the two used to run one after the other)."""

    def __init__(
        self,
        handle: IO[str],
        plan: _Plan,
        create_missing: bool,
        errors: _Errors,
        dossier_copy: _DossierCopy | None,
    ):
        self.handle, self.errors, self.create_missing = handle, errors, create_missing
        # Without --create-missing nobody adds to the plan's units and procedures while reading.
        self.plan, self.dossier_copy = plan, dossier_copy
        self.rows = 0
        self.highest: dict[tuple[str, date], int] = {}  # per-day code counters (`_note_code`)
        self.folded: dict[str, str] = {}  # applicant name -> folded (bounded)
        #: The II.06a day events of the good rows as if all were new, summed over batches and
        #: keyed by unit and procedure *codes* (the writer turns them into ids when it stores
        #: them: once per key and flush, not once per key and batch).
        self.daily: Counter = Counter()
        self.hashes = array("q")  # one 8-byte hash per code: duplicates without keeping the codes
        self.clock = _Clock.now()
        self.queue: queue.Queue = queue.Queue(maxsize=AHEAD)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="motcua-import-reader", daemon=True)

    def __iter__(self) -> Iterator[_Batch]:
        self.thread.start()
        while True:
            item = self.queue.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        """Stop the thread (also when the writer failed half-way) and wait for it."""
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join()

    def _put(self, item) -> None:
        while not self.stopping.is_set():
            try:
                self.queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def _run(self) -> None:
        try:
            self._read()
            item = None
        except UnicodeDecodeError:
            item = ImportFailed([RowError(0, "tệp không phải UTF-8")])
        except csv.Error as exc:
            item = ImportFailed([RowError(0, f"tệp CSV hỏng: {exc}")])
        except BaseException as exc:  # handed to the caller's thread, raised there
            item = exc
        self._put(item)

    def _read(self) -> None:
        from motcua.reports.daily import bucketed, events

        errors = self.errors
        batch = _Batch({})
        missing = "(dùng --create-missing để tạo)"
        check_catalogue = not self.create_missing
        units, procedures, switch = self.plan.units, self.plan.procedures, self.clock.rule_switch
        dossier_copy = self.dossier_copy
        formatted = dossier_copy.start() if dossier_copy else None
        for line, code, row in _rows(self.handle, errors.rows, self.clock):
            if self.stopping.is_set():
                return
            self.rows += 1
            if code:
                self.hashes.append(hash(code))
                batch.codes.setdefault(code, line)
            if row is not None and check_catalogue:
                if row.unit_code not in units:
                    errors.units.append(
                        RowError(line, f"không có đơn vị mã '{row.unit_code}' {missing}")
                    )
                if row.procedure_code not in procedures:
                    errors.procedures.append(
                        RowError(line, f"không có thủ tục mã '{row.procedure_code}' {missing}")
                    )
            if row is not None and not errors:
                # What the writer would otherwise do while PostgreSQL waits for it.
                if len(self.folded) > 50_000:
                    self.folded.clear()
                values = _values(row, self.folded)
                batch.rows.append(row)
                batch.values.append(values)
                self.daily.update(events(values))
                _note_code(row.code, self.highest)
                if formatted is not None:
                    # Formatted as a new dossier (the usual case); the writer falls back to its
                    # own rows if some turn out to exist already.
                    unit, procedure = units.get(row.unit_code), procedures.get(row.procedure_code)
                    if unit is None or procedure is None:
                        formatted = None  # created by this import: the writer formats the batch
                    else:
                        new = _new_row(row, values, unit, procedure, switch)
                        formatted.write_row(dossier_copy.shape.values(new))  # type: ignore[union-attr]
            if len(batch.codes) >= BATCH or len(batch.rows) >= BATCH:
                if len(self.daily) > DAILY_FLUSH:
                    batch.daily, self.daily = bucketed(self.daily), Counter()
                self._put(self._sealed(batch, formatted))
                batch = _Batch({})
                formatted = dossier_copy.start() if dossier_copy else None
        # The rest of the figures, bucketed here too: the writer may still be writing.
        batch.daily, self.daily = bucketed(self.daily), Counter()
        self._put(self._sealed(batch, formatted))

    @staticmethod
    def _sealed(batch: _Batch, formatted: BinaryCopyData | None) -> _Batch:
        if formatted is not None and batch.rows and formatted.rows == len(batch.rows):
            batch.copy = formatted.finish()
        return batch


#: How often the interpreter offers the GIL to another thread while the reader runs (seconds).
HANDOVER = 0.0005


@contextmanager
def _quick_handover() -> Iterator[None]:
    """While the reader thread runs, the GIL changes hands every 0.5 ms instead of 5 ms.

    Each time PostgreSQL answers, the writing thread needs the GIL back from the busy reader; at
    CPython's default interval it waited up to 5 ms each time, many times per statement (the
    "convoy effect"), which cost 100k rows ≈ 3 s (issue 17, session 7). The interval is the
    process's: it is put back afterwards (an import is a command, not a request)."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, HANDOVER))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _live_error(codes: dict[str, int], code: str) -> RowError:
    """An import never overwrites a live dossier (one received in motcua itself)."""
    return RowError(
        codes[code], f"mã hồ sơ '{code}' là hồ sơ đang xử lý trong hệ thống, không ghi đè"
    )


def _check_live(codes: dict[str, int], errors: list[RowError]) -> None:
    if codes:
        live = Dossier.objects.filter(code__any_of=list(codes), is_historical=False)
        errors.extend(_live_error(codes, code) for code in live.values_list("code", flat=True))


def _duplicates(handle: IO[str], hashes: array, errors: list[RowError]) -> None:
    """Codes given twice. The reader kept only each code's hash; when two hashes are equal,
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


# --- writing ---------------------------------------------------------------------------------
def _values(row: ParsedRow, folded: dict[str, str]) -> dict[str, Any]:
    """The fields a row writes (`WRITTEN`), except that `procedure_id` and `unit_id` hold the
    codes: the reader prepares the row, the writer swaps in the ids (a unit or procedure the file
    creates has none before)."""
    closed = None
    finished = row.finished_at
    if row.status in CLOSED:
        closed = finished or row.received_at or row.submitted_at
        finished = None
    return {
        "procedure_id": row.procedure_code,
        "unit_id": row.unit_code,
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
    """What the writing keeps between batches: small, whatever the file's size."""

    plan: _Plan
    result: ImportResult
    now: datetime
    dossier_copy: _DossierCopy | None
    #: II.06a day events by unit and procedure id, not yet stored: the corrections of rows that
    #: were not new after all (the reader counted every row as new).
    daily: Counter = field(default_factory=Counter)
    switch: datetime = field(default_factory=lambda: _Clock.now().rule_switch)

    def store_daily(self, by_code: Counter) -> None:
        """Store the reader's figures (bucketed, keyed by codes) with this writer's corrections,
        in the import's transaction (bulk writes skip Dossier.save(), which keeps them)."""
        from motcua.reports import daily

        units, procedures = self.plan.units, self.plan.procedures
        rows = Counter(
            {(units[u], procedures[p], *rest): n for (u, p, *rest), n in by_code.items()}
        )
        rows.update(daily.bucketed(self.daily))  # update, not +=: keeps negative counts
        daily.apply_bucketed(rows)
        self.daily = Counter()


def _existing(codes: dict[str, int], live_errors: list[RowError]) -> dict[str, dict[str, Any]]:
    """The stored dossiers of a batch's codes, in one query: a live one (received in motcua
    itself) is an error, an import never overwrites it; the historical ones are re-imports."""
    existing = {}
    for row in Dossier.objects.filter(code__any_of=list(codes)).values(
        "id", "code", "is_historical", *WRITTEN
    ):
        if row.pop("is_historical"):
            existing[row["code"]] = row
        else:
            live_errors.append(_live_error(codes, row["code"]))
    return existing


def _write_batch(batch: _Batch, existing: dict[str, dict[str, Any]], writer: _Writer) -> None:
    from motcua.reports import daily

    plan, result, now, switch = writer.plan, writer.result, writer.now, writer.switch
    units, procedures = plan.units, plan.procedures
    new: list[dict[str, Any]] = []
    changed: list[Dossier] = []
    replaced: list[dict[str, Any]] = []  # the stored rows of `changed`
    for row, values in zip(batch.rows, batch.values, strict=True):
        old = existing.get(row.code)
        if old is None:
            new.append((row, values))
            continue
        values["unit_id"] = units[row.unit_code]
        values["procedure_id"] = procedures[row.procedure_code]
        # Not new after all: its events, counted by the reader, come off again.
        writer.daily.subtract(daily.events(values))
        if all(old[f] == values[f] for f in WRITTEN if f in values):
            result.skipped += 1
        else:
            values = {f: old[f] for f in WRITTEN} | values
            changed.append(Dossier(pk=old["id"], updated_at=now, **values))
            replaced.append(old)
    if new:
        if batch.copy is not None and len(new) == len(batch.rows):
            # All new, as the reader formatted them: only the sending is left for this thread.
            shape = writer.dossier_copy.shape  # type: ignore[union-attr]
            with connection.cursor() as cursor:
                copy_data(cursor, shape.table, shape.columns, batch.copy)
        else:
            insert_rows(
                Dossier,
                [
                    _new_row(
                        row, values, units[row.unit_code], procedures[row.procedure_code], switch
                    )
                    for row, values in new
                ],
                now=now,
            )
        _insert_import_events([row.code for row, _values in new])
        result.created += len(new)
    if changed:
        Dossier.objects.bulk_update(changed, [*WRITTEN, "updated_at"], batch_size=BATCH)
        insert_rows(
            DossierEvent,
            [_event(d.pk, {f: getattr(d, f) for f in WRITTEN}, "import_update") for d in changed],
            now=now,
        )
        result.updated += len(changed)
        # The daily II.06a figures follow the import in its transaction (bulk writes skip
        # save()): the differences of every batch are summed, then stored at the end (or when
        # many).
        daily.difference(
            replaced, [{f: getattr(d, f) for f in WRITTEN} for d in changed], writer.daily
        )


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
        with transaction.atomic():
            result = _import(handle, create_missing)
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


def _import(handle: IO[str], create_missing: bool) -> ImportResult:
    """One pass, inside the caller's transaction: the reader thread checks every row while this
    thread writes the good batches; at the first bad row the writing stops, the reading goes on to
    report every reason, and ImportFailed rolls back what was written."""
    plan = _Plan(
        # Every unit and procedure code (a catalogue, not the dossiers), for the reader's checks.
        units=dict(Unit.objects.values_list("code", "id")),
        procedures=dict(Procedure.objects.values_list("code", "id")),
    )
    errors = _Errors()
    result = ImportResult()
    now = timezone.now()
    dossier_copy = _DossierCopy.prepare(now)
    writer = _Writer(plan, result, now, dossier_copy)
    reader = _Reader(handle, plan, create_missing, errors, dossier_copy)
    writing = True
    try:
        with (
            _quick_handover(),
            foreign_keys_checked_per_statement(connection, (Dossier, DossierEvent)),
        ):
            for batch in reader:
                if not (writing and not errors):
                    writing = False
                    _check_live(batch.codes, errors.live)
                    continue
                existing = _existing(batch.codes, errors.live) if batch.codes else {}
                # A code twice in one batch would fail the COPY: stop writing, the duplicate
                # check below reports the lines (every row of the batch is good, so the codes
                # are as many as the rows unless one repeats).
                writing = not errors and len(batch.codes) == len(batch.rows)
                if writing:
                    _create_missing(batch.rows, plan, result)
                    _write_batch(batch, existing, writer)
                    if batch.daily is not None:
                        writer.store_daily(batch.daily)
    finally:
        reader.close()
        if dossier_copy is not None:
            dossier_copy.cursor.close()
    result.rows = reader.rows
    if len(reader.hashes) > 1:
        _duplicates(handle, reader.hashes, errors.duplicates)
    if errors:
        raise ImportFailed(errors.sorted())
    bump_sequences(reader.highest)
    result.created_units.sort()
    result.created_procedures.sort()
    return result


def _new_row(
    row: ParsedRow, values: dict[str, Any], unit_id: int, procedure_id: int, switch: datetime
) -> dict[str, Any]:
    """The dossier a row creates: its values with the ids, the code, historical, its rules."""
    start = row.received_at or row.submitted_at
    return values | {
        "unit_id": unit_id,
        "procedure_id": procedure_id,
        "code": row.code,
        "is_historical": True,
        # services.rule_version_for, without a local-date conversion per row.
        "rule_version": "118/2025" if start >= switch else "61/2018",  # type: ignore[operator]
    }


def _create_missing(batch: list[ParsedRow], plan: _Plan, result: ImportResult) -> None:
    """With --create-missing: the units and procedures a batch names that do not exist yet, as
    historical, inactive records (a procedure belongs to the unit of its first row)."""
    for row in batch:
        if row.unit_code not in plan.units:
            unit = Unit.objects.create(
                code=row.unit_code, name=row.unit_name or row.unit_code, is_historical=True
            )
            plan.units[row.unit_code] = unit.pk
            result.created_units.append(row.unit_code)
        if row.procedure_code not in plan.procedures:
            procedure = Procedure.objects.create(
                code=row.procedure_code,
                name=row.procedure_name or row.procedure_code,
                unit_id=plan.units[row.unit_code],
                is_historical=True,
                time_value=0,
                active=False,
            )
            plan.procedures[row.procedure_code] = procedure.pk
            result.created_procedures.append(row.procedure_code)
