"""`motcua blocking import FILE.csv`: legacy registry exports, all-or-nothing, idempotent by request_no.

Rows with the same `request_no` are the assets of one request (their request columns must agree).
Every row is checked first; any error → nothing is written and every reason is reported with its line
number. Requests whose `request_no` is already in the registry are skipped, so running the same file
twice changes nothing. Rows are written in batches with explicit ids (PostgreSQL: COPY; SQLite:
executemany), inside one transaction; the search table is filled in the same pass.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import SimpleNamespace

from django.db import connection, transaction
from django.utils import timezone

from motcua.audit.services import audit_record
from motcua.core.text import fold
from motcua.orgs.models import Unit
from motcua.procedures.deadlines import procedure_due
from motcua.worktime import WorktimeError, get_calendar

from .choices import AssetType, Kind, RequestStatus
from .deadline import blocking_procedure
from .errors import BlockingError
from .identity import check_owner_identity
from .keys import asset_keys, ident_key, name_key
from .models import Asset, AuthorityType, BlockingRequest, Owner, Release, SearchKey
from .services import next_seq

COLUMNS = (
    "request_no",
    "kind",
    "authority",
    "document_number",
    "document_date",
    "received_at",
    "asset_type",
    "certificate_serial",
    "parcel_number",
    "map_sheet",
    "address",
    "plate",
    "frame_number",
    "engine_number",
    "owners",
    "status",
    "release_document_number",
    "release_document_date",
)
REQUEST_COLUMNS = (
    "kind",
    "authority",
    "document_number",
    "document_date",
    "received_at",
    "status",
    "release_document_number",
    "release_document_date",
)
BATCH = 5000
#: From this many new requests on, the search indexes are rebuilt rather than updated row by row.
REBUILD_INDEX_FROM = 50_000
MAX_REPORTED = 200

# Authority type guessed from the sender's name (folded): first match wins, else "other".
AUTHORITY_HINTS = (
    ("thi hanh an", "enforcement"),
    ("toa an", "court"),
    ("vien kiem sat", "procuracy"),
    ("cong an", "police"),
    ("canh sat", "police"),
    ("van phong dang ky dat", "certificate_body"),
    ("tai nguyen va moi truong", "certificate_body"),
    ("nong nghiep va moi truong", "certificate_body"),
)


class ImportFailed(Exception):
    """The file was refused; `errors` are 'line N: reason' strings (nothing was written)."""

    def __init__(self, errors: list[str], total: int | None = None):
        super().__init__(errors[0] if errors else "import failed")
        self.errors = errors
        self.total = total if total is not None else len(errors)


@dataclass
class Summary:
    rows: int = 0
    requests_created: int = 0
    assets_created: int = 0
    requests_skipped: int = 0
    errors: list[str] = field(default_factory=list)


def parse_date(text: str) -> date:
    text = text.strip()
    if len(text) == 10 and text[4] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"ngày không hợp lệ: {text!r} (YYYY-MM-DD hoặc DD/MM/YYYY)")


def parse_datetime(text: str) -> datetime:
    text = text.strip()
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        try:
            value = datetime.combine(parse_date(text), datetime.min.time())
        except ValueError:
            raise ValueError(f"thời điểm không hợp lệ: {text!r} (ISO 8601)") from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def parse_owners(text: str) -> list[tuple[str, str, str]]:
    """ "Tên|Số giấy tờ;Tên|loại:Số giấy tờ" → [(name, id type, number)].

    DOMAIN §12: the number may carry its type as a prefix (`identity.TYPE_PREFIXES`:
    "hc:C1234567", "msdn:0100109106-001"); without one, as in every file of the old system, the
    type is guessed by shape (12 digits CCCD, 9 CMND, …)."""
    owners = []
    for chunk in (text or "").split(";"):
        if not chunk.strip():
            continue
        name, _sep, id_number = chunk.partition("|")
        if not name.strip():
            raise ValueError("một chủ sở hữu không có tên")
        owners.append((name.strip(), *check_owner_identity("", id_number.strip())))
    if not owners:
        raise ValueError('thiếu chủ sở hữu (owners: "Tên|Số giấy tờ;Tên|Số giấy tờ")')
    return owners


def guess_authority(name: str, types: dict[str, int]) -> int:
    folded = fold(name)
    for hint, code in AUTHORITY_HINTS:
        if hint in folded and code in types:
            return types[code]
    return types["other"]


def _read(path) -> Iterable[tuple[int, dict]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in reader.fieldnames or []]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise ImportFailed([f"dòng 1: thiếu cột {', '.join(missing)}"])
        reader.fieldnames = header
        for number, row in enumerate(reader, start=2):
            yield number, {k: (v or "").strip() for k, v in row.items() if k is not None}


# Built once: `Enum.values` builds a new list on every call (~1 s per 30,000 rows when asked per row).
ASSET_TYPES = frozenset(AssetType.values)
KINDS = frozenset(Kind.values)


def _validate(path, existing_nos: set[str], existing_docs: set[tuple], types, calendar, procedure):
    """Parse and check every row; returns (requests to create, skipped count, rows, errors)."""
    requests: dict[str, dict] = {}
    skipped: set[str] = set()
    errors: list[str] = []
    error_count = 0
    docs_in_file: dict[tuple, str] = {}
    rows = 0
    for number, row in _read(path):
        rows += 1
        try:
            request_no = row["request_no"]
            if not request_no:
                raise ValueError("thiếu request_no")
            if request_no in existing_nos:
                skipped.add(request_no)
                continue
            asset_type = row["asset_type"]
            if asset_type not in ASSET_TYPES:
                raise ValueError(
                    f"asset_type phải là land, vehicle hoặc other, không phải {asset_type!r}"
                )
            if asset_type == AssetType.LAND and not (
                row["certificate_serial"]
                or (row["parcel_number"] and row["map_sheet"])
                or row["address"]
            ):
                raise ValueError("tài sản là đất nhưng không có số GCN, thửa/tờ bản đồ hay địa chỉ")
            if asset_type == AssetType.VEHICLE and not (
                row["plate"] or row["frame_number"] or row["engine_number"]
            ):
                raise ValueError("phương tiện không có biển số, số khung hay số máy")
            owners = parse_owners(row["owners"])
            asset = {k: row[k] for k in COLUMNS[7:14]}
            asset["asset_type"] = asset_type
            asset["owners"] = owners
            current = requests.get(request_no)  # nosec B113  # a dict of this import, not the HTTP library
            if current is None:
                if row["kind"] not in KINDS:
                    raise ValueError(
                        f"kind phải là blocking hoặc reference, không phải {row['kind']!r}"
                    )
                if not row["authority"] or not row["document_number"]:
                    raise ValueError("thiếu authority hoặc document_number")
                if row["status"] not in ("active", "released"):
                    raise ValueError(
                        f"status phải là active hoặc released, không phải {row['status']!r}"
                    )
                document_date = parse_date(row["document_date"])
                received_at = parse_datetime(row["received_at"])
                release_date = None
                if row["status"] == "released":
                    if not row["release_document_number"]:
                        raise ValueError("trạng thái released nhưng thiếu release_document_number")
                    if row["release_document_date"]:
                        release_date = parse_date(row["release_document_date"])
                doc_key = (
                    name_key(row["authority"]),
                    ident_key(row["document_number"]),
                    document_date,
                )
                if doc_key in existing_docs:
                    raise ValueError(
                        "văn bản (cùng cơ quan, số, ngày) đã có trong sổ với số vào sổ khác"
                    )
                if doc_key in docs_in_file:
                    raise ValueError(
                        f"văn bản trùng với yêu cầu {docs_in_file[doc_key]} trong cùng tệp"
                    )
                docs_in_file[doc_key] = request_no
                try:
                    due_at = procedure_due(procedure, received_at, calendar=calendar)
                except WorktimeError:
                    due_at = None
                requests[request_no] = {
                    "raw": {k: row[k] for k in REQUEST_COLUMNS},
                    "request_no": request_no,
                    "kind": row["kind"],
                    "authority": row["authority"],
                    "authority_type_id": guess_authority(row["authority"], types),
                    "doc_key": doc_key,
                    "document_number": row["document_number"],
                    "document_date": document_date,
                    "received_at": received_at,
                    "due_at": due_at,
                    "released": row["status"] == "released",
                    "release_number": row["release_document_number"],
                    "release_date": release_date,
                    "assets": [asset],
                }
            else:
                differing = [k for k in REQUEST_COLUMNS if current["raw"][k] != row[k]]
                if differing:
                    raise ValueError(
                        f"cùng request_no {request_no} nhưng khác cột {', '.join(differing)}"
                    )
                current["assets"].append(asset)
        except ValueError as exc:
            error_count += 1
            if len(errors) < MAX_REPORTED:
                errors.append(f"dòng {number}: {exc}")
        except Exception as exc:  # a validator's own error type (e.g. BlockingError)
            error_count += 1
            if len(errors) < MAX_REPORTED:
                errors.append(f"dòng {number}: {exc}")
    return requests, len(skipped), rows, errors, error_count


# --- fast writing ------------------------------------------------------------------------------------
def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


_UTC = UTC


def _sqlite_datetime(value: datetime) -> str:
    # Django's SQLite backend stores aware datetimes as naive UTC "YYYY-MM-DD HH:MM:SS[.ffffff]".
    return value.astimezone(_UTC).replace(tzinfo=None).isoformat(" ")


class _Writer:
    """Explicit-id bulk writer: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self):
        self.vendor = connection.vendor
        self.preps = {}

    def next_id(self, model) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")  # nosec B608  # table name from model _meta
            return cursor.fetchone()[0] + 1

    def lock(self, models) -> None:
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in models:
                    cursor.execute(f"LOCK TABLE {model._meta.db_table} IN EXCLUSIVE MODE")

    def _preparers(self, model):
        """Per column, None or a function giving SQLite's stored form (as Django stores it)."""
        if model not in self.preps:
            preps = []
            for f in model._meta.concrete_fields:
                internal = f.get_internal_type()
                if self.vendor == "postgresql":
                    preps.append(None)
                elif internal == "UUIDField":
                    preps.append(lambda v: v.hex)
                elif internal == "DateTimeField":
                    preps.append(_sqlite_datetime)
                elif internal == "DateField":
                    preps.append(lambda v: v.isoformat())
                elif internal == "DecimalField":
                    preps.append(str)
                else:
                    preps.append(None)
            self.preps[model] = preps
        return self.preps[model]

    def write(self, model, rows: list[tuple]) -> None:
        if not rows:
            return
        table = model._meta.db_table
        columns = _columns(model)
        if self.vendor == "postgresql":
            raw = connection.cursor().cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        preps = self._preparers(model)
        if any(preps):
            rows = [
                tuple(
                    value if prep is None or value is None else prep(value)
                    for prep, value in zip(preps, row, strict=True)
                )
                for row in rows
            ]
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # nosec B608  # identifiers from model _meta, values bound as parameters
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def fix_sequences(self, models) -> None:
        if self.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # nosec B608  # table name from model _meta
                    f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                )


