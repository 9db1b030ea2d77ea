"""The workspace shell (issue 14): each role's landing page, a navigation showing only what the
roles allow, counts of what waits in at most two queries, and names instead of login names."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from motcua.core.people import full_name, vietnamese_name
from motcua.dossiers.choices import Status
from motcua.orgs import navigation
from motcua.orgs.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def reform_officer(units):
    user = get_user_model().objects.create_user(
        "caicach_a", "cc@example.org", "pw", first_name="Thảo", last_name="Võ Thị"
    )
    Membership.objects.create(user=user, unit=units["A"], role="reform_officer")
    return user


LANDINGS = [
    ("clerk", "/ho-so/"),
    ("specialist", "/ho-so/"),
    ("leader", "/bao-cao/"),
    ("auditor", "/bao-cao/"),
    ("notary", "/ngan-chan/tra-cuu/"),
    ("admin", "/admin/"),
    ("citizen1", "/"),
]


@pytest.mark.parametrize(("persona", "landing"), LANDINGS)
def test_each_role_lands_on_its_own_work(client, personas, persona, landing):
    client.force_login(personas[persona])
    response = client.get("/ho-so/bat-dau/")
    assert response.status_code == 302 and response.url == landing


def test_reform_officer_lands_on_the_scorecards(client, reform_officer):
    client.force_login(reform_officer)
    assert client.get("/ho-so/bat-dau/").url == "/cai-cach/"


def test_registry_only_specialist_lands_on_the_registry(client, personas, units):
    from motcua.blocking.models import BlockingRequest

    user = get_user_model().objects.create_user("ncb", "n@example.org", "pw")
    Membership.objects.create(user=user, unit=units["B"], role="specialist")
    assert navigation.landing_url(user) == "/ho-so/"  # no dossiers, no requests: the worklist
    assert not BlockingRequest.objects.exists()


def nav_keys(html: str) -> set[str]:
    import re

    return set(re.findall(r'data-nav="([a-z]+)"', html))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("clerk", {"dossiers", "feedback"}),
        ("specialist", {"dossiers", "feedback", "blocking", "lookup"}),
        ("leader", {"dossiers", "feedback", "reports", "blocking", "lookup", "reform"}),
        ("auditor", {"dossiers", "feedback", "reports", "blocking", "lookup", "reform"}),
        ("notary", {"lookup"}),
        ("admin", {"reports", "admin"}),
        ("citizen1", set()),
    ],
)
def test_navigation_shows_only_what_the_roles_allow(client, personas, persona, expected):
    client.force_login(personas[persona])
    html = client.get("/").content.decode()
    assert nav_keys(html) == expected
    if expected:
        assert 'class="site-menu"' in html and "<summary" in html  # the phone menu, no JS
        assert personas[persona].username not in html.split("</header>")[0]


def test_header_shows_the_name_and_unit(client, personas):
    client.force_login(personas["specialist"])
    header = client.get("/").content.decode().split("</header>")[0]
    assert "Trần Văn Minh" in header and "STP" in header
    assert "Minh Trần Văn" not in header and "specialist_a" not in header


def test_counts_of_what_waits_in_at_most_two_queries(
    personas, procedure, django_assert_max_num_queries
):
    from dossiers.test_views_support import make_dossier

    now = timezone.now()
    make_dossier(procedure, due_at=now - timedelta(days=1))
    make_dossier(procedure, due_at=now - timedelta(days=2), step_role="leader")
    make_dossier(procedure, due_at=now + timedelta(days=30), step_role="leader")
    make_dossier(procedure, due_at=now + timedelta(days=30), status=Status.RESULT_READY)
    leader = get_user_model().objects.get(pk=personas["leader"].pk)
    navigation.memberships(leader)  # once per session (kept in the session)
    with django_assert_max_num_queries(2):
        space = navigation.workspace(leader)
    item = next(i for i in space.items if i.key == "dossiers")
    counts = {css: n for _label, n, css in item.counts}
    assert counts["count-overdue"] == 2 and counts["count-approve"] == 2
    assert "count-today" not in counts
    assert space.waiting == 4


def test_full_name_is_in_vietnamese_order(personas):
    assert vietnamese_name("Minh", "Trần Văn") == "Trần Văn Minh"
    assert personas["specialist"].get_full_name() == "Trần Văn Minh"
    assert personas["specialist"].full_name == "Trần Văn Minh"
    nameless = personas["citizen1"]
    assert "citizen1" not in full_name(nameless) and str(nameless.pk) in full_name(nameless)
