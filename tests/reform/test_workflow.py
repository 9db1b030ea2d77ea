"""Self-assessment → appraisal → survey → publication, and access per role (404 for not yours)."""

from decimal import Decimal

import pytest
from django.http import Http404

from motcua.audit.models import AuditEvent
from motcua.reform import services as s
from motcua.reform.models import Assessment, Evidence, Result

from .conftest import PDF, PNG

D = Decimal


def start(people, scheme, units, who="officer_a", unit="A"):
    return s.assessment_start(actor=people[who], scheme_id=scheme.pk, unit_id=units[unit].pk)


def fill(people, a, scheme, who="officer_a", na_13=False, **scores):
    m = scheme.item_map
    values = {"1.1": "18", "1.2.1": "10", "1.2.2": "15", "1.3": "9", "T": "2", "K": "0"}
    values.update(scores)
    entries = [
        s.SelfEntry(m[code].pk, "" if (code == "1.3" and na_13) else v, code == "1.3" and na_13)
        for code, v in values.items()
    ]
    return s.self_assessment_save(actor=people[who], assessment_id=a.pk, entries=entries)


@pytest.fixture
def two_units(reform_people, scheme, units):
    a = start(reform_people, scheme, units)
    b = start(reform_people, scheme, units, "officer_b", "B")
    return a, b


def test_full_workflow_and_results(reform_people, scheme, units, two_units):
    p, m = reform_people, scheme.item_map
    a, b = two_units
    fill(p, a, scheme)
    fill(p, b, scheme, who="officer_b", na_13=True)
    s.evidence_add(
        actor=p["officer_a"], assessment_id=a.pk, item_id=m["1.1"].pk, name="kh.pdf", data=PDF
    )
    for who, x in (("officer_a", a), ("officer_b", b)):
        s.self_assessment_submit(actor=p[who], assessment_id=x.pk)
    # the council adjusts 1.2.2 with a reason and confirms the rest (empty score = confirm)
    entries = [s.AppraisalEntry(m[c].pk, "") for c in ("1.1", "1.2.1", "1.3", "T", "K")]
    entries.append(s.AppraisalEntry(m["1.2.2"].pk, "12", "Báo cáo năm gửi trễ hạn"))
    s.appraisal_save(actor=p["evaluator"], assessment_id=a.pk, entries=entries)
    s.appraisal_save(actor=p["evaluator"], assessment_id=b.pk, entries=entries[:-1])
    s.appraisal_save(
        actor=p["evaluator"], assessment_id=b.pk, entries=[s.AppraisalEntry(m["1.2.2"].pk, "")]
    )
    for x in (a, b):
        s.appraisal_complete(actor=p["evaluator"], assessment_id=x.pk)
    s.survey_scores_set(
        actor=p["evaluator"],
        scheme_id=scheme.pk,
        rows=[(units["A"].code, "2.1", "36"), (units["B"].code, "2.1", "32.5")],
    )
    s.scheme_publish(actor=p["evaluator"], scheme_id=scheme.pk)
    ra = Result.objects.get(unit=units["A"])
    # A: 18 + 10 + 12 + 9 = 49 appraised, + bonus 2 = 51, survey 36 → 87 of 100
    assert (ra.self_score, ra.appraised_score, ra.survey_score) == (D(54), D(51), D(36))
    assert (ra.total, ra.index_percent, ra.classification) == (D("87.00"), D("87.00"), "Tốt")
    assert ra.field_indices == {"1": "81.67", "2": "90.00"}
    rb = Result.objects.get(unit=units["B"])
    # B: 1.3 not applicable → maximum 90; 18 + 10 + 15 + 2 + 32.5 = 77.5 → 86.11 %
    assert rb.applicable_max == 90 and rb.index_percent == D("86.11") and rb.total == D("86.11")
    assert (ra.rank, rb.rank) == (1, 2)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "reform.assessment_start",
        "reform.self_assessment_save",
        "reform.evidence_add",
        "reform.self_assessment_submit",
        "reform.appraisal_save",
        "reform.appraisal_complete",
        "reform.survey_scores_set",
        "reform.scheme_publish",
    } <= actions
    # after publication nothing changes any more
    with pytest.raises((s.ReformError, Http404)):
        fill(p, a, scheme)
    with pytest.raises(s.ReformError):
        s.scheme_publish(actor=p["evaluator"], scheme_id=scheme.pk)


def test_adjustment_needs_reason_and_range(reform_people, scheme, two_units):
    p, m = reform_people, scheme.item_map
    a, _b = two_units
    fill(p, a, scheme)
    s.self_assessment_submit(actor=p["officer_a"], assessment_id=a.pk)
    with pytest.raises(s.ReformError) as exc:
        s.appraisal_save(
            actor=p["evaluator"], assessment_id=a.pk, entries=[s.AppraisalEntry(m["1.1"].pk, "10")]
        )
    assert exc.value.errors
    with pytest.raises(s.ReformError):
        s.appraisal_save(
            actor=p["evaluator"],
            assessment_id=a.pk,
            entries=[s.AppraisalEntry(m["1.1"].pk, "21", "quá")],
        )
    with pytest.raises(s.ReformError):
        s.appraisal_complete(actor=p["evaluator"], assessment_id=a.pk)
    assert not a.scores.exclude(appraised_score=None).exists()


