"""Login through a configurable OpenID Connect provider (VNeID / provincial SSO), end to end over
real HTTP against a local provider (tests/accounts/oidc_provider.py)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model

from motcua.accounts.models import CitizenProfile

from .oidc_provider import OIDCProvider

pytestmark = pytest.mark.django_db

CLAIMS = {
    "sub": "vneid-0001",
    "name": "Phan Văn Đức",
    "email": "duc@example.org",
    "email_verified": True,
    "citizen_id": "046090000777",
}


@pytest.fixture
def provider(settings):
    with OIDCProvider("motcua-portal", "s3cret", CLAIMS) as running:
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": "vneid",
                        "name": "VNeID",
                        "client_id": "motcua-portal",
                        "secret": "s3cret",
                        "settings": {"server_url": running.url, "id_number_claim": "citizen_id"},
                    }
                ],
            }
        }
        yield running


def _login_through(client, provider):
    start = client.post("/tai-khoan/oidc/vneid/login/")
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith(provider.url + "/authorize?")
    params = parse_qs(urlsplit(authorize).query)
    assert params["code_challenge_method"] == ["S256"] and "state" in params
    # the browser's visit to the provider, over real HTTP
    answer = requests.get(authorize, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    callback = urlsplit(answer.headers["Location"])
    assert callback.path == "/tai-khoan/oidc/vneid/login/callback/"
    return client.get(f"{callback.path}?{callback.query}")


def test_first_login_creates_the_citizen(client, provider):
    response = _login_through(client, provider)
    assert response.status_code == 302, response.content[:500]
    user = get_user_model().objects.get(email="duc@example.org")
    assert client.session["_auth_user_id"] == str(user.pk)
    profile = CitizenProfile.objects.get(user=user)
    assert profile.full_name == "Phan Văn Đức" and profile.id_number == "046090000777"
    # a second login finds the same account
    client.logout()
    _login_through(client, provider)
    assert get_user_model().objects.filter(email="duc@example.org").count() == 1
    # DOMAIN §7, 4.5: the provider vouched for a valid CCCD, so the account is VNeID-verified.
    from motcua.dossiers.marks import is_vneid_verified

    assert is_vneid_verified(user)


def test_login_page_offers_the_provider(client, provider):
    html = client.get("/tai-khoan/login/").content.decode()
    assert "/tai-khoan/oidc/vneid/login/" in html and "VNeID" in html


def test_login_start_needs_post(client, provider):
    # SOCIALACCOUNT_LOGIN_ON_GET is off: a GET shows a confirmation page, no redirect to the IdP
    response = client.get("/tai-khoan/oidc/vneid/login/")
    assert response.status_code == 200


def test_forged_callback_is_refused(client, provider):
    client.post("/tai-khoan/oidc/vneid/login/")
    response = client.get("/tai-khoan/oidc/vneid/login/callback/?code=forged&state=forged")
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(email="duc@example.org").exists()
    assert response.status_code in (200, 400, 401)


def test_no_provider_configured_is_404(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    assert client.post("/tai-khoan/oidc/vneid/login/").status_code == 404
