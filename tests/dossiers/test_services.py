"""Dossier services: intake, codes, deadlines, every transition, supplement modes, apology."""

import re
from datetime import datetime

import pytest

from motcua.audit.models import AuditEvent
from motcua.dossiers.choices import Status
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import (
    Applicant,
    DocumentLine,
    dossier_receive,
    dossier_submit_online,
    dossier_transition,
)
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db

APPLICANT = Applicant(name="Nguyễn Văn An", id_number="046095000123", phone="0905123456")


def local(text):
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def receive(personas, procedure, at="2025-03-10T10:00"):
    return dossier_receive(
        actor=personas["clerk"],
        procedure=procedure,
        applicant=APPLICANT,
        documents=[DocumentLine("Tờ khai", "original")],
        received_at=local(at),
    )


def act(personas, who, dossier, action, **kw):
    return dossier_transition(actor=personas[who], dossier_id=dossier.pk, action=action, **kw)


def test_receive_assigns_code_deadline_and_first_step(personas, procedure):
    d = receive(personas, procedure)
    assert re.fullmatch(r"000\.00\.12\.H57-250310-0001", d.code)
    assert d.status == Status.RECEIVED
    # 3 working days = 24 working hours from Mon 10:00 → Thu 10:00.
    assert d.due_at == local("2025-03-13T10:00")
    assert d.current_step.name == "Tiếp nhận" and d.current_step.due_at == local("2025-03-10T13:30")
    assert d.rule_version == "61/2018"
    assert d.documents.count() == 1
    assert AuditEvent.objects.filter(action="dossier.receive", object_id=str(d.pk)).count() == 1
    second = receive(personas, procedure)
    assert second.code.endswith("-250310-0002")
    other_day = receive(personas, procedure, at="2025-07-02T09:00")
    assert other_day.code.endswith("-250702-0001") and other_day.rule_version == "118/2025"


def test_receive_outside_hours_counts_from_next_opening(personas, procedure):
    d = receive(personas, procedure, at="2025-03-14T18:00")  # Friday evening
    assert d.received_at == local("2025-03-14T18:00")
    assert d.due_at == local("2025-03-19T17:00")  # 24 h from Monday 07:30


@pytest.mark.parametrize(
    ("applicant", "message"),
    [
        (Applicant(name=" "), "name"),
        (Applicant(name="A", id_number="12345"), ""),
        (Applicant(name="A", phone="12"), "phone"),
        (Applicant(name="A", id_type="passport", id_number="ABCDEFGH"), "passport"),
        (Applicant(name="A", id_type="cmnd", id_number="046095000123"), "CMND"),
        (Applicant(name="A", id_type="org_code", id_number="0100109106-1"), "organisation"),
        (Applicant(name="A", id_type="fax", id_number="0100109106"), "type"),
    ],
)
def test_receive_rejects_bad_applicant_and_changes_nothing(personas, procedure, applicant, message):
    from django.utils import translation

    with translation.override("en"), pytest.raises(DossierError) as excinfo:
        dossier_receive(actor=personas["clerk"], procedure=procedure, applicant=applicant)
    assert message in str(excinfo.value)
    assert Dossier.objects.count() == 0 and AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("id_type", "number", "stored_type", "stored"),
    [
        ("", "046 095 000 123", "cccd", "046095000123"),  # no type: guessed by shape
        ("", "191234567", "cmnd", "191234567"),
        ("", "0100109106001", "org_code", "0100109106-001"),
        ("", "c1234567", "passport", "C1234567"),
        ("passport", "b 1234567", "passport", "B1234567"),
        ("other", "Thẻ TT 9", "other", "Thẻ TT 9"),
        ("cccd", "", "", ""),
    ],
)
def test_receive_and_submit_store_the_identity_type(
    personas, procedure, id_type, number, stored_type, stored
):
    applicant = Applicant(name="Trần Thị B", id_type=id_type, id_number=number)
    d = dossier_receive(actor=personas["clerk"], procedure=procedure, applicant=applicant)
    online = dossier_submit_online(
        actor=personas["citizen1"], procedure=procedure, applicant=applicant
    )
    for row in (d, online):
        row.refresh_from_db()
        assert (row.applicant_id_type, row.applicant_id_number) == (stored_type, stored)


