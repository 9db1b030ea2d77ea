"""allauth adapters: where people land after login, and profiles from the OIDC provider's claims."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError
from django.urls import reverse

from motcua.core.validators import validate_cccd
from motcua.orgs.selectors import is_staff_member

from .services import profile_save
from .throttle import Attempt, LoginThrottled


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # Staff go to their worklist; citizens to their dossiers (unless ?next= says otherwise).
        if is_staff_member(request.user):
            return reverse("dossiers:worklist")
        return reverse("portal:my_dossiers")

    def get_signup_redirect_url(self, request):
        return self.get_login_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address):
        # Issue 14: after confirming, the citizen stays on the portal. Confirmed in the browser
        # that signed up, allauth signs them in and resumes their `next` (the submission form)
        # before this is asked; signed in: their dossiers; otherwise the citizens' sign-in,
        # never allauth's default (LOGIN_URL, the staff login).
        if self.request.user.is_authenticated:
            return self.get_login_redirect_url(self.request)
        return reverse("account_login")

    # Throttling (accounts/throttle.py) replaces allauth's per-account "login_failed" limit,
    # with which five wrong passwords locked the real citizen out (issue 13, gap 11).
    def pre_authenticate(self, request, **credentials):
        attempt = Attempt(request, credentials.get("email") or credentials.get("username") or "")
        try:
            attempt.check()
        except LoginThrottled as exc:
            raise ValidationError(exc.message, code="throttled") from exc
        request._motcua_login_attempt = attempt

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        attempt = getattr(request, "_motcua_login_attempt", None)
        if attempt is not None and user is not None:
            attempt.succeeded()
        elif attempt is not None:
            attempt.failed()
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def save_user(self, request, sociallogin, form=None):
        """A first login through VNeID / the provincial SSO creates the citizen's profile."""
        user = super().save_user(request, sociallogin, form)
        data = sociallogin.account.extra_data or {}
        claims = data.get("userinfo") or data.get("id_token") or data
        settings = sociallogin.provider.app.settings if sociallogin.provider.app else {}
        raw_id = str(claims.get(settings.get("id_number_claim", "citizen_id"), "") or "")
        result = validate_cccd(raw_id) if raw_id else None
        name = claims.get("name") or " ".join(
            part for part in (claims.get("family_name"), claims.get("given_name")) if part
        )
        profile_save(
            actor=user,
            user=user,
            full_name=(name or user.get_username())[:200],
            id_number=result.value if result and result.ok else "",
        )
        return user
