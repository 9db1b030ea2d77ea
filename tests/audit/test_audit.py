import pytest
from django.contrib.admin.sites import site
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from motcua.audit.models import AppendOnlyError, AuditEvent, PersonalDataAccess
from motcua.audit.services import audit_record, personal_data_access_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return get_user_model().objects.create_user(username="clerk", password="x-long-password-1")


def test_audit_record_with_object(user):
    event = audit_record(
        actor=user,
        action="user.touch",
        obj=user,
        from_state="a",
        to_state="b",
        note="why",
        data={"k": 1},
        ip="192.0.2.1",
    )
    event.refresh_from_db()
    assert event.actor == user
    assert event.object_type == "auth.user"
    assert event.object_id == str(user.pk)
    assert (event.from_state, event.to_state, event.data, event.ip) == (
        "a",
        "b",
        {"k": 1},
        "192.0.2.1",
    )
    assert event.at is not None


def test_anonymous_actor_is_recorded_as_none():
    event = audit_record(
        actor=AnonymousUser(), action="portal.view", object_type="page", object_id=1
    )
    assert event.actor is None
    assert event.object_id == "1"


def test_action_required():
    with pytest.raises(ValueError):
        audit_record(actor=None, action="")


def test_events_cannot_be_updated_or_deleted(user):
    event = audit_record(actor=user, action="x")
    event.note = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(note="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    event.refresh_from_db()
    assert event.note == ""
    assert AuditEvent.objects.count() == 1


def test_personal_data_access(user):
    entry = personal_data_access_record(actor=user, subject=user, purpose="dossier intake check")
    assert entry.who == user
    assert entry.subject_type == "auth.user"
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        PersonalDataAccess.objects.update(purpose="x")
    with pytest.raises(ValueError, match="purpose"):
        personal_data_access_record(actor=user, subject=user, purpose="")
    with pytest.raises(ValueError, match="subject"):
        personal_data_access_record(actor=user, purpose="p")


def test_admin_is_read_only(user):
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.create_superuser(
        username="root", password="pw-long-enough-1"
    )
    from motcua.feedback.models import Feedback, Rating
    from motcua.reports.models import IndexManualScore, MonthlyReport

    # Records that nobody edits by hand: the audit trail, citizens' ratings and petitions, scores
    # entered on the leader's screen, and the monthly job's figures.
    for model in (
        AuditEvent,
        PersonalDataAccess,
        Rating,
        Feedback,
        IndexManualScore,
        MonthlyReport,
    ):
        model_admin = site._registry[model]
        assert model_admin.has_view_permission(request)
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


def test_admin_changelist_renders(admin_client):
    audit_record(actor=None, action="system.start")
    assert admin_client.get("/admin/audit/auditevent/").status_code == 200
    assert admin_client.get("/admin/audit/personaldataaccess/").status_code == 200


def test_settings_changed_in_the_admin_are_audited(admin_client):
    from motcua.reports.index766 import DEFAULTS
    from motcua.reports.models import IndexYear

    rows = {
        "indicators-TOTAL_FORMS": str(len(DEFAULTS)),
        "indicators-INITIAL_FORMS": "0",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
    }
    for n, (code, (maximum, target)) in enumerate(DEFAULTS.items()):
        rows |= {
            f"indicators-{n}-indicator": code,
            f"indicators-{n}-max_points": str(maximum),
            f"indicators-{n}-target": str(target),
        }
    response = admin_client.post("/admin/reports/indexyear/add/", {"year": 2027, **rows})
    assert response.status_code == 302, response.content.decode()[:2000]
    row = IndexYear.objects.get(year=2027)
    event = AuditEvent.objects.get(action="indexyear.create")
    assert event.object_id == str(row.pk)
