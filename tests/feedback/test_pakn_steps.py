"""The PAKN steps 766 indicator 5.2 measures (DOMAIN §7): reject with a reason, ask for more
information, publish the answer — each audited, each deadline stored when its clock starts, only
the unit's handling roles allowed, everyone else 404 or refused with nothing changed."""

from __future__ import annotations

from datetime import datetime

import pytest

from motcua.worktime import TZ, get_calendar

pytestmark = pytest.mark.django_db

MONDAY = datetime(2023, 3, 6, 9, 0, tzinfo=TZ)


@pytest.fixture
def item(units):
    from motcua.feedback.services import feedback_receive

    return feedback_receive(
        actor=None,
        unit=units["A"],
        kind="feedback",
        sender_name="Trần Thị Bình",
        sender_phone="0912345678",
        content="Thái độ cán bộ chưa tốt",
        now=MONDAY,
    )


def _events(action: str):
    from motcua.audit.models import AuditEvent

    return list(AuditEvent.objects.filter(action=action))


def test_deadlines_come_from_the_settings_in_working_days(units, personas):
    from motcua.feedback.models import FeedbackSettings
    from motcua.feedback.services import feedback_answer, feedback_receive

    assert FeedbackSettings().answer_working_days == 15  # DOMAIN §7, 5.2
    FeedbackSettings.objects.create(
        reject_working_days=3, info_working_days=4, answer_working_days=12, publish_working_days=1
    )
    friday = datetime(2023, 3, 10, 16, 0, tzinfo=TZ)
    made = feedback_receive(
        actor=None,
        unit=units["A"],
        kind="petition",
        sender_name="A",
        sender_phone="0905000001",
        content="x",
        now=friday,
    )
    cal = get_calendar(units["A"].calendar_name)
    hours = cal.spec.hours_per_day
    assert made.reject_due_at == cal.add(friday, hours=3 * hours)
    assert made.info_due_at == cal.add(friday, hours=4 * hours)
    assert made.due_at == cal.add(friday, hours=12 * hours)
    assert made.reject_due_at.weekday() < 5 and made.publish_due_at is None
    leader = personas["leader"]
    answered = datetime(2023, 3, 17, 16, 30, tzinfo=TZ)  # a Friday
    done = feedback_answer(actor=leader, feedback_id=made.pk, answer="ok", now=answered)
    assert done.publish_due_at == cal.add(answered, hours=hours)
    assert done.publish_due_at.weekday() == 0  # the next Monday


def test_reject_with_a_reason(client, personas, item):
    from motcua.feedback.models import Feedback

    page = f"/phan-anh/{item.code}/"
    client.force_login(personas["leader"])
    assert client.post(page, {"action": "reject", "reason": "  "}).status_code == 400
    assert Feedback.objects.get().status == "received" and not _events("feedback_reject")
    assert client.post(page, {"action": "reject", "reason": "Trùng nội dung"}).status_code == 302
    item = Feedback.objects.get()
    assert item.status == "rejected" and item.reject_reason == "Trùng nội dung"
    assert item.rejected_at is not None and item.rejected_at > item.reject_due_at  # ran "now"
    (event,) = _events("feedback_reject")
    assert event.actor == personas["leader"] and event.to_state == "rejected"
    assert event.data == {"on_time": False}
    # Closed: no answer, no second rejection, no information request.
    refused = client.post(page, {"action": "answer", "answer": "x"})
    assert refused.status_code == 400 and "đã được trả lời hoặc từ chối" in refused.content.decode()
    assert client.post(page, {"action": "reject", "reason": "y"}).status_code == 400
    assert client.post(page, {"action": "request_info", "note": "y"}).status_code == 400
    assert len(_events("feedback_reject")) == 1 and Feedback.objects.get().answer == ""
    assert item.code not in client.get("/phan-anh/?open=1").content.decode()
    assert "<mark>quá hạn</mark>" not in client.get(page).content.decode()
    client.logout()  # the sender reads the reason
    seen = client.post("/gop-y/tra-loi/", {"code": item.code, "factor": "0912345678"})
    assert "Trùng nội dung" in seen.content.decode() and "đã từ chối" in seen.content.decode()


