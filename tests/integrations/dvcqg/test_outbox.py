"""The outbox is written in the transaction of the change, with one INSERT, or not at all."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.services import dossier_transition
from motcua.integrations.dvcqg import worker
from motcua.integrations.dvcqg.models import OutboxMessage, OutboxState

from .conftest import advance, receive

pytestmark = pytest.mark.django_db


def test_sync_off_when_the_url_is_unset(settings, personas, procedure):
    settings.MOTCUA_DVCQG_URL = ""
    dossier = advance(personas, receive(personas, procedure))
    assert dossier.status == 10
    assert not OutboxMessage.objects.exists()


def test_every_change_queues_one_snapshot_in_sequence(sync_on, personas, procedure):
    dossier = advance(personas, receive(personas, procedure))
    messages = list(OutboxMessage.objects.filter(dossier=dossier).order_by("sequence"))
    assert [(m.sequence, m.reason) for m in messages] == [
        (1, "receive"),
        (2, "forward"),
        (3, "forward"),
        (4, "result_ready"),
        (5, "return_result"),
    ]
    assert [m.payload["TrangThaiHoSo"] for m in messages] == [2, 4, 4, 9, 10]
    assert all(m.state == OutboxState.PENDING and m.attempts == 0 for m in messages)
    assert len({m.message_id for m in messages}) == 5
    first, last = messages[0].payload, messages[-1].payload
    assert first["MaHoSo"] == dossier.code
    assert first["MaTTHC"] == procedure.code and first["MaDonVi"] == dossier.unit.code
    assert first["KenhThucHien"] == 1
    assert first["NgayKetThucXuLy"] is None and last["NgayKetThucXuLy"] is not None
    assert last["NgayTraKetQua"] is not None
    # Per-document marks (DOMAIN §7, 4.2–4.4) travel in document order, as JSON booleans.
    assert [d["TenGiayTo"] for d in first["DanhSachGiayTo"]] == ["Tờ khai", "CCCD"]
    assert first["DanhSachGiayTo"][0]["DuocSoHoa"] is False


def test_payload_is_the_state_of_the_transaction(sync_on, personas, procedure):
    from motcua.dossiers.models import DossierDocument

    dossier = receive(personas, procedure)
    DossierDocument.objects.filter(dossier=dossier, name="CCCD").update(
        digitised=True, from_data_store=True
    )
    dossier.vneid_verified = True
    dossier.save(update_fields=["vneid_verified"])
    dossier = advance(personas, dossier, steps=1)
    payload = OutboxMessage.objects.get(dossier=dossier, sequence=2).payload
    assert payload["TaiKhoanDuocXacThucVoiVNeID"] is True
    cccd = payload["DanhSachGiayTo"][1]
    assert cccd["DuocSoHoa"] is True and cccd["DuocLayTuKhoDMQG"] is True


def test_a_rolled_back_transaction_queues_and_sends_nothing(sync_on, personas, procedure):
    dossier = receive(personas, procedure)
    OutboxMessage.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_transition(
            actor=personas["clerk"],
            dossier_id=dossier.pk,
            action="forward",
            assignee=personas["specialist"],
        )
        assert OutboxMessage.objects.count() == 1  # written inside the transaction …
        raise RuntimeError("the change fails after the outbox write")
    assert not OutboxMessage.objects.exists()  # … and gone with it
    result = worker.run_once()
    assert result.sent == 0
    assert sync_on.get("/_stub/messages") == []


def _transition_queries(personas, dossier_id, action, who):
    with CaptureQueriesContext(connection) as queries:
        dossier_transition(
            actor=personas[who],
            dossier_id=dossier_id,
            action=action,
            assignee=personas["specialist"] if action == "forward" and who == "clerk" else None,
        )
    return [q["sql"] for q in queries.captured_queries]


def test_the_outbox_costs_one_insert_per_transition(settings, sync_on, personas, procedure):
    off = receive(personas, procedure)
    on = receive(personas, procedure, name="Trần Thị Bình")
    settings.MOTCUA_DVCQG_URL = ""
    without = _transition_queries(personas, off.pk, "forward", "clerk")
    settings.MOTCUA_DVCQG_URL = sync_on.url
    with_sync = _transition_queries(personas, on.pk, "forward", "clerk")
    assert len(with_sync) == len(without) + 1
    extra = [sql for sql in with_sync if "dvcqg_outboxmessage" in sql]
    assert len(extra) == 1 and extra[0].lstrip().upper().startswith("INSERT INTO")


def test_an_online_payment_is_synced_as_paid_online(sync_on, personas, procedure):
    """DOMAIN §7, 3.6: the mark set after the payment's transition reaches the portal too."""
    from decimal import Decimal

    from motcua.dossiers import marks

    dossier = receive(personas, procedure)
    with transaction.atomic():
        marks.paid_online(dossier, amount=Decimal(200000))
    last = OutboxMessage.objects.filter(dossier=dossier).order_by("sequence").last()
    assert last.reason == "marks" and last.payload["DuocThanhToanTrucTuyen"] is True
    # Nothing changed, nothing queued.
    count = OutboxMessage.objects.filter(dossier=dossier).count()
    marks.paid_online(dossier, amount=Decimal(200000))
    assert OutboxMessage.objects.filter(dossier=dossier).count() == count


