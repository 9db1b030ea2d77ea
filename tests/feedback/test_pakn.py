"""Citizen feedback (PAKN): received with a working-time deadline, assigned by a leader,
answered, judged by the sender; the on-time and satisfaction ratios of DOMAIN §7; access."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from motcua.worktime import TZ

pytestmark = pytest.mark.django_db


def form(target, **over):
    data = {
        "unit": target.code,
        "kind": "feedback",
        "sender_name": "Trần Thị Bình",
        "sender_phone": "0912 345 678",
        "content": "Thái độ cán bộ chưa tốt",
        "dossier_code": "",
    }
    data.update(over)
    return data


def test_submit_sets_a_working_time_deadline(client, units, time_machine):
    from motcua.feedback.models import Feedback
    from motcua.worktime import get_calendar

    time_machine.move_to(datetime(2025, 3, 14, 16, 0, tzinfo=TZ))  # a Friday afternoon
    response = client.post("/gop-y/", form(units["A"]))
    assert response.status_code == 200
    item = Feedback.objects.get()
    expected = get_calendar(units["A"].calendar_name).add(item.received_at, hours=120)
    assert item.due_at == expected and item.due_at.weekday() < 5
    assert item.code in response.content.decode() and item.sender_phone == "0912345678"


def test_submit_bad_input_changes_nothing(client, units):
    from motcua.feedback.models import Feedback

    assert client.post("/gop-y/", form(units["A"], sender_phone="12")).status_code == 400
    assert client.post("/gop-y/", form(units["A"], dossier_code="NOPE")).status_code == 400
    assert client.post("/gop-y/", form(units["A"], unit="x")).status_code == 400
    assert not Feedback.objects.exists()


@pytest.fixture
def item(client, units):
    from motcua.feedback.models import Feedback

    client.post("/gop-y/", form(units["A"]))
    return Feedback.objects.get()


def test_staff_pages_access(client, personas, item):
    detail = f"/phan-anh/{item.code}/"
    assert client.get("/phan-anh/").status_code == 302
    client.force_login(personas["citizen1"])
    assert client.get("/phan-anh/").status_code == 404 and client.get(detail).status_code == 404
    client.force_login(personas["clerk_b"])
    assert item.code not in client.get("/phan-anh/").content.decode()
    assert client.get(detail).status_code == 404
    client.force_login(personas["specialist"])
    assert item.code in client.get("/phan-anh/").content.decode()
    assert client.get(detail).status_code == 200


def test_viewing_the_sender_is_logged(client, personas, item):
    from motcua.audit.models import PersonalDataAccess

    client.force_login(personas["leader"])
    client.get(f"/phan-anh/{item.code}/")
    assert PersonalDataAccess.objects.filter(who=personas["leader"]).exists()


def test_assign_answer_verdict(client, personas, item):
    from motcua.feedback.models import Feedback

    detail = f"/phan-anh/{item.code}/"
    client.force_login(personas["specialist"])
    assert (
        client.post(detail, {"action": "assign", "assignee": personas["specialist"].pk}).status_code
        == 400
    )
    client.force_login(personas["leader"])
    assert (
        client.post(detail, {"action": "assign", "assignee": personas["specialist"].pk}).status_code
        == 302
    )
    client.force_login(personas["clerk"])  # same unit, not assigned, not a leader
    assert client.post(detail, {"action": "answer", "answer": "x"}).status_code == 400
    client.force_login(personas["specialist"])
    assert client.post(detail, {"action": "answer", "answer": ""}).status_code == 400
    assert client.post(detail, {"action": "answer", "answer": "Đã chấn chỉnh"}).status_code == 302
    item = Feedback.objects.get()
    assert item.status == "answered" and item.answered_on_time
    client.logout()
    wrong = client.post("/gop-y/tra-loi/", {"code": item.code, "factor": "0000000000"})
    assert wrong.status_code == 404
    ok = client.post("/gop-y/tra-loi/", {"code": item.code, "factor": "0912345678"})
    assert "Đã chấn chỉnh" in ok.content.decode()
    client.post(
        "/gop-y/tra-loi/", {"code": item.code, "factor": "0912345678", "verdict": "not_satisfied"}
    )
    assert Feedback.objects.get().sender_verdict == "not_satisfied"
    again = client.post(
        "/gop-y/tra-loi/", {"code": item.code, "factor": "0912345678", "verdict": "satisfied"}
    )
    assert again.status_code == 409 and Feedback.objects.get().sender_verdict == "not_satisfied"


def test_ratios_of_766_group_5(units, personas):
    from motcua.feedback.services import feedback_answer, feedback_receive, feedback_verdict
    from motcua.feedback.stats import feedback_figures

    start = datetime(2023, 3, 1, 9, 0, tzinfo=TZ)
    made = [
        feedback_receive(
            actor=None,
            unit=units["A"],
            kind="feedback",
            sender_name="A",
            sender_phone="0905000001",
            content="x",
            now=start,
        )
        for _ in range(4)
    ]
    feedback_answer(
        actor=personas["leader"],
        feedback_id=made[0].pk,
        answer="ok",
        now=datetime(2023, 3, 2, 9, tzinfo=TZ),
    )
    feedback_answer(
        actor=personas["leader"],
        feedback_id=made[1].pk,
        answer="ok",
        now=datetime(2023, 3, 30, 9, tzinfo=TZ),
    )
    feedback_verdict(actor=None, feedback_id=made[1].pk, verdict="not_satisfied")
    (fig,) = feedback_figures(date(2023, 3, 1), date(2023, 3, 31))
    # Due 10 working days later (15/03): 2 answered (1 on time), 2 open and overdue at 31/03.
    assert (fig.received, fig.answered, fig.answered_on_time, fig.open_overdue) == (4, 2, 1, 2)
    assert fig.on_time_share == 25 and fig.satisfied_share == 50


def test_staff_classify_feedback_for_766_indicator_5_1(client, units, personas):
    """DOMAIN §7, 5.1: an officer of the unit classifies a PAKN; outsiders cannot; audited."""
    from motcua.audit.models import AuditEvent
    from motcua.feedback.services import feedback_receive
    from motcua.reports.index766 import compute_index

    start = datetime(2023, 3, 1, 9, 0, tzinfo=TZ)
    item = feedback_receive(
        actor=None,
        unit=units["A"],
        kind="feedback",
        sender_name="A",
        sender_phone="0905000001",
        content="x",
        now=start,
    )
    period = (date(2023, 3, 1), date(2023, 3, 31))
    assert compute_index(*period, unit_ids=[units["A"].pk]).by_id("5.1").value == 0
    client.force_login(personas["clerk_b"])
    response = client.post(f"/phan-anh/{item.code}/", {"action": "classify", "topic": "policy"})
    assert response.status_code == 404
    client.force_login(personas["specialist"])
    url = f"/phan-anh/{item.code}/"
    assert client.post(url, {"action": "classify", "topic": "bogus"}).status_code == 400
    assert client.post(url, {"action": "classify", "topic": "procedure"}).status_code == 302
    item.refresh_from_db()
    assert item.topic == "procedure"
    assert AuditEvent.objects.filter(action="feedback_classify").count() == 1
    result = compute_index(*period, unit_ids=[units["A"].pk]).by_id("5.1")
    assert (result.numerator, result.denominator, result.value) == (1, 1, 100)