@pytest.mark.parametrize("who", ["specialist", "leader", "clerk_b", "citizen1", "auditor"])
def test_only_the_units_clerk_receives(personas, procedure, who):
    with pytest.raises(DossierError):
        dossier_receive(actor=personas[who], procedure=procedure, applicant=APPLICANT)
    assert Dossier.objects.count() == 0


def test_happy_path_through_every_step(personas, procedure):
    d = receive(personas, procedure)
    d = act(
        personas,
        "clerk",
        d,
        "forward",
        at=local("2025-03-10T11:00"),
        assignee=personas["specialist"],
    )
    assert d.status == Status.IN_PROGRESS and d.current_step.name == "Thẩm định"
    assert d.current_step.due_at == local("2025-03-12T09:00")  # 14 h from Mon 11:00
    d = act(personas, "specialist", d, "forward", at=local("2025-03-11T16:00"))
    assert d.current_step.name == "Phê duyệt"
    d = act(personas, "leader", d, "result_ready", at=local("2025-03-12T09:00"))
    assert d.status == Status.RESULT_READY and d.finished_at == local("2025-03-12T09:00")
    d = act(personas, "clerk", d, "return_result", at=local("2025-03-12T10:00"))
    assert d.status == Status.RETURNED
    assert list(d.events.values_list("action", flat=True)) == [
        "receive",
        "forward",
        "forward",
        "result_ready",
        "return_result",
    ]
    steps = list(d.steps.values_list("name", "finished_at"))
    assert [s[0] for s in steps] == ["Tiếp nhận", "Thẩm định", "Phê duyệt"]
    assert all(s[1] is not None for s in steps)


def test_step_bound_actions_need_the_steps_role(personas, procedure):
    d = receive(personas, procedure)
    d = act(personas, "clerk", d, "forward")  # now with the specialist
    with pytest.raises(DossierError):
        act(personas, "leader", d, "result_ready")  # leader may not skip the specialist
    d.refresh_from_db()
    assert d.status == Status.IN_PROGRESS and d.current_step.name == "Thẩm định"


def test_return_to_previous_step_needs_a_reason(personas, procedure):
    d = receive(personas, procedure)
    d = act(personas, "clerk", d, "forward")
    d = act(personas, "specialist", d, "forward")
    with pytest.raises(DossierError):
        act(personas, "leader", d, "return_step")
    d = act(personas, "leader", d, "return_step", note="Thiếu xác minh")
    assert d.current_step.name == "Thẩm định"


def test_supplement_restart_mode_restarts_the_clock(personas, procedure):
    procedure.supplement_mode = "restart"  # a per-procedure option; pause is the default
    procedure.save()
    d = receive(personas, procedure)
    d = act(personas, "clerk", d, "forward")
    d = act(
        personas,
        "specialist",
        d,
        "request_supplement",
        note="Thiếu bản sao CCCD",
        at=local("2025-03-11T10:00"),
    )
    assert d.status == Status.WAITING_SUPPLEMENT
    d = act(personas, "clerk", d, "supplement_received", at=local("2025-03-17T08:00"))
    assert d.status == Status.IN_PROGRESS
    assert d.due_at == local("2025-03-20T08:00")  # 24 working hours from the completion
    assert d.code.endswith("-0001")


def test_supplement_pause_mode_shifts_by_waiting_time(personas, procedure):
    assert procedure.supplement_mode == "pause"  # the default (DOMAIN §4)
    d = receive(personas, procedure)  # due Thu 13/03 10:00
    d = act(personas, "clerk", d, "forward")
    d = act(personas, "specialist", d, "request_supplement", note="x", at=local("2025-03-11T10:00"))
    d = act(personas, "clerk", d, "supplement_received", at=local("2025-03-12T10:00"))
    assert d.due_at == local("2025-03-14T10:00")  # one working day waited → one day later


