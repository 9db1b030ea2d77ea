"""Citizen accounts (django-allauth): sign-up with email verification, login, reset, rate limits."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from motcua.accounts.models import CitizenProfile

pytestmark = pytest.mark.django_db
User = get_user_model()


def signup(client, **overrides):
    data = {
        "full_name": "Lê Thị Cúc",
        "email": "cuc@example.org",
        "password1": "Hue-mot-cua-2025!",
        "password2": "Hue-mot-cua-2025!",
        "id_number": "046195000321",
        "phone": "0912 345 678",
    }
    data.update(overrides)
    return client.post(reverse("account_signup"), data)


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/tai-khoan/confirm-email/[^\s]+/)", message.body).group(1)


def test_signup_verify_then_login(client):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="cuc@example.org")
    profile = CitizenProfile.objects.get(user=user)
    assert (profile.full_name, profile.id_number, profile.phone) == (
        "Lê Thị Cúc",
        "046195000321",
        "0912345678",
    )
    assert len(mail.outbox) == 1
    link = confirmation_link(mail.outbox[0])
    # not verified yet: no login
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "cuc@example.org", "password": "Hue-mot-cua-2025!"}
    )
    assert "_auth_user_id" not in client.session
    # verify (GET shows a form; the POST confirms) and land on "My dossiers"
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "cuc@example.org", "password": "Hue-mot-cua-2025!"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:my_dossiers")
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    "overrides",
    [{"id_number": "12345"}, {"phone": "123"}, {"full_name": "  "}, {"password2": "other-Pass-1"}],
)
def test_signup_refused(client, overrides):
    response = signup(client, **overrides)
    assert response.status_code == 200  # the form again, with errors
    assert not User.objects.filter(email="cuc@example.org").exists()
    assert not CitizenProfile.objects.exists() and not mail.outbox


def test_signup_is_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    for n in range(2):
        signup(client, email=f"u{n}@example.org")
        client.logout()
    response = signup(client, email="u3@example.org")
    assert response.status_code == 429
    assert not User.objects.filter(email="u3@example.org").exists()


def test_failed_logins_are_rate_limited(client, personas):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "citizen1", "password": "wrong"})
    # even the right password is refused now, with a form error (allauth's login_failed limit)
    from django.utils import translation

    with translation.override("en"):
        response = client.post(
            reverse("account_login"),
            {"login": "citizen1", "password": "pw"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_password_reset_sends_a_link(client, personas):
    response = client.post(reverse("account_reset_password"), {"email": "citizen1@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/tai-khoan/password/reset/key/" in mail.outbox[0].body


def test_staff_login_page_still_works(client, personas):
    response = client.post("/dang-nhap/", {"username": "clerk_a", "password": "pw"})
    assert response.status_code == 302
    assert client.get(reverse("dossiers:worklist")).status_code == 200


def test_staff_logging_in_through_allauth_go_to_the_worklist(client, personas):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(
        user=personas["clerk"], email="clerk_a@example.org", verified=True, primary=True
    )
    response = client.post(reverse("account_login"), {"login": "clerk_a", "password": "pw"})
    assert response["Location"] == reverse("dossiers:worklist")


def test_account_pages_render(client):
    for name in ("account_login", "account_signup", "account_reset_password"):
        assert client.get(reverse(name)).status_code == 200


def test_the_signed_in_message_names_the_person_in_vietnamese(client, personas):
    """Issue 14: "Đã đăng nhập: Nguyễn Thị Lan." — a person's name, never the login name, and
    never allauth's untranslated English."""
    from django.contrib.messages import get_messages

    response = client.post(
        "/dang-nhap/", {"username": "clerk_a", "password": "pw"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Đã đăng nhập: Nguyễn Thị Lan." in texts
    assert not any("clerk_a" in t or "Successfully" in t for t in texts)
