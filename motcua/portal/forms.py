"""Citizen forms: procedure search, the online e-form, supplement, withdrawal, delivery, payment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.accounts.forms import clean_phone
from motcua.core.idforms import clean_identity, id_type_field
from motcua.dossiers.choices import ResultDelivery
from motcua.dossiers.forms import (
    MultipleFileField,
    MultipleFileInput,
    applying_for_field,
    conditional_documents_error,
    store_label,
)
from motcua.dossiers.services import Applicant, DocumentLine
from motcua.procedures.choices import DocumentCondition
from motcua.procedures.models import Field, Procedure

ACCEPT = ".pdf,.jpg,.jpeg,.png"


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, field or code of the procedure"), required=False, max_length=200
    )
    field = forms.ModelChoiceField(
        label=_("Field"), queryset=Field.objects.all(), required=False, empty_label=_("All fields")
    )


def delivery_choices(procedure: Procedure) -> list[tuple[str, str]]:
    """Decree 42/2022: a fully online procedure may return its result online; all by post/desk."""
    choices = [(ResultDelivery.DESK.value, ResultDelivery.DESK.label)]
    choices.append((ResultDelivery.POST.value, ResultDelivery.POST.label))
    if procedure.online_level == "full":
        choices.insert(0, (ResultDelivery.ONLINE.value, ResultDelivery.ONLINE.label))
    return choices


class SubmitForm(forms.Form):
    """The e-form of a procedure: applicant, one upload per required document, a declaration."""

    applicant_name = forms.CharField(label=_("Full name"), max_length=200)
    # DOMAIN §12: foreigners and organisations apply too: a document type and its number.
    applicant_id_type = id_type_field()
    applicant_id_number = forms.CharField(
        label=_("Identity document number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "CCCD 12 digits; passport e.g. C1234567; enterprise code 10 digits or "
            "0100109106-001 for a branch."
        ),
    )
    applicant_phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    applicant_email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    applicant_address = forms.CharField(
        label=_("Address"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    applying_for = applying_for_field()
    result_delivery = forms.ChoiceField(label=_("How do you want to receive the result?"))
    other_files = MultipleFileField(
        label=_("Other documents (optional)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )
    declaration = forms.BooleanField(
        label=_(
            "I declare that the information given is true and the documents attached are "
            "genuine, and I take responsibility before the law for them."
        ),
        required=True,
        error_messages={"required": _("You must confirm the declaration.")},
    )

    def __init__(self, *args, procedure: Procedure, store=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.fields["result_delivery"].choices = delivery_choices(procedure)
        self.document_fields: list[tuple] = []
        # Issue 15: the citizen's own document store (files of their earlier dossiers) can
        # stand in for an upload (DOMAIN §7, 4.3: a component reused from digitised data).
        self.store = list(store)
        choices = [("", _("— upload a file instead —"))] + [
            (a.pk, store_label(a)) for a in self.store
        ]
        for doc in procedure.documents.all():
            name = f"doc_{doc.pk}"
            on_behalf = doc.condition == DocumentCondition.ON_BEHALF
            help_text = f"{doc.get_form_display()} · {doc.count}"
            if on_behalf:
                help_text += " · " + str(_("only when applying on someone else's behalf"))
            self.fields[name] = MultipleFileField(
                label=doc.name,
                # Mandatory, but an earlier document may be chosen instead (checked in clean),
                # and one asked for only on someone else's behalf is checked against
                # "who are you applying for?".
                required=doc.mandatory and not on_behalf and not self.store,
                widget=MultipleFileInput(attrs={"accept": ACCEPT}),
                help_text=help_text,
            )
            if self.store:
                self.fields[f"{name}_reuse"] = forms.TypedChoiceField(
                    label=_("or from my documents: %(name)s") % {"name": doc.name},
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                )
            self.document_fields.append((doc, name))
        # Keep the declaration last, after the documents.
        self.order_fields([*[f for f in self.fields if f != "declaration"], "declaration"])

    def clean_applicant_name(self):
        name = " ".join(self.cleaned_data["applicant_name"].split())
        if not name:
            raise forms.ValidationError(_("The full name is required."))
        return name

    def clean(self):
        data = super().clean()
        clean_identity(
            self, type_field="applicant_id_type", number_field="applicant_id_number", required=True
        )
        for doc, name in self.document_fields:
            if doc.condition == DocumentCondition.ON_BEHALF:
                continue
            if doc.mandatory and not data.get(name) and not data.get(f"{name}_reuse"):
                if name not in self.errors:
                    self.add_error(name, _("Upload this document or choose one of yours."))
        conditional_documents_error(
            self,
            [
                (doc, name, bool(data.get(name) or data.get(f"{name}_reuse")))
                for doc, name in self.document_fields
            ],
        )
        return data

    def clean_applicant_phone(self):
        return clean_phone(self.cleaned_data.get("applicant_phone", ""))

    def document_rows(self):
        return [
            (doc, self[name], self[f"{name}_reuse"] if f"{name}_reuse" in self.fields else None)
            for doc, name in self.document_fields
        ]

    def _given(self, name: str) -> bool:
        return bool(self.cleaned_data.get(name) or self.cleaned_data.get(f"{name}_reuse"))

    def component_inputs(self) -> list[tuple[int, list, int | None]]:
        """Per document given (uploaded or chosen), in order: (index among the given ones, the
        uploaded files, the id of the chosen earlier file)."""
        given = [name for _doc, name in self.document_fields if self._given(name)]
        return [
            (i, self.cleaned_data.get(name) or [], self.cleaned_data.get(f"{name}_reuse"))
            for i, name in enumerate(given)
        ]

    def applicant(self) -> Applicant:
        d = self.cleaned_data
        return Applicant(
            name=d["applicant_name"],
            id_type=d["applicant_id_type"],
            id_number=d["applicant_id_number"],
            phone=d["applicant_phone"],
            email=d["applicant_email"],
            address=" ".join(d["applicant_address"].split()),
        )

    def documents(self) -> list[DocumentLine]:
        return [
            DocumentLine(name=doc.name, form=doc.form, count=doc.count)
            for doc, name in self.document_fields
            if self._given(name)
        ]

    def uploaded_files(self) -> list:
        """The files not tied to a component ("other documents"); components' files go through
        `component_inputs`."""
        return list(self.cleaned_data.get("other_files") or [])


class SupplementForm(forms.Form):
    files = MultipleFileField(
        label=_("Documents requested (PDF, JPEG, PNG)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )
    note = forms.CharField(
        label=_("Note for the clerk"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(label=_("How do you want to receive the result?"))
    address = forms.CharField(label=_("Postal address"), max_length=300, required=False)

    def __init__(self, *args, procedure: Procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery"].choices = delivery_choices(procedure)


class PayForm(forms.Form):
    provider = forms.ChoiceField(label=_("Payment method"), widget=forms.RadioSelect)

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(p.code, p.label) for p in providers]
        if providers:
            self.fields["provider"].initial = providers[0].code
