"""Unit switching (issue 14): a person with several units works in one at a time. The choice is a
service with an audit event; only units the person is a member of may be chosen (else 404); the
worklist, the dashboard and the navigation's counts follow it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from motcua.audit.models import AuditEvent
from motcua.orgs.active import SESSION_KEY
from motcua.orgs.models import Membership, Unit

pytestmark = pytest.mark.django_db

SWITCH = "/don-vi-lam-viec/"


@pytest.fixture
def two_units_person(units):
    """Leader of A and B (a deputy director heading two departments), specialist of B."""
    user = get_user_model().objects.create_user(
        "hai_don_vi", "hai@example.org", "pw", first_name="Sơn", last_name="Ngô Văn"
    )
    for unit, role in ((units["A"], "leader"), (units["B"], "leader"), (units["B"], "specialist")):
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def dossiers_ab(procedure, units):
    """Two overdue dossiers in A, one in B."""
    from dossiers.test_views_support import make_dossier

    from motcua.procedures.models import Procedure, ProcedureStep

    proc_b = Procedure.objects.create(
        code="DEMO-B-01",
        name="Thủ tục của Sở Nội vụ",
        unit=units["B"],
        time_value=Decimal(3),
        time_unit="working_days",
    )
    for step in procedure.steps.all():
        ProcedureStep.objects.create(
            procedure=proc_b,
            order=step.order,
            name=step.name,
            role=step.role,
            budget_hours=step.budget_hours,
        )
    past = timezone.now() - timedelta(days=1)
    a1 = make_dossier(procedure, due_at=past, name="Người A một")
    a2 = make_dossier(procedure, due_at=past, name="Người A hai")
    b1 = make_dossier(proc_b, due_at=past, name="Người B một")
    return {"A": [a1, a2], "B": [b1]}


def header(response) -> str:
    return response.content.decode().split("</header>")[0]


def test_selector_only_for_a_person_with_several_units(client, personas, two_units_person):
    client.force_login(personas["specialist"])
    assert 'name="unit"' not in header(client.get("/ho-so/"))
    client.force_login(two_units_person)
    html = header(client.get("/ho-so/"))
    assert 'action="/don-vi-lam-viec/"' in html
    assert ">STP</option>" in html and ">SNV</option>" in html
    assert "Ngô Văn Sơn" in html and "hai_don_vi" not in html


def test_switching_scopes_worklist_and_counts_and_is_audited(
    client, units, two_units_person, dossiers_ab
):
    client.force_login(two_units_person)
    html = client.get("/ho-so/").content.decode()
    assert "Người A một" in html and "Người B một" in html
    assert 'data-nav="dossiers"' in html and ">3 " in header(client.get("/ho-so/"))

    response = client.post(SWITCH, {"unit": units["B"].pk, "next": "/ho-so/"})
    assert response.status_code == 302 and response.url == "/ho-so/"
    event = AuditEvent.objects.get(action="orgs.active_unit")
    assert event.actor == two_units_person and event.to_state == str(units["B"].pk)
    assert event.from_state == "" and event.object_id == str(units["B"].pk)
    assert client.session[SESSION_KEY] == {"user": two_units_person.pk, "unit": units["B"].pk}

    page = client.get("/ho-so/")
    html = page.content.decode()
    assert "Người B một" in html and "Người A một" not in html
    top = header(page)
    assert "selected>SNV</option>" in top
    assert '<span class="whoami-units">SNV</span>' in top
    assert "1 " in top and "3 " not in top  # the overdue count follows the unit

    # Back to all units.
    client.post(SWITCH, {"unit": "", "next": "/ho-so/"})
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action="orgs.active_unit").count() == 2
    last = AuditEvent.objects.filter(action="orgs.active_unit").order_by("-pk").first()
    assert last.from_state == str(units["B"].pk) and last.to_state == ""
    html = client.get("/ho-so/").content.decode()
    assert "Người A một" in html and "Người B một" in html


def test_dashboard_follows_the_active_unit(client, units, two_units_person, dossiers_ab):
    client.force_login(two_units_person)
    client.post(SWITCH, {"unit": units["A"].pk})
    page = client.get("/bao-cao/")
    assert page.status_code == 200 and page.context["unit"] == units["A"]
    # An explicit choice on the page wins: ?unit= (empty) is all of the person's units.
    assert client.get("/bao-cao/?unit=").context["unit"] is None
    assert client.get(f"/bao-cao/?unit={units['B'].code}").context["unit"] == units["B"]


def test_a_unit_where_the_person_has_no_role_for_the_page_is_ignored_there(
    client, units, procedure
):
    """Notary in B, clerk in A: choosing B leaves the clerk's worklist showing A (never empty)."""
    from dossiers.test_views_support import make_dossier

    user = get_user_model().objects.create_user("nb", "nb@example.org", "pw")
    Membership.objects.create(user=user, unit=units["A"], role="intake_clerk")
    Membership.objects.create(user=user, unit=units["B"], role="notary")
    make_dossier(procedure, name="Người A một")
    client.force_login(user)
    assert client.post(SWITCH, {"unit": units["B"].pk}).status_code == 302
    assert "Người A một" in client.get("/ho-so/").content.decode()


@pytest.mark.parametrize("value", ["999999", "abc", "-1"])
def test_a_unit_not_ones_own_is_404_and_changes_nothing(client, units, two_units_person, value):
    other = Unit.objects.create(code="000.00.14.H57", name="Sở Y tế", short_name="SYT")
    client.force_login(two_units_person)
    for raw in (value, str(other.pk)):
        assert client.post(SWITCH, {"unit": raw}).status_code == 404
    assert SESSION_KEY not in client.session
    assert not AuditEvent.objects.filter(action="orgs.active_unit").exists()


def test_access(client, personas, units):
    assert client.post(SWITCH, {"unit": units["A"].pk}).status_code == 302  # to the login page
    client.force_login(personas["citizen1"])
    assert client.post(SWITCH, {"unit": ""}).status_code == 404
    assert client.post(SWITCH, {"unit": units["A"].pk}).status_code == 404
    client.force_login(personas["clerk_b"])
    assert client.post(SWITCH, {"unit": units["A"].pk}).status_code == 404  # not theirs
    assert client.get(SWITCH).status_code == 405
    # Their own (single) unit is accepted; no open redirect.
    response = client.post(SWITCH, {"unit": units["B"].pk, "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == "/ho-so/"


def test_a_stored_unit_that_is_no_longer_ones_own_never_narrows(rf, units, two_units_person):
    """Removing a membership ends the person's sessions; even so, the stored choice is checked
    against the memberships each time it is read."""
    from motcua.orgs.active import active_unit_id, narrow_for_request

    request = rf.get("/ho-so/")
    request.user = get_user_model().objects.get(pk=two_units_person.pk)
    request.session = {SESSION_KEY: {"user": two_units_person.pk, "unit": units["B"].pk}}
    assert active_unit_id(request) == units["B"].pk
    Membership.objects.filter(user=two_units_person, unit=units["B"]).delete()
    request.user = get_user_model().objects.get(pk=two_units_person.pk)
    assert active_unit_id(request) is None
    assert narrow_for_request(request, {units["A"].pk}) == {units["A"].pk}
    # Another person's stored choice is not theirs.
    request.session = {SESSION_KEY: {"user": 0, "unit": units["A"].pk}}
    assert active_unit_id(request) is None
