"""Issue 11 lifecycle: register book entries, refusal after reception and at the counter,
supplement counts/pause/second-request warning, apology of a late dossier."""

from __future__ import annotations

from datetime import datetime

import pytest

from motcua.audit.models import AuditEvent
from motcua.dossiers.choices import Status
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, RegisterBook
from motcua.dossiers.services import (
    Applicant,
    dossier_receive,
    dossier_refuse_at_counter,
    dossier_submit_online,
    dossier_transition,
)
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db

APPLICANT = Applicant(name="Trần Thị Bình", phone="0905123456", email="binh@example.org")


def local(text):
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def receive(personas, procedure, at="2025-03-10T10:00", **kw):
    return dossier_receive(
        actor=personas["clerk"],
        procedure=procedure,
        applicant=APPLICANT,
        received_at=local(at),
        **kw,
    )


def act(personas, who, dossier, action, at, **kw):
    return dossier_transition(
        actor=personas[who], dossier_id=dossier.pk, action=action, at=local(at), **kw
    )


# --- register book ---------------------------------------------------------------------------
def test_register_is_numbered_per_book_not_per_day(personas, procedure, units):
    first = receive(personas, procedure, at="2025-03-10T10:00")
    second = receive(personas, procedure, at="2025-03-11T10:00")  # next day: code restarts
    assert first.code.endswith("-250310-0001") and second.code.endswith("-250311-0001")
    assert (first.register_number, second.register_number) == (1, 2)
    assert first.register_book == second.register_book
    book = RegisterBook.objects.get(unit=units["A"], year=2025)
    assert (book.number, book.last) == (1, 2)


def test_register_rolls_over_to_a_new_book_each_year(personas, procedure, units):
    receive(personas, procedure, at="2025-12-31T10:00")
    receive(personas, procedure, at="2025-12-31T11:00")
    new_year = receive(personas, procedure, at="2026-01-05T09:00")
    assert new_year.register_number == 1
    assert new_year.register_book.year == 2026
    assert RegisterBook.objects.get(unit=units["A"], year=2025).last == 2


def test_a_newer_book_of_the_year_takes_the_next_entries(personas, procedure, units):
    receive(personas, procedure)
    RegisterBook.objects.create(unit=units["A"], year=2025, number=2)
    d = receive(personas, procedure)
    assert (d.register_book.number, d.register_number) == (2, 1)


def test_online_dossier_enters_the_register_when_accepted(personas, procedure):
    procedure.online_level = "full"
    procedure.save()
    receive(personas, procedure)
    d = dossier_submit_online(
        actor=personas["citizen1"],
        procedure=procedure,
        applicant=APPLICANT,
        submitted_at=local("2025-03-10T08:00"),
    )
    assert d.register_number is None and d.register_book is None
    d = act(personas, "clerk", d, "accept", "2025-03-10T11:00")
    assert d.register_number == 2 and d.initial_due_at == d.due_at


def test_rejected_intake_takes_no_register_entry(personas, procedure):
    with pytest.raises(DossierError):
        dossier_receive(actor=personas["clerk"], procedure=procedure, applicant=Applicant(name=" "))
    assert RegisterBook.objects.filter(last__gt=0).count() == 0


# --- refusal after reception ----------------------------------------------------------------
def test_leader_refuses_after_reception_keeping_received_at(personas, procedure):
    d = receive(personas, procedure)
    d = act(personas, "clerk", d, "forward", "2025-03-10T11:00")
    with pytest.raises(DossierError):
        act(personas, "specialist", d, "refuse", "2025-03-11T09:00", note="Không đủ điều kiện")
    with pytest.raises(DossierError):
        act(personas, "leader", d, "refuse", "2025-03-11T09:00", note=" ")
    d = act(personas, "leader", d, "refuse", "2025-03-11T09:00", note="Không đủ điều kiện")
    assert d.status == Status.REFUSED
    assert d.received_at == local("2025-03-10T10:00")
    assert d.closed_at == local("2025-03-11T09:00") and d.closing_reason == "Không đủ điều kiện"
    assert d.finished_at is None
    assert d.current_step.finished_at == local("2025-03-11T09:00")
    assert d.events.filter(action="refuse", from_status=Status.IN_PROGRESS).count() == 1


# --- refusal at the counter -----------------------------------------------------------------
def test_counter_refusal_is_in_the_register_but_never_received(personas, procedure):
    receive(personas, procedure)
    d = dossier_refuse_at_counter(
        actor=personas["clerk"],
        procedure=procedure,
        applicant=APPLICANT,
        reasons="Không thuộc thẩm quyền giải quyết",
        refused_at=local("2025-03-10T14:00"),
    )
    assert d.status == Status.REFUSED and d.received_at is None and d.channel == "counter"
    assert d.closed_at == local("2025-03-10T14:00")
    assert d.register_number == 2 and d.code.endswith("-250310-0002")
    assert d.due_at is None and d.steps.count() == 0
    assert AuditEvent.objects.filter(action="dossier.refuse_at_counter").count() == 1


