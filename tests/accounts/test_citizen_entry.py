"""The citizen's way in (issue 14): "Nộp trực tuyến" leads through the citizens' sign-in or
sign-up and back to the form; confirming the email lands on the portal, never the staff login.

Real email through Django's test outbox (locmem), real allauth flows, no mocks.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "Hue-mot-cua-2025!"
STAFF_LOGIN = "/dang-nhap/"


def signup_data(**extra) -> dict:
    return {
        "full_name": "Lê Thị Cúc",
        "email": "cuc@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "id_number": "046195000321",
        "phone": "0912 345 678",
        **extra,
    }


def confirmation_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/tai-khoan/confirm-email/[^\s]+/)", message.body).group(1)


@pytest.fixture
def submit_url(online_procedure):
    return reverse("portal:submit", args=[online_procedure.code])


def test_submit_online_leads_to_the_citizen_signin_and_back(client, personas, submit_url):
    citizen = personas["citizen1"]
    EmailAddress.objects.create(user=citizen, email=citizen.email, verified=True, primary=True)
    response = client.get(submit_url)
    login = f"{reverse('account_login')}?next={submit_url}"
    assert response.status_code == 302 and response["Location"] == login
    page = client.get(login)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="portal-nav"' in html  # the citizens' layout, not the staff login
    # "Create an account" keeps the way back to the form.
    assert f'href="{reverse("account_signup")}?next={quote(submit_url, safe="")}"' in html
    response = client.post(
        reverse("account_login"), {"login": "citizen1", "password": "pw", "next": submit_url}
    )
    assert response.status_code == 302 and response["Location"] == submit_url
    assert client.get(submit_url).status_code == 200


def test_signup_then_confirm_in_the_same_browser_returns_to_the_form(client, submit_url):
    response = client.post(
        f"{reverse('account_signup')}?next={submit_url}", signup_data(next=submit_url)
    )
    assert response.status_code == 302 and STAFF_LOGIN not in response["Location"]
    assert len(mail.outbox) == 1
    link = confirmation_path(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200 and 'class="portal-nav"' in page.content.decode()
    response = client.post(link)
    # Signed in by the confirmation and back on the submission form.
    assert response.status_code == 302 and response["Location"] == submit_url
    assert client.get(submit_url).status_code == 200


def test_confirm_in_another_browser_goes_to_the_citizen_signin(client, submit_url):
    client.post(reverse("account_signup"), signup_data())
    link = confirmation_path(mail.outbox[0])
    other = Client()
    response = other.post(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert EmailAddress.objects.get(email="cuc@example.org").verified
    # ...where the citizen signs in and lands on the portal ("My dossiers").
    response = other.post(
        reverse("account_login"), {"login": "cuc@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:my_dossiers")


def test_a_signed_in_citizen_confirming_lands_on_the_portal(client, personas):
    citizen = personas["citizen1"]
    address = EmailAddress.objects.create(
        user=citizen, email=citizen.email, verified=False, primary=True
    )
    from allauth.account.models import EmailConfirmationHMAC

    key = EmailConfirmationHMAC(address).key
    client.force_login(citizen)
    response = client.post(reverse("account_confirm_email", args=[key]))
    assert response.status_code == 302 and response["Location"] == reverse("portal:my_dossiers")


def test_every_portal_page_sends_anonymous_visitors_to_the_citizen_signin(client, submit_url):
    for url in (
        submit_url,
        reverse("portal:my_dossiers"),
        reverse("portal:profile"),
        reverse("portal:dossier", args=["X-1"]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('account_login')}?next="), url


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_signup_next_stays_on_the_site(client, target):
    client.post(f"{reverse('account_signup')}?next={target}", signup_data(next=target))
    response = client.post(confirmation_path(mail.outbox[0]))
    assert response.status_code == 302
    assert not response["Location"].startswith(("http", "//"))
