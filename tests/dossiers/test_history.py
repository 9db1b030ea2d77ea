"""History lines are sentences, worded in one place for staff, citizens and tracking (issue 14)."""

from __future__ import annotations

from django.utils import translation

from motcua.dossiers.choices import Status
from motcua.dossiers.history import EVENT_SENTENCES, event_sentence, status_after
from motcua.dossiers.workflow import Action


def test_every_workflow_action_and_desk_event_has_a_sentence():
    codes = {str(a) for a in Action.values} | {"submit_online", "receive", "refuse_at_counter"}
    assert codes <= set(EVENT_SENTENCES)


def test_sentences_are_vietnamese_and_do_not_repeat_the_status():
    with translation.override("vi"):
        assert event_sentence("submit_online") == "Hồ sơ đã được nộp trực tuyến."
        # the sentence says it: no "(trạng thái: nộp trực tuyến, chờ tiếp nhận)" after it
        assert status_after("submit_online", None, Status.SUBMITTED_ONLINE) is None
        assert status_after("forward", Status.RECEIVED, Status.IN_PROGRESS) == "đang giải quyết"
        assert status_after("forward", Status.IN_PROGRESS, Status.IN_PROGRESS) is None
    assert event_sentence("legacy.code") == "legacy.code"