def test_apology_only_once(personas, procedure):
    d = receive(personas, procedure)
    d = act(personas, "clerk", d, "forward")
    # Less than a working day before the due time is allowed too (test_lifecycle.py).
    d = act(
        personas,
        "leader",
        d,
        "apologise",
        note="Chờ xác minh",
        at=local("2025-03-11T09:00"),
        new_appointment=local("2025-03-18T10:00"),
    )
    assert d.new_appointment_at == local("2025-03-18T10:00")
    assert d.due_at == local("2025-03-13T10:00")  # still late against the original due time
    with pytest.raises(DossierError, match="once|một lần"):
        act(
            personas,
            "leader",
            d,
            "apologise",
            note="again",
            at=local("2025-03-11T09:30"),
            new_appointment=local("2025-03-19T10:00"),
        )


def test_transfer_to_coordinating_agency(personas, procedure, units):
    d = receive(personas, procedure)
    d = act(personas, "clerk", d, "forward")
    d = act(
        personas,
        "specialist",
        d,
        "transfer",
        to_unit=units["B"],
        transfer_hours=8,
        note="Xác minh",
        at=local("2025-03-10T14:00"),
    )
    t = d.transfers.get()
    assert t.due_at == local("2025-03-11T14:00")
    d = act(personas, "specialist", d, "forward")
    with pytest.raises(DossierError):
        act(personas, "leader", d, "result_ready")  # the agency has not answered
    d = dossier_transition(actor=personas["leader"], dossier_id=d.pk, action="transfer_back")
    d = act(personas, "leader", d, "result_ready")
    assert d.status == Status.RESULT_READY


def test_online_submission_then_acceptance(personas, procedure):
    d = dossier_submit_online(
        actor=personas["citizen1"],
        procedure=procedure,
        applicant=APPLICANT,
        submitted_at=local("2025-03-10T16:00"),
    )
    assert d.status == Status.SUBMITTED_ONLINE and d.received_at is None and d.due_at is None
    assert d.intake_due_at == local("2025-03-11T16:00")
    assert d.applicant_user == personas["citizen1"]
    d = act(personas, "clerk", d, "accept", at=local("2025-03-11T08:00"))
    assert d.status == Status.RECEIVED and d.received_at == local("2025-03-11T08:00")
    assert d.due_at == local("2025-03-14T08:00")


def test_refusal_and_withdrawal_need_reasons(personas, procedure):
    online = dossier_submit_online(
        actor=personas["citizen1"], procedure=procedure, applicant=APPLICANT
    )
    with pytest.raises(DossierError):
        act(personas, "clerk", online, "refuse")
    online = act(personas, "clerk", online, "refuse", note="Không thuộc thẩm quyền")
    assert online.status == Status.REFUSED and online.closing_reason
    d = receive(personas, procedure)
    d = act(personas, "clerk", d, "withdraw", note="Công dân xin rút")
    assert d.status == Status.WITHDRAWN


def test_refused_transition_changes_nothing(personas, procedure):
    d = receive(personas, procedure)
    events = DossierEvent.objects.count()
    audits = AuditEvent.objects.count()
    with pytest.raises(DossierError):
        act(personas, "clerk", d, "return_result")
    with pytest.raises(DossierError):
        act(personas, "clerk_b", d, "forward")
    d.refresh_from_db()
    assert d.status == Status.RECEIVED
    assert DossierEvent.objects.count() == events and AuditEvent.objects.count() == audits


def test_fee_paid_right_after_reception_returns_to_the_clerk(personas, procedure):
    d = receive(personas, procedure)
    d = act(personas, "clerk", d, "request_payment")
    assert d.status == Status.WAITING_PAYMENT
    d = act(personas, "clerk", d, "payment_received")
    assert d.status == Status.RECEIVED  # still at intake: the clerk forwards it next
    d = act(personas, "clerk", d, "forward")
    assert d.status == Status.IN_PROGRESS and d.current_step.name == "Thẩm định"


def test_fee_paid_during_processing_resumes_processing(personas, procedure):
    d = receive(personas, procedure)
    d = act(personas, "clerk", d, "forward")
    d = act(personas, "specialist", d, "request_payment")
    d = act(personas, "clerk", d, "payment_received")
    assert d.status == Status.IN_PROGRESS and d.current_step.name == "Thẩm định"
