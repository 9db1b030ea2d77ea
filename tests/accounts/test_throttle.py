"""Login throttling (issue 13, gaps 1 and 11): per address, per account, trusted browsers."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


@pytest.fixture(autouse=True)
def _verified_citizens(personas):
    from allauth.account.models import EmailAddress

    for key in ("citizen1", "citizen2"):
        user = personas[key]
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def staff_login(client, password, username="clerk_a", ip=ATTACKER):
    return client.post("/dang-nhap/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def citizen_login(client, password, login="citizen1", ip=ATTACKER):
    return client.post(
        reverse("account_login"), {"login": login, "password": password}, REMOTE_ADDR=ip
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, personas):
    """Gap 1: the address that guessed is refused, even with the right password."""
    for _ in range(30):
        staff_login(client, "wrong-guess")
    response = staff_login(client, "pw")
    assert response.status_code == 200 and not signed_in(client)
    assert "Too many failed login attempts" in response.content.decode() or (
        "Quá nhiều lần đăng nhập sai" in response.content.decode()
    )
    # The real clerk, from their own address, is not locked out.
    owner = Client()
    assert staff_login(owner, "pw", ip=OWNER).status_code == 302 and signed_in(owner)


def test_five_wrong_citizen_passwords_do_not_lock_the_citizen_out(client, personas):
    """Gap 11: allauth's per-account limit let anyone lock a citizen out."""
    for _ in range(5):
        citizen_login(client, "wrong-guess")
    owner = Client()
    response = citizen_login(owner, "pw", ip=OWNER)
    assert response.status_code == 302 and signed_in(owner)


def test_the_attacking_address_is_refused_for_every_account(client, personas):
    for _ in range(5):
        citizen_login(client, "wrong-guess")
    staff_login(client, "pw")
    assert not signed_in(client)


def test_the_window_grows_and_ends(client, personas, settings):
    settings.LOGIN_LOCK_SECONDS = 60
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(5):
            staff_login(client, "wrong-guess")
        traveller.shift(59)
        staff_login(client, "pw")
        assert not signed_in(client)
        traveller.shift(2)  # 61 s: the first window (60 s) is over
        staff_login(client, "wrong-again")  # sixth failure: 120 s now
        traveller.shift(100)
        staff_login(client, "pw")
        assert not signed_in(client)
        traveller.shift(21)
        staff_login(client, "pw")
        assert signed_in(client)


def test_a_success_does_not_reset_the_address(client, personas):
    """An attacker with an account of their own cannot clear their address by signing in."""
    for _ in range(4):
        staff_login(client, "wrong-guess")
    staff_login(client, "pw", username="citizen2")  # their own account
    client.logout()
    staff_login(client, "wrong-guess")
    staff_login(client, "pw")
    assert not signed_in(client)


def test_a_distributed_guess_slows_the_account_but_not_its_browser(client, personas, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 10
    # The owner signed in once from this browser: it carries a device cookie.
    owner = Client()
    assert citizen_login(owner, "pw", ip=OWNER).status_code == 302
    device = owner.cookies["motcua_device"].value
    owner.logout()  # the test client's logout also drops its cookies: keep the device cookie
    owner.cookies["motcua_device"] = device
    # Ten addresses, two guesses each.
    for n in range(10):
        bot = Client()
        for _ in range(2):
            citizen_login(bot, "wrong-guess", ip=f"192.0.2.{n + 1}")
    # A new address and browser with the right password: slowed down (refused for now).
    newcomer = Client()
    citizen_login(newcomer, "pw", ip="192.0.2.200")
    assert not signed_in(newcomer)
    # The owner's own browser still gets in, even from the attackers' address.
    response = citizen_login(owner, "pw", ip="192.0.2.1")
    assert response.status_code == 302 and signed_in(owner)


def test_a_device_cookie_is_for_one_account_only(client, personas):
    assert citizen_login(client, "pw", ip=OWNER).status_code == 302
    client.logout()
    for _ in range(5):
        staff_login(client, "wrong", username="clerk_a", ip=OWNER)
    staff_login(client, "pw", username="clerk_a", ip=OWNER)
    assert not signed_in(client)


def test_a_forged_device_cookie_is_ignored(client, personas):
    client.cookies["motcua_device"] = "forged"
    for _ in range(5):
        citizen_login(client, "wrong-guess")
    citizen_login(client, "pw")
    assert not signed_in(client)


def test_reauthentication_is_throttled_too(client, personas):
    for _ in range(5):
        citizen_login(client, "wrong-guess")
    client.force_login(personas["citizen1"])
    response = client.post(
        reverse("account_reauthenticate"), {"password": "pw"}, REMOTE_ADDR=ATTACKER
    )
    assert response.status_code == 200  # the form again, with the refusal


def test_admin_login_goes_through_the_staff_login(client, personas):
    response = client.get("/admin/login/?next=/admin/orgs/unit/")
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=%2Fadmin%2Forgs%2Funit%2F"
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/dang-nhap/?next=%2Fadmin%2F"
    # /admin/ itself sends an anonymous visitor there too.
    assert client.get("/admin/", follow=True).redirect_chain[-1][0].startswith("/dang-nhap/")


def test_admin_signs_in_through_the_staff_login(client, personas):
    response = staff_login(client, "pw", username="admin_user", ip=OWNER)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
