"""Every ?next= is checked (issue 13, gap 6: open redirect after saving the citizen profile)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROFILE = {"full_name": "Lê Thị Cúc", "id_number": "", "phone": "", "address": ""}
EVIL = ["https://evil.example/", "//evil.example/x", "http:/\\evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("target", EVIL)
def test_profile_does_not_redirect_off_site(client, personas, target):
    client.force_login(personas["citizen1"])
    response = client.post(f"{reverse('portal:profile')}?next={target}", PROFILE)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:profile")


def test_profile_follows_a_local_next(client, personas):
    client.force_login(personas["citizen1"])
    target = reverse("portal:my_dossiers")
    response = client.post(f"{reverse('portal:profile')}?next={target}", PROFILE)
    assert response["Location"] == target


@pytest.mark.parametrize("target", EVIL)
def test_staff_login_does_not_redirect_off_site(client, personas, target):
    response = client.post("/dang-nhap/", {"username": "clerk_a", "password": "pw", "next": target})
    assert response.status_code == 302
    assert not response["Location"].startswith(("http", "//", "javascript"))


@pytest.mark.parametrize("target", EVIL)
def test_citizen_login_and_language_do_not_redirect_off_site(client, personas, target):
    from allauth.account.models import EmailAddress

    user = personas["citizen1"]
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": "citizen1", "password": "pw", "next": target}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:my_dossiers")
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert not response["Location"].startswith(("http", "//", "javascript"))
