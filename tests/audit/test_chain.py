"""Issue 13 gap 4: the audit log is tamper-evident (hash chain) and, on PostgreSQL, write-protected."""

from __future__ import annotations

import json
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError

from motcua.audit.chain import expected_guarded_tables, guarded_tables, row_hash, verify_all
from motcua.audit.models import AuditEvent, PersonalDataAccess
from motcua.audit.services import audit_record, personal_data_access_record

POSTGRES = connection.vendor == "postgresql"


def _events(n=3):
    events = [
        audit_record(actor=None, action=f"test.{i}", object_type="t", object_id=i, data={"i": i})
        for i in range(n)
    ]
    personal_data_access_record(actor=None, subject_type="t", subject_id=1, purpose="test")
    return events


def _raw(sql, params=()):
    """Tamper as an attacker with the app's database user would (trigger off on PostgreSQL)."""
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if POSTGRES:
            cursor.execute("SET LOCAL session_replication_role = origin")


def verify(capsys):
    code = 0
    try:
        call_command("audit", "verify", "--format", "json")
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.django_db
def test_events_are_chained_and_verify_passes(capsys):
    first, second, third = _events()
    assert (first.seq, second.seq, third.seq) == (1, 2, 3)
    assert (
        first.prev_hash == "" and second.prev_hash == first.hash and third.prev_hash == second.hash
    )
    assert len(third.hash) == 64 and third.hash == row_hash(AuditEvent.objects.get(pk=third.pk))
    code, out = verify(capsys)
    assert code == 0 and out["ok"] is True
    chains = {c["table"]: c for c in out["chains"]}
    assert chains["audit_auditevent"]["rows"] == 3
    assert chains["audit_auditevent"]["head"] == third.hash
    assert chains["audit_personaldataaccess"]["rows"] == 1


@pytest.mark.django_db
def test_a_changed_event_is_named(capsys):
    _first, second, _third = _events()
    _raw("UPDATE audit_auditevent SET note = 'sửa' WHERE id = %s", [second.pk])
    code, out = verify(capsys)
    broken = (
        out["chains"][0] if out["chains"][0]["table"] == "audit_auditevent" else out["chains"][1]
    )
    assert code == 1 and out["ok"] is False
    assert broken["broken_id"] == second.pk and "changed" in broken["reason"]


@pytest.mark.django_db
def test_a_deleted_event_is_named(capsys):
    _first, second, third = _events()
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    code, out = verify(capsys)
    chain = next(c for c in out["chains"] if c["table"] == "audit_auditevent")
    assert code == 1 and chain["broken_id"] == third.pk and "missing" in chain["reason"]


@pytest.mark.django_db
def test_a_rewritten_access_log_entry_is_named_in_text(capsys):
    _events()
    entry = PersonalDataAccess.objects.get()
    _raw("UPDATE audit_personaldataaccess SET purpose = 'khác' WHERE id = %s", [entry.pk])
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "verify")
    assert exc.value.code == 1
    out = capsys.readouterr().out
    assert f"audit_personaldataaccess: HỎNG tại bản ghi id={entry.pk}" in out


@pytest.mark.django_db
def test_a_forged_whole_row_with_recomputed_hash_breaks_the_next_link(capsys):
    first, second, third = _events()
    forged = AuditEvent.objects.get(pk=second.pk)
    forged.note = "forged"
    forged.hash = row_hash(forged)
    _raw(
        "UPDATE audit_auditevent SET note = %s, hash = %s WHERE id = %s",
        [forged.note, forged.hash, second.pk],
    )
    code, out = verify(capsys)
    chain = next(c for c in out["chains"] if c["table"] == "audit_auditevent")
    assert code == 1 and chain["broken_id"] == third.pk and "link" in chain["reason"]


@pytest.mark.django_db
def test_ipv6_and_json_round_trip_keep_the_hash():
    event = audit_record(
        actor=None, action="x", data={"b": [1, 2], "a": {"z": "ả", "y": None}}, ip="2001:db8:0:0::1"
    )
    assert row_hash(AuditEvent.objects.get(pk=event.pk)) == event.hash
    assert all(r.ok for r in verify_all())


@pytest.mark.skipif(not POSTGRES, reason="the database guard is PostgreSQL's")
@pytest.mark.django_db
def test_postgresql_refuses_update_and_delete_on_every_append_only_table():
    event = audit_record(actor=None, action="x")
    assert expected_guarded_tables() <= guarded_tables()
    assert {
        "audit_auditevent",
        "audit_personaldataaccess",
        "dossiers_dossierevent",
    } <= guarded_tables()
    for sql in (
        "UPDATE audit_auditevent SET note = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).note == ""


@pytest.mark.skipif(not POSTGRES, reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    barrier = threading.Barrier(8)
    errors = []

    def write(i):
        try:
            barrier.wait()
            for j in range(5):
                with transaction.atomic():
                    audit_record(actor=None, action=f"c.{i}.{j}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.count() == 40
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 41))
    assert all(r.ok for r in verify_all())


@pytest.mark.django_db
def test_verify_bad_argument_is_one_line():
    with pytest.raises(Exception, match="invalid choice"):
        call_command("audit", "verify", "--format", "xml")
