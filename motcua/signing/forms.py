"""The leader's "approve and sign" form on the dossier page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.choices import AttachmentKind
from motcua.dossiers.models import Dossier


class SignResultForm(forms.Form):
    attachment = forms.TypedChoiceField(label=_("Result file to sign"), coerce=int)
    result_number = forms.CharField(label=_("Result number"), max_length=100)
    secret = forms.CharField(
        label=_("PIN of your token (or password of your certificate)"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, dossier: Dossier, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        pdfs = list(
            dossier.attachments.filter(content_type="application/pdf")
            .exclude(signed_result__isnull=False)
            .order_by("-id")
        )
        # The drafts of the result first (kind "result"), then any other PDF.
        pdfs.sort(key=lambda a: a.kind != AttachmentKind.RESULT)
        self.fields["attachment"].choices = [
            (a.pk, f"{a.original_name} ({a.get_kind_display()})") for a in pdfs
        ]
        self.fields["result_number"].initial = dossier.result_number
        self.has_files = bool(pdfs)
