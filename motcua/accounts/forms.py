"""Citizens' account forms: sign-up (allauth) and profile, with validated CCCD and phone."""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.validators import validate_cccd, validate_phone

from .services import profile_save


def clean_id_number(raw: str, *, required: bool = False) -> str:
    raw = (raw or "").strip()
    if not raw:
        if required:
            raise forms.ValidationError(_("The citizen ID number is required."))
        return ""
    result = validate_cccd(raw)
    if not result.ok:
        raise forms.ValidationError(result.errors)
    return result.value


def clean_phone(raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    result = validate_phone(raw)
    if not result.ok:
        raise forms.ValidationError(result.errors)
    return result.national


class ProfileFields(forms.Form):
    """The profile's fields; shared by sign-up and the profile page."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    id_number = forms.CharField(
        label=_("Citizen ID number (CCCD, 12 digits)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("The full name is required."))
        return name

    def clean_id_number(self):
        return clean_id_number(self.cleaned_data.get("id_number", ""))

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))


class SignupForm(AllauthSignupForm):
    """allauth's sign-up (email, password twice) plus the citizen's profile."""

    full_name = ProfileFields.base_fields["full_name"]
    id_number = ProfileFields.base_fields["id_number"]
    phone = ProfileFields.base_fields["phone"]

    field_order = ["full_name", "email", "password1", "password2", "id_number", "phone"]

    clean_full_name = ProfileFields.clean_full_name
    clean_id_number = ProfileFields.clean_id_number
    clean_phone = ProfileFields.clean_phone

    def save(self, request):
        user = super().save(request)
        profile_save(
            actor=user,
            user=user,
            full_name=self.cleaned_data["full_name"],
            id_number=self.cleaned_data.get("id_number", ""),
            phone=self.cleaned_data.get("phone", ""),
        )
        return user


class ProfileForm(ProfileFields):
    """The profile page."""
