"""Session lifetimes, rotation and "log out everywhere" (issue 13, gap 5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.models import UserSession
from motcua.orgs.models import Membership

pytestmark = pytest.mark.django_db


def worklist(client):
    return client.get(reverse("dossiers:worklist"))


def test_staff_session_ends_after_30_idle_minutes(client, personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(personas["clerk"])
        assert worklist(client).status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert worklist(client).status_code == 200  # activity restarts the idle clock
        traveller.shift(timedelta(minutes=29))
        assert worklist(client).status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = worklist(client)
        assert response.status_code == 302
        assert response["Location"].startswith("/dang-nhap/?next=")
        assert "_auth_user_id" not in client.session


def test_staff_session_ends_after_12_hours_however_active(client, personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(personas["clerk"])
        for _ in range(12 * 3):  # a request every 20 minutes for 12 hours
            assert worklist(client).status_code == 200
            traveller.shift(timedelta(minutes=20))
        traveller.shift(timedelta(minutes=1))
        assert worklist(client).status_code == 302


def test_the_limits_are_settings(client, personas, settings):
    settings.SESSION_IDLE_MINUTES = 5
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(personas["admin"])
        assert client.get("/admin/").status_code == 200
        traveller.shift(timedelta(minutes=6))
        assert client.get("/admin/").status_code == 302


def test_citizens_keep_the_longer_session(client, personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(personas["citizen1"])
        traveller.shift(timedelta(days=2))
        assert client.get(reverse("portal:my_dossiers")).status_code == 200


def test_login_rotates_the_session_key(client, personas):
    client.get("/dang-nhap/")
    client.session["probe"] = 1
    before = client.session.session_key
    client.post("/dang-nhap/", {"username": "clerk_a", "password": "pw"})
    assert client.session.session_key != before
    assert UserSession.objects.filter(
        user=personas["clerk"], session_key=client.session.session_key
    ).exists()


def test_log_out_everywhere(personas):
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        assert (
            device.post("/dang-nhap/", {"username": "clerk_a", "password": "pw"}).status_code == 302
        )
    assert worklist(phone).status_code == 200
    page = laptop.get(reverse("account_sessions"))
    assert page.status_code == 200 and page.content.decode().count("<tr>") == 3
    response = laptop.post(reverse("account_sessions"))
    assert response.status_code == 302
    assert worklist(phone).status_code == 302
    assert worklist(laptop).status_code == 302
    assert not UserSession.objects.filter(user=personas["clerk"]).exists()
    from motcua.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="account.logout_everywhere").count() == 1


def test_a_change_of_role_ends_the_users_sessions(client, personas, units):
    client.force_login(personas["citizen2"])
    assert client.get(reverse("portal:my_dossiers")).status_code == 200
    Membership.objects.create(user=personas["citizen2"], unit=units["A"], role="specialist")
    response = client.get(reverse("portal:my_dossiers"))
    assert response.status_code == 302  # signed in again, the new session carries the new role


def test_becoming_superuser_ends_the_users_sessions(client, personas):
    client.force_login(personas["citizen2"])
    user = personas["citizen2"]
    user.is_superuser = True
    user.save()
    assert client.get(reverse("portal:my_dossiers")).status_code == 302


def test_a_session_from_before_the_policy_is_ended_for_staff(client, personas):
    client.force_login(personas["clerk"])
    session = client.session
    for key in ("motcua_login_at", "motcua_seen_at", "motcua_staff"):
        session.pop(key, None)
    session.save()
    assert worklist(client).status_code == 302