def _index_ddl(action: str, model=SearchKey) -> None:
    """Drop or create a search table's indexes (as declared in its `Meta.indexes`)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for index in model._meta.indexes:
            name = connection.ops.quote_name(index.name)
            if action == "create":
                columns = ", ".join(
                    connection.ops.quote_name(model._meta.get_field(f).column) for f in index.fields
                )
                cursor.execute(f"CREATE INDEX {name} ON {table} ({columns})")
            else:
                cursor.execute(f"DROP INDEX {name}")


def import_csv(path, *, actor=None, unit: Unit, progress=None) -> Summary:
    """Check the whole file, then write it in one transaction; ImportFailed lists the reasons."""
    types = dict(AuthorityType.objects.values_list("code", "pk"))
    if "other" not in types:
        raise ImportFailed(["bảng loại cơ quan thiếu loại 'other'"])
    existing_nos = set(BlockingRequest.objects.values_list("request_no", flat=True).iterator())
    existing_docs = {
        (a, d, dt)
        for a, d, dt in BlockingRequest.objects.values_list(
            "authority_key", "document_number_key", "document_date"
        ).iterator()
    }
    calendar = get_calendar(unit.calendar_name or "hue")
    try:
        # DOMAIN §11: the due time of every imported document is the catalogue's time limit.
        procedure = blocking_procedure()
    except BlockingError as exc:
        raise ImportFailed([str(exc)]) from exc
    requests, skipped, rows, errors, error_count = _validate(
        path, existing_nos, existing_docs, types, calendar, procedure
    )
    if error_count:
        raise ImportFailed(errors, error_count)
    summary = Summary(rows=rows, requests_skipped=skipped)
    if not requests:
        return summary
    models = (BlockingRequest, Release, Asset, Owner, SearchKey)
    now = timezone.now()
    writer = _Writer()
    with transaction.atomic():
        writer.lock(models)
        # A large import drops the search table's indexes while writing and builds them after
        # (inside the same transaction: look-ups wait for the import instead of seeing half of it).
        rebuild_index = len(requests) >= REBUILD_INDEX_FROM
        if rebuild_index:
            _index_ddl("remove")
        last_seq = next_seq(len(requests))
        seq = last_seq - len(requests)
        ids = {model: writer.next_id(model) for model in models}
        buffers: dict = {model: [] for model in models}

        def flush():
            # All tables together, parents first: a child row never waits for its parent (on
            # SQLite a pending deferred foreign-key violation makes every later insert scan).
            for model in models:
                if buffers[model]:
                    writer.write(model, buffers[model])
                    buffers[model] = []

        for item in requests.values():
            seq += 1
            request_id = ids[BlockingRequest]
            ids[BlockingRequest] += 1
            status = RequestStatus.RELEASED if item["released"] else RequestStatus.PUBLISHED
            authority_key, document_key, document_date = item["doc_key"]
            buffers[BlockingRequest].append(
                (
                    request_id, uuid.uuid4(), unit.pk, item["request_no"], item["kind"],
                    item["authority_type_id"], item["authority"], authority_key, "",
                    item["document_number"], document_key, document_date, item["received_at"],
                    unit.calendar_name or "hue", item["due_at"], "", "", "", "", status, now,
                    None, None, None, None, None, True, False, seq,  # legacy, from_national
                )
            )  # fmt: skip
            release_id = None
            if item["released"]:
                release_id = ids[Release]
                ids[Release] += 1
                buffers[Release].append(
                    (
                        release_id, uuid.uuid4(), request_id, item["release_number"],
                        item["release_date"], item["authority"], None, None, "", "", "", now,
                        None,
                    )
                )  # fmt: skip
            request_ns = SimpleNamespace(
                request_no=item["request_no"], document_number=item["document_number"]
            )
            for position, asset in enumerate(item["assets"], start=1):
                asset_id = ids[Asset]
                ids[Asset] += 1
                buffers[Asset].append(
                    (
                        asset_id, uuid.uuid4(), request_id, position, asset["asset_type"],
                        asset["certificate_serial"], "", None, asset["parcel_number"],
                        asset["map_sheet"], asset["address"], None, "", "", "", "",
                        asset["plate"], "", asset["frame_number"], asset["engine_number"],
                        "", release_id, None, None, "",
                    )
                )  # fmt: skip
                owner_ns = []
                for owner_position, (name, id_type, id_number) in enumerate(
                    asset["owners"], start=1
                ):
                    buffers[Owner].append(
                        (
                            ids[Owner],
                            asset_id,
                            owner_position,
                            name,
                            id_type,
                            id_number,
                            None,
                            None,
                            None,
                            "",
                        )
                    )
                    ids[Owner] += 1
                    owner_ns.append(SimpleNamespace(name=name, id_number=id_number))
                asset_ns = SimpleNamespace(
                    certificate_serial=asset["certificate_serial"],
                    plate=asset["plate"],
                    registration_number="",
                    frame_number=asset["frame_number"],
                    engine_number=asset["engine_number"],
                    parcel_number=asset["parcel_number"],
                    map_sheet=asset["map_sheet"],
                    address=asset["address"],
                    description="",
                    attached_assets="",
                    use_purpose="",
                )
                for kind, value in asset_keys(asset_ns, owner_ns, request_ns):
                    buffers[SearchKey].append(
                        (ids[SearchKey], asset_id, request_id, unit.pk, True, kind, value)
                    )
                    ids[SearchKey] += 1
                summary.assets_created += 1
            summary.requests_created += 1
            if summary.requests_created % BATCH == 0:
                flush()
                if progress:
                    progress(summary.requests_created, len(requests))
        flush()
        if rebuild_index:
            # Re-create the search indexes in one sorted pass (far cheaper than millions of
            # random b-tree insertions).
            _index_ddl("create")
        writer.fix_sequences(models)
        audit_record(
            actor=actor,
            action="blocking.import",
            object_type=BlockingRequest._meta.label_lower,
            note=str(path),
            data={
                "rows": rows,
                "requests_created": summary.requests_created,
                "assets_created": summary.assets_created,
                "requests_skipped": skipped,
                "unit": unit.code,
            },
        )
    return summary