@pytest.mark.parametrize(
    ("who", "reasons", "applicant"),
    [
        ("specialist", "Lý do", APPLICANT),
        ("clerk_b", "Lý do", APPLICANT),
        ("clerk", "  ", APPLICANT),
        ("clerk", "Lý do", Applicant(name="")),
    ],
)
def test_counter_refusal_bad_input_changes_nothing(personas, procedure, who, reasons, applicant):
    with pytest.raises(DossierError):
        dossier_refuse_at_counter(
            actor=personas[who], procedure=procedure, applicant=applicant, reasons=reasons
        )
    assert Dossier.objects.count() == 0
    assert RegisterBook.objects.filter(last__gt=0).count() == 0


# --- supplement after reception -------------------------------------------------------------
def test_supplement_counts_pause_and_second_request_needs_confirmation(personas, procedure):
    d = receive(personas, procedure)  # due Thu 13/03 10:00 (pause is the default mode)
    assert d.initial_due_at == local("2025-03-13T10:00") and d.supplement_requests == 0
    d = act(personas, "clerk", d, "forward", "2025-03-10T11:00")
    d = act(personas, "specialist", d, "request_supplement", "2025-03-11T10:00", note="Thiếu")
    assert d.supplement_requests == 1
    assert d.supplement_requested_at == local("2025-03-11T10:00")
    assert d.supplement_completed_at is None and d.clock_paused_at is not None
    d = act(personas, "clerk", d, "supplement_received", "2025-03-12T10:00")
    assert d.supplement_completed_at == local("2025-03-12T10:00")
    assert d.due_at == local("2025-03-14T10:00")  # moved by the working day waited
    assert d.initial_due_at == local("2025-03-13T10:00")  # never moved by a pause

    with pytest.raises(DossierError, match="late|muộn|trễ|hạn"):
        act(personas, "specialist", d, "request_supplement", "2025-03-12T11:00", note="Lần 2")
    d.refresh_from_db()
    assert d.status == Status.IN_PROGRESS and d.supplement_requests == 1

    d = act(
        personas,
        "specialist",
        d,
        "request_supplement",
        "2025-03-12T11:00",
        note="Lần 2",
        confirm_late=True,
    )
    assert d.supplement_requests == 2 and d.status == Status.WAITING_SUPPLEMENT
    assert d.supplement_requested_at == local("2025-03-12T11:00")
    assert d.supplement_completed_at is None


def test_supplement_before_reception_is_not_counted(personas, procedure):
    procedure.online_level = "full"
    procedure.save()
    d = dossier_submit_online(
        actor=personas["citizen1"],
        procedure=procedure,
        applicant=APPLICANT,
        submitted_at=local("2025-03-10T08:00"),
    )
    d = act(personas, "clerk", d, "request_supplement", "2025-03-10T09:00", note="Thiếu tờ khai")
    assert d.supplement_requests == 0 and d.supplement_requested_at is None
    assert d.clock_paused_at is None


# --- apology --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "at",
    [
        "2025-03-12T14:00",  # less than one working day before the due time
        "2025-03-14T09:00",  # already late
    ],
)
def test_apology_allowed_when_late_or_nearly_due_and_dossier_stays_late(personas, procedure, at):
    d = receive(personas, procedure)
    d = act(personas, "clerk", d, "forward", "2025-03-10T11:00")
    d = act(
        personas,
        "leader",
        d,
        "apologise",
        at,
        note="Chờ xác minh",
        new_appointment=local("2025-03-20T10:00"),
    )
    assert d.new_appointment_at == local("2025-03-20T10:00")
    assert d.due_at == local("2025-03-13T10:00")


def test_apology_new_appointment_must_be_in_the_future(personas, procedure):
    d = receive(personas, procedure)
    d = act(personas, "clerk", d, "forward", "2025-03-10T11:00")
    with pytest.raises(DossierError):
        act(
            personas,
            "leader",
            d,
            "apologise",
            "2025-03-18T09:00",
            note="x",
            new_appointment=local("2025-03-17T10:00"),
        )
    d.refresh_from_db()
    assert d.new_appointment_at is None


# --- supplement warning on the staff pages ----------------------------------------------------
def test_second_supplement_page_shows_warning_and_needs_the_checkbox(personas, procedure):
    from django.test import Client

    d = receive(personas, procedure)
    d = act(personas, "clerk", d, "forward", "2025-03-10T11:00")
    client = Client()
    client.force_login(personas["specialist"])
    page = client.get(f"/ho-so/{d.code}/").content.decode()
    assert 'name="confirm_late"' not in page  # first request: no warning
    client.post(f"/ho-so/{d.code}/request_supplement/", {"note": "Thiếu tờ khai"})
    d.refresh_from_db()
    assert d.supplement_requests == 1
    d = act(personas, "clerk", d, "supplement_received", "2025-03-11T10:00")

    page = client.get(f"/ho-so/{d.code}/").content.decode()
    assert 'name="confirm_late"' in page
    client.post(f"/ho-so/{d.code}/request_supplement/", {"note": "Lần 2"})
    d.refresh_from_db()
    assert d.supplement_requests == 1 and d.status == Status.IN_PROGRESS  # refused, unchanged
    client.post(f"/ho-so/{d.code}/request_supplement/", {"note": "Lần 2", "confirm_late": "on"})
    d.refresh_from_db()
    assert d.supplement_requests == 2 and d.status == Status.WAITING_SUPPLEMENT

    worklist = client.get("/ho-so/").content.decode()
    assert 'class="supplement-count due-late"' in worklist
    api = client.get("/api/v1/dossiers/").json()
    assert [row["supplement_requests"] for row in api["items"]] == [2]
