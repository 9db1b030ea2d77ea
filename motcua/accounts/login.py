"""Staff sign-in (/dang-nhap/, and the admin's login): password, throttling, then allauth's stages.

After the password the login goes through allauth's login flow, so a user with a second factor
(TOTP, security key, recovery code) is asked for it (allauth.mfa) before the session starts;
citizens sign in through allauth's own form (/tai-khoan/login/), throttled the same way
(adapter.AccountAdapter.pre_authenticate).
"""

from __future__ import annotations

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.internal.flows.login import perform_password_login
from allauth.account.models import Login
from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from motcua.core.http import safe_next

from .throttle import Attempt, LoginThrottled


class StaffLoginForm(AuthenticationForm):
    """Django's username + password form with the throttle around the password check."""

    def clean(self):
        attempt = Attempt(self.request, self.cleaned_data.get("username") or "")
        try:
            attempt.check()
        except LoginThrottled as exc:
            raise forms.ValidationError(exc.message, code="throttled") from exc
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            attempt.failed()
            raise
        attempt.succeeded()
        return cleaned


class StaffLoginView(auth_views.LoginView):
    form_class = StaffLoginForm

    def form_valid(self, form):
        login = Login(
            user=form.get_user(),
            email_verification=EmailVerificationMethod.NONE,
            redirect_url=self.get_success_url(),
        )
        return perform_password_login(
            self.request, {"username": form.cleaned_data["username"]}, login
        )


def admin_login(request):
    """The admin's login page is the staff login (throttled, with the second factor)."""
    target = safe_next(request, reverse("admin:index"))
    return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': target})}")