def test_self_assessment_validation_is_all_or_nothing(reform_people, scheme, two_units):
    p, m = reform_people, scheme.item_map
    a, _b = two_units
    with pytest.raises(s.ReformError) as exc:
        fill(p, a, scheme, **{"1.1": "25", "1.3": "abc"})
    assert len(exc.value.errors) == 2
    assert not a.scores.exclude(self_score=None).exists()
    with pytest.raises(s.ReformError):  # nothing scored yet
        s.self_assessment_submit(actor=p["officer_a"], assessment_id=a.pk)
    assert m  # silence


def test_evidence_checked_by_content(reform_people, scheme, two_units):
    p, m = reform_people, scheme.item_map
    a, _b = two_units
    for data in (b"GIF89a....", b"<html>%PDF-", b""):
        with pytest.raises(s.ReformError):
            s.evidence_add(
                actor=p["officer_a"],
                assessment_id=a.pk,
                item_id=m["1.1"].pk,
                name="x.pdf",
                data=data,
            )
    ev = s.evidence_add(
        actor=p["officer_a"], assessment_id=a.pk, item_id=m["1.1"].pk, name="a.png", data=PNG
    )
    assert ev.content_type == "image/png"


def test_access_per_role(reform_people, scheme, units, two_units):
    p, m = reform_people, scheme.item_map
    a, b = two_units
    # another unit's officer, a clerk, the council: not the unit's evidence or scores
    for who in ("officer_b", "clerk", "leader", "evaluator", "citizen1"):
        with pytest.raises(Http404):
            fill(p, a, scheme, who=who)
        with pytest.raises(Http404):
            s.evidence_add(
                actor=p[who], assessment_id=a.pk, item_id=m["1.1"].pk, name="x", data=PDF
            )
    # a draft is invisible to the council; officers of other units never see it
    with pytest.raises(Http404):
        s.appraisal_save(actor=p["evaluator"], assessment_id=a.pk, entries=[])
    with pytest.raises(Http404):
        s.assessment_start(actor=p["officer_a"], scheme_id=scheme.pk, unit_id=units["B"].pk)
    # only the council publishes or enters survey scores
    for who in ("officer_a", "leader", "clerk_b"):
        with pytest.raises(Http404):
            s.scheme_publish(actor=p[who], scheme_id=scheme.pk)
        with pytest.raises(Http404):
            s.survey_scores_set(actor=p[who], scheme_id=scheme.pk, rows=[])
    # submitted: the unit can no longer edit; the council still cannot touch the evidence
    fill(p, a, scheme)
    ev = s.evidence_add(
        actor=p["officer_a"], assessment_id=a.pk, item_id=m["1.1"].pk, name="a.pdf", data=PDF
    )
    s.self_assessment_submit(actor=p["officer_a"], assessment_id=a.pk)
    with pytest.raises(s.ReformError):
        fill(p, a, scheme)
    with pytest.raises(Http404):
        s.evidence_delete(actor=p["evaluator"], assessment_id=a.pk, evidence_id=ev.pk)
    assert Evidence.objects.filter(pk=ev.pk).exists()
    with pytest.raises(s.ReformError):  # B not appraised
        s.scheme_publish(actor=p["evaluator"], scheme_id=scheme.pk)
    assert Assessment.objects.get(pk=b.pk).status == "draft"


def test_survey_import_all_or_nothing(reform_people, scheme, units, two_units):
    p = reform_people
    with pytest.raises(s.ReformError) as exc:
        s.survey_scores_set(
            actor=p["evaluator"],
            scheme_id=scheme.pk,
            rows=[
                (units["A"].code, "2.1", "30"),
                ("nope", "2.1", "1"),
                (units["B"].code, "1.1", "1"),
                (units["B"].code, "2.1", "41"),
            ],
        )
    assert len(exc.value.errors) == 3
    assert (
        not Assessment.objects.get(pk=two_units[0].pk).scores.exclude(appraised_score=None).exists()
    )


def test_action_plan(reform_people, scheme, two_units):
    from datetime import date

    p, m = reform_people, scheme.item_map
    a, _b = two_units
    act = s.action_add(
        actor=p["officer_a"],
        assessment_id=a.pk,
        item_id=m["1.2.2"].pk,
        title="Gửi báo cáo đúng hạn",
        owner="Văn phòng",
        due_date=date(2025, 3, 31),
    )
    s.action_set_status(actor=p["officer_a"], assessment_id=a.pk, action_id=act.pk, status="done")
    with pytest.raises(Http404):
        s.action_add(
            actor=p["officer_b"],
            assessment_id=a.pk,
            title="x",
            owner="y",
            due_date=date(2025, 1, 1),
        )
    with pytest.raises(s.ReformError):
        s.action_add(
            actor=p["officer_a"], assessment_id=a.pk, title="", owner="y", due_date=date(2025, 1, 1)
        )
