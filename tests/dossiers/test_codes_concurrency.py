"""Concurrency on PostgreSQL with real parallel connections (ARCHITECTURE.md "Tests").

Many clerks receiving at the same instant get unique, gap-free codes; two people acting on the same
dossier at once cannot both succeed. SQLite serialises every writer on one file lock, so these races
cannot happen there: the tests are skipped on SQLite.
"""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from django.db import connection

from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, DossierSequence, RegisterBook
from motcua.dossiers.services import (
    Applicant,
    dossier_receive,
    dossier_refuse_at_counter,
    dossier_transition,
)
from motcua.worktime import TZ

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises all writers, so there is no race to test",
    ),
]

THREADS = 12
AT = datetime(2025, 3, 10, 10, 0, tzinfo=TZ)


def in_parallel(n: int, work) -> tuple[list, list[BaseException]]:
    """Run work(i) in n threads released together by a barrier; each closes its connection."""
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 (collected and asserted on)
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results, errors


def test_simultaneous_intake_gets_unique_gap_free_codes(personas, procedure):
    clerk = personas["clerk"]

    def receive(i: int) -> str:
        dossier = dossier_receive(
            actor=clerk,
            procedure=procedure,
            applicant=Applicant(name=f"Người nộp {i}"),
            received_at=AT,
        )
        return dossier.code

    codes, errors = in_parallel(THREADS, receive)
    assert errors == []
    assert len(set(codes)) == THREADS
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(1, THREADS + 1))
    assert all(code.startswith("000.00.12.H57-250310-") for code in codes)
    assert Dossier.objects.count() == THREADS
    assert DossierSequence.objects.get(agency_code="000.00.12.H57").last == THREADS
    assert sorted(Dossier.objects.values_list("register_number", flat=True)) == numbers


def test_two_simultaneous_transitions_do_not_both_succeed(personas, procedure):
    dossier = dossier_receive(
        actor=personas["clerk"], procedure=procedure, applicant=Applicant(name="An"), received_at=AT
    )
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="forward")
    dossier_transition(actor=personas["specialist"], dossier_id=dossier.pk, action="forward")

    def result_ready(_i: int) -> str:
        dossier_transition(actor=personas["leader"], dossier_id=dossier.pk, action="result_ready")
        return "ok"

    results, errors = in_parallel(2, result_ready)
    assert results.count("ok") == 1
    assert len(errors) == 1 and isinstance(errors[0], DossierError)
    dossier.refresh_from_db()
    assert dossier.status == 9
    assert dossier.events.filter(action="result_ready").count() == 1


def test_withdraw_racing_result_ready_leaves_one_outcome(personas, procedure):
    dossier = dossier_receive(
        actor=personas["clerk"], procedure=procedure, applicant=Applicant(name="An"), received_at=AT
    )
    dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="forward")
    dossier_transition(actor=personas["specialist"], dossier_id=dossier.pk, action="forward")

    def act(i: int) -> str:
        if i == 0:
            dossier_transition(
                actor=personas["leader"], dossier_id=dossier.pk, action="result_ready"
            )
            return "result_ready"
        dossier_transition(
            actor=personas["clerk"], dossier_id=dossier.pk, action="withdraw", note="Người dân rút"
        )
        return "withdraw"

    results, errors = in_parallel(2, act)
    assert len([r for r in results if r]) == 1 and len(errors) == 1
    dossier.refresh_from_db()
    winner = next(r for r in results if r)
    assert dossier.status == (9 if winner == "result_ready" else 7)
    assert (dossier.finished_at is None) == (winner == "withdraw")


def test_simultaneous_receptions_and_counter_refusals_share_one_gap_free_register_book(
    personas, procedure, units
):
    """DOMAIN §5: the register is numbered per book (unit, year); concurrent clerks on different
    days of the same year, receiving or refusing at the counter, never share an entry."""
    clerk = personas["clerk"]

    def work(i: int) -> int:
        at = datetime(2025, 3, 10 + i % 3, 10, 0, tzinfo=TZ)
        if i % 4 == 0:
            dossier = dossier_refuse_at_counter(
                actor=clerk,
                procedure=procedure,
                applicant=Applicant(name=f"Người {i}"),
                reasons="Không thuộc thẩm quyền",
                refused_at=at,
            )
        else:
            dossier = dossier_receive(
                actor=clerk,
                procedure=procedure,
                applicant=Applicant(name=f"Người {i}"),
                received_at=at,
            )
        return dossier.register_number

    numbers, errors = in_parallel(THREADS, work)
    assert errors == []
    assert sorted(numbers) == list(range(1, THREADS + 1))
    book = RegisterBook.objects.get(unit=units["A"], year=2025)
    assert book.last == THREADS and RegisterBook.objects.count() == 1
    assert set(Dossier.objects.values_list("register_book", flat=True)) == {book.pk}
