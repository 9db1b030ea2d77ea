"""Form helpers for an identity document (DOMAIN §12): a type select next to the number.

Every form that asks for an applicant's or owner's identity uses these two, so the rule is the
same everywhere: a number needs a type; the number is validated for that type and stored
normalised (`validate_identity`); an unknown CCCD province is a warning, not a refusal.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .identity import IdType
from .validators import validate_identity


def id_type_field(*, initial: str = IdType.CCCD, label=None) -> forms.ChoiceField:
    """The type select; empty allowed (no identity), CCCD preselected."""
    return forms.ChoiceField(
        label=label or _("Identity document"),
        choices=[("", "—"), *IdType.choices],
        required=False,
        initial=initial,
    )


def clean_identity(
    form: forms.Form, *, type_field: str, number_field: str, required: bool = False
) -> None:
    """Validate the pair in `form.clean()`: errors on the fields, warnings to `form.warnings`."""
    data = form.cleaned_data
    if type_field in form.errors or number_field in form.errors:
        return
    id_type = data.get(type_field) or ""
    raw = (data.get(number_field) or "").strip()
    if not raw:
        if required:
            form.add_error(number_field, _("The identity document number is required."))
        # A type without a number records nothing.
        data[type_field] = ""
        data[number_field] = ""
        return
    if not id_type:
        form.add_error(type_field, _("Choose the type of identity document."))
        return
    result = validate_identity(id_type, raw)
    if not result.ok:
        form.add_error(number_field, result.errors)
        return
    data[number_field] = result.value
    warnings = getattr(form, "warnings", None)
    if isinstance(warnings, list):
        warnings.extend(result.warnings)
