"""Writing to the outbox: one INSERT in the transaction of the change it reports.

The dossier services call `enqueue_dossier` from their single hook (`dossiers.services._log`),
inside their own `transaction.atomic`: the message exists if and only if the change committed.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from .models import OutboxMessage, OutboxState
from .payload import dossier_payload

if TYPE_CHECKING:
    from motcua.dossiers.models import Dossier

# The statement computes the next sequence of the dossier (transitions hold the dossier's row
# lock, so two writers of one dossier never race for it), and adds the procedure and unit codes
# and the documents with their digitisation marks (DOMAIN §7, 4.2–4.4) to the Python-made
# payload: the message is a snapshot of the transaction's own view, at the cost of one statement.
# Table names are literals (no formatting): they are the apps' default tables.
_INSERT_POSTGRESQL = """
INSERT INTO dvcqg_outboxmessage
    (message_id, dossier_id, sequence, reason, payload, state, attempts, next_attempt_at,
     last_error, created_at)
SELECT %s, %s, COALESCE(MAX(o.sequence), 0) + 1, %s,
    %s::jsonb || jsonb_build_object(
        'MaTTHC', (SELECT p.code FROM procedures_procedure p WHERE p.id = %s),
        'MaDonVi', (SELECT u.code FROM orgs_unit u WHERE u.id = %s),
        'DanhSachGiayTo', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                'TenGiayTo', d.name, 'HinhThuc', d.form, 'SoLuong', d.count,
                'DuocSoHoa', d.digitised, 'DuocTaiSuDung', d.reused,
                'DuocLayTuKhoDMQG', d.from_data_store) ORDER BY d.id)
            FROM dossiers_dossierdocument d WHERE d.dossier_id = %s), '[]'::jsonb)),
    %s, 0, %s, '', %s
FROM dvcqg_outboxmessage o WHERE o.dossier_id = %s
"""
_INSERT_SQLITE = """
INSERT INTO dvcqg_outboxmessage
    (message_id, dossier_id, sequence, reason, payload, state, attempts, next_attempt_at,
     last_error, created_at)
SELECT %s, %s, COALESCE(MAX(o.sequence), 0) + 1, %s,
    json_set(%s,
        '$.MaTTHC', (SELECT p.code FROM procedures_procedure p WHERE p.id = %s),
        '$.MaDonVi', (SELECT u.code FROM orgs_unit u WHERE u.id = %s),
        '$.DanhSachGiayTo', json((
            SELECT json_group_array(json_object(
                'TenGiayTo', d.name, 'HinhThuc', d.form, 'SoLuong', d.count,
                'DuocSoHoa', json(CASE WHEN d.digitised THEN 'true' ELSE 'false' END),
                'DuocTaiSuDung', json(CASE WHEN d.reused THEN 'true' ELSE 'false' END),
                'DuocLayTuKhoDMQG',
                    json(CASE WHEN d.from_data_store THEN 'true' ELSE 'false' END)))
            FROM (SELECT * FROM dossiers_dossierdocument
                  WHERE dossier_id = %s ORDER BY id) d))),
    %s, 0, %s, '', %s
FROM dvcqg_outboxmessage o WHERE o.dossier_id = %s
"""


def _prep(name: str, value: Any) -> Any:
    """A value as the database takes it for this column (UUID and JSON differ per vendor)."""
    field = cast(models.Field, OutboxMessage._meta.get_field(name))
    return field.get_db_prep_save(value, connection)


def sync_enabled() -> bool:
    """Sync is on when the portal's address is configured (MOTCUA_DVCQG_URL)."""
    return bool(getattr(settings, "MOTCUA_DVCQG_URL", ""))


def enqueue_dossier(dossier: Dossier, *, reason: str, unlocked: bool = False) -> bool:
    """Queue the dossier's current state for the portal; one INSERT. False when sync is off.

    Call it inside the transaction that changed the dossier, after the change is saved. Callers
    that do not hold the dossier's row lock (`unlocked=True`, e.g. an attachment upload) may race
    another writer of the same dossier for the next sequence: their INSERT runs in a savepoint
    and is retried when the unique (dossier, sequence) constraint says it lost.
    """
    if not sync_enabled():
        return False
    now = timezone.now()
    sql = _INSERT_POSTGRESQL if connection.vendor == "postgresql" else _INSERT_SQLITE
    params = [
        _prep("message_id", uuid.uuid4()),
        dossier.pk,
        reason[:40],
        _prep("payload", dossier_payload(dossier)),
        dossier.procedure_id,
        dossier.unit_id,
        dossier.pk,
        OutboxState.PENDING.value,
        _prep("next_attempt_at", now),
        _prep("created_at", now),
        dossier.pk,
    ]
    if not unlocked:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        return True
    for attempt in range(1, 4):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
            return True
        except IntegrityError:
            if attempt == 3:
                raise
    return True  # pragma: no cover - the loop returns or raises
