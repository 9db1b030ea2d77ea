"""The notary organisation's entry form: the contract, one asset, the parties (one per line)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.blocking.choices import AssetType

from .choices import TxKind
from .errors import NotaryError
from .parse import parse_parties
from .services import ASSET_FIELDS, TxAssetInput, TxInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TransactionForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Notary organisation"), queryset=None, empty_label=None)
    contract_no = forms.CharField(label=_("Contract number"), max_length=60)
    contract_date = forms.DateField(label=_("Contract date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=TxKind.choices, initial=TxKind.SALE)
    notary_name = forms.CharField(label=_("Notary"), max_length=200)
    value = forms.DecimalField(
        label=_("Declared value (VND)"),
        required=False,
        max_digits=18,
        decimal_places=0,
        min_value=0,
    )
    cancels = forms.CharField(
        label=_("Contract number it cancels"),
        required=False,
        max_length=60,
        help_text=_("Only for a cancellation of an earlier contract of this organisation."),
    )
    asset_type = forms.ChoiceField(
        label=_("Asset type"), choices=AssetType.choices, initial=AssetType.LAND
    )
    certificate_serial = forms.CharField(
        label=_("Certificate serial"), required=False, max_length=50
    )
    parcel_number = forms.CharField(label=_("Parcel number"), required=False, max_length=30)
    map_sheet = forms.CharField(label=_("Map sheet"), required=False, max_length=30)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    plate = forms.CharField(label=_("Plate"), required=False, max_length=20)
    frame_number = forms.CharField(label=_("Frame number"), required=False, max_length=50)
    engine_number = forms.CharField(label=_("Engine number"), required=False, max_length=50)
    description = forms.CharField(label=_("Description"), required=False)
    parties = forms.CharField(
        label=_("Parties"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: Role | Full name | ID number, e.g. “bên bán | Nguyễn Văn A | "
            "046090001234”. A passport or enterprise code may carry its type: passport:C1234567."
        ),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    scan = forms.FileField(label=_("Scanned contract (PDF, JPEG, PNG)"), required=False)
    reason = forms.CharField(label=_("Reason for the correction"), required=False, max_length=500)

    def __init__(self, *args, offices=None, correcting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        if correcting:
            for name in ("office", "contract_no", "cancels"):
                self.fields[name].disabled = True
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]

    def clean_parties(self):
        try:
            return parse_parties(self.cleaned_data["parties"])
        except NotaryError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def to_input(self) -> TxInput:
        data = self.cleaned_data
        fields = {k: data.get(k) or "" for k in ASSET_FIELDS}
        has_asset = any(fields.values())
        return TxInput(
            contract_no=data["contract_no"],
            contract_date=data["contract_date"],
            kind=data["kind"],
            notary_name=data["notary_name"],
            assets=[TxAssetInput(data["asset_type"], fields)] if has_asset else [],
            parties=data["parties"],
            value=data.get("value"),
            note=data.get("note") or "",
            cancels=data.get("cancels") or "",
        )