def test_reject_on_time_by_the_assigned_officer(personas, item):
    from motcua.feedback.services import feedback_assign, feedback_reject

    feedback_assign(actor=personas["leader"], feedback_id=item.pk, assignee=personas["clerk"])
    done = feedback_reject(
        actor=personas["clerk"],
        feedback_id=item.pk,
        reason="Không thuộc thẩm quyền",
        now=datetime(2023, 3, 7, 9, 0, tzinfo=TZ),
    )
    assert done.status == "rejected"
    assert _events("feedback_reject")[0].data == {"on_time": True}


def test_request_more_information_once(client, personas, item):
    from motcua.feedback.models import Feedback

    page = f"/phan-anh/{item.code}/"
    client.force_login(personas["leader"])
    client.post(page, {"action": "assign", "assignee": personas["specialist"].pk})
    client.force_login(personas["specialist"])
    assert client.post(page, {"action": "request_info", "note": ""}).status_code == 400
    note = "Xin cho biết thời gian, địa điểm"
    assert client.post(page, {"action": "request_info", "note": note}).status_code == 302
    item = Feedback.objects.get()
    assert item.info_note == note and item.info_requested_at is not None
    assert item.status == "assigned"  # still open: the answer follows
    again = client.post(page, {"action": "request_info", "note": "lần hai"})
    assert again.status_code == 400 and "đã được yêu cầu" in again.content.decode()
    (event,) = _events("feedback_request_info")
    assert event.actor == personas["specialist"]
    assert note in client.get(page).content.decode()
    assert client.post(page, {"action": "answer", "answer": "Đã xử lý"}).status_code == 302
    assert Feedback.objects.get().status == "answered"


def test_publish_after_the_answer(client, personas, item):
    from motcua.feedback.models import Feedback

    page = f"/phan-anh/{item.code}/"
    client.force_login(personas["leader"])
    early = client.post(page, {"action": "publish"})
    assert early.status_code == 400 and "chưa được trả lời" in early.content.decode()
    assert Feedback.objects.get().published_at is None and not _events("feedback_publish")
    client.post(page, {"action": "answer", "answer": "Đã chấn chỉnh"})
    assert client.post(page, {"action": "publish"}).status_code == 302
    item = Feedback.objects.get()
    assert item.published_at is not None and item.published_at <= item.publish_due_at
    (event,) = _events("feedback_publish")
    assert event.actor == personas["leader"] and event.data == {"on_time": True}
    assert client.post(page, {"action": "publish"}).status_code == 400
    assert len(_events("feedback_publish")) == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("clerk_b", 404), ("notary", 404), ("citizen1", 404), ("auditor", 400), ("clerk", 400)],
)
@pytest.mark.parametrize(
    "data",
    [{"action": "reject", "reason": "x"}, {"action": "request_info", "note": "x"}],
)
def test_only_the_handlers_of_the_unit(client, personas, item, persona, status, data):
    from motcua.feedback.models import Feedback

    client.force_login(personas[persona])  # the clerk of unit A is not assigned, not a leader
    assert client.post(f"/phan-anh/{item.code}/", data).status_code == status
    unchanged = Feedback.objects.get()
    assert unchanged.status == "received" and unchanged.rejected_at is None
    assert unchanged.info_requested_at is None
    assert not _events("feedback_reject") and not _events("feedback_request_info")


@pytest.mark.parametrize(("persona", "status"), [("clerk_b", 404), ("auditor", 400)])
def test_publish_only_by_the_handlers(client, personas, item, persona, status):
    from motcua.feedback.models import Feedback
    from motcua.feedback.services import feedback_answer

    feedback_answer(actor=personas["leader"], feedback_id=item.pk, answer="ok")
    client.force_login(personas[persona])
    assert client.post(f"/phan-anh/{item.code}/", {"action": "publish"}).status_code == status
    assert Feedback.objects.get().published_at is None and not _events("feedback_publish")


def test_a_rejected_pakn_is_not_open_overdue_in_the_figures(personas, item):
    from datetime import date

    from motcua.feedback.services import feedback_reject
    from motcua.feedback.stats import feedback_figures

    (before,) = feedback_figures(date(2023, 3, 1), date(2023, 4, 30))
    assert before.open_overdue == 1
    feedback_reject(actor=personas["leader"], feedback_id=item.pk, reason="x", now=MONDAY)
    (after,) = feedback_figures(date(2023, 3, 1), date(2023, 4, 30))
    assert (after.received, after.answered, after.open_overdue) == (1, 0, 0)