def test_an_attachment_queues_the_dossier(sync_on, personas, procedure, real_pdf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.dossiers.attachments import store_attachment

    dossier = receive(personas, procedure)
    upload = SimpleUploadedFile("to-khai.pdf", real_pdf, "application/pdf")
    store_attachment(actor=personas["clerk"], dossier=dossier, uploaded_file=upload)
    reasons = list(
        OutboxMessage.objects.filter(dossier=dossier)
        .order_by("sequence")
        .values_list("reason", flat=True)
    )
    assert reasons == ["receive", "attachment_add"]


def test_online_submission_then_acceptance(sync_on, personas, procedure):
    """An online submission (status 1) is synced too; it counts as synced (1.4) once received."""
    from motcua.dossiers.services import Applicant, dossier_submit_online

    procedure.online_level = "full"
    procedure.save(update_fields=["online_level"])
    dossier = dossier_submit_online(
        actor=personas["citizen1"], procedure=procedure, applicant=Applicant(name="Lê Văn Cường")
    )
    worker.run_once(pull=False)
    dossier.refresh_from_db()
    assert dossier.synced_at is None  # delivered, but not a received dossier yet
    first = OutboxMessage.objects.get(dossier=dossier, sequence=1)
    assert first.payload["KenhThucHien"] == 2 and first.payload["TrangThaiHoSo"] == 1
    assert first.state == OutboxState.SENT
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="accept")
    worker.run_once(pull=False)
    dossier.refresh_from_db()
    assert dossier.synced_at is not None
    # Setting synced_at queued nothing (it is an update(), not a service).
    assert OutboxMessage.objects.filter(dossier=dossier).count() == 2


def test_an_unlocked_writer_that_loses_the_sequence_race_retries(
    monkeypatch, sync_on, personas, procedure
):
    """An attachment upload does not lock the dossier: a concurrent writer may take the next
    sequence first; the unique constraint says so and the INSERT is retried in a savepoint."""
    from django.db import IntegrityError
    from django.db.backends.utils import CursorWrapper

    from motcua.integrations.dvcqg.outbox import enqueue_dossier

    dossier = receive(personas, procedure)
    real_execute = CursorWrapper.execute
    lost = []

    def execute(self, sql, params=None):
        if "INSERT INTO dvcqg_outboxmessage" in sql and not lost:
            lost.append(sql)
            raise IntegrityError("UNIQUE constraint failed: dvcqg_outbox_sequence")
        return real_execute(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", execute)
    assert enqueue_dossier(dossier, reason="attachment_add", unlocked=True)
    assert lost
    assert list(
        OutboxMessage.objects.filter(dossier=dossier)
        .order_by("sequence")
        .values_list("sequence", "reason")
    ) == [(1, "receive"), (2, "attachment_add")]
    lost.clear()
    with pytest.raises(IntegrityError), transaction.atomic():
        enqueue_dossier(dossier, reason="locked callers do not retry")
