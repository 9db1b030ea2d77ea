"""Second factor (issue 13, gap 2): required for staff when MOTCUA_STAFF_MFA=required."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import UserSession
from motcua.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.STAFF_MFA = "required"


def password_login(client, username="clerk_a"):
    return client.post("/dang-nhap/", {"username": username, "password": "pw"})


def current_code(secret: str) -> str:
    counter = next(iter(totp.yield_hotp_counters_from_time()))
    return totp.format_hotp_value(totp.hotp_value(secret, counter))


def activate_totp(client) -> str:
    page = client.get(reverse("mfa_activate_totp"))
    # allauth asks for the password again before a factor is added.
    assert page.status_code == 302 and page["Location"].startswith(
        reverse("account_reauthenticate")
    )
    assert client.post(page["Location"], {"password": "pw"}).status_code == 302
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[totp.SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return secret


def test_staff_without_a_factor_reach_only_the_setup(client, personas, required):
    assert password_login(client).status_code == 302
    response = client.get(reverse("dossiers:worklist"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(
        reverse("account_reauthenticate")
    )
    assert client.get(reverse("account_reauthenticate")).status_code == 200
    api = client.get("/api/v1/dossiers/")
    assert api.status_code == 403 and api.json()["detail"]
    assert client.get("/admin/").status_code == 302
    # Signing out still works.
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_administrators_too(client, personas, required):
    password_login(client, "admin_user")
    assert client.get("/admin/")["Location"] == reverse("mfa_index")


def test_citizens_are_not_forced(client, personas, required):
    client.force_login(personas["citizen1"])
    assert client.get(reverse("portal:my_dossiers")).status_code == 200


def test_optional_by_default_without_https(client, personas, settings):
    assert settings.STAFF_MFA == "optional"
    password_login(client)
    assert client.get(reverse("dossiers:worklist")).status_code == 200


def test_with_a_totp_factor_the_staff_member_works_and_must_give_it_next_time(
    client, personas, required
):
    password_login(client)
    secret = activate_totp(client)
    assert client.get(reverse("dossiers:worklist")).status_code == 200
    client.post(reverse("logout"))
    # Next sign-in: the password alone is not enough.
    response = password_login(client)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("dossiers:worklist")).status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas["clerk"].pk)
    assert client.get(reverse("dossiers:worklist")).status_code == 200


def test_a_citizen_may_add_a_factor_and_is_then_asked_for_it(client, personas):
    from allauth.account.models import EmailAddress

    user = personas["citizen1"]
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(reverse("account_login"), {"login": "citizen1", "password": "pw"})
    activate_totp(client)
    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {"login": "citizen1", "password": "pw"})
    assert response["Location"] == reverse("mfa_authenticate")


def test_an_administrator_resets_a_lost_factor_audited(personas, required):
    clerk = Client()
    password_login(clerk)
    activate_totp(clerk)
    assert Authenticator.objects.filter(user=personas["clerk"]).exists()  # TOTP + recovery codes
    admin = Client()
    admin.force_login(personas["admin"])
    Authenticator.objects.create(user=personas["admin"], type="totp", data={"secret": "x"})
    response = admin.post(
        "/admin/auth/user/",
        {
            "action": "reset_second_factor",
            "_selected_action": [personas["clerk"].pk],
        },
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=personas["clerk"]).exists()
    event = AuditEvent.objects.get(action="account.mfa_reset")
    assert event.actor_id == personas["admin"].pk
    assert "totp" in event.data["types"]
    # The clerk's sessions ended; they sign in with the password and must set up a new factor.
    assert not UserSession.objects.filter(user=personas["clerk"]).exists()
    assert clerk.get(reverse("dossiers:worklist")).status_code == 302
    password_login(clerk)
    assert clerk.get(reverse("dossiers:worklist"))["Location"] == reverse("mfa_index")


def test_factors_are_read_only_in_the_admin(client, personas):
    factor = Authenticator.objects.create(user=personas["clerk"], type="totp", data={"secret": "s"})
    client.force_login(personas["admin"])
    page = client.get(f"/admin/mfa/authenticator/{factor.pk}/change/")
    assert page.status_code == 200 and '"secret"' not in page.content.decode()
    assert (
        client.post(f"/admin/mfa/authenticator/{factor.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Authenticator.objects.filter(pk=factor.pk).exists()
