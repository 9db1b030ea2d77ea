"""Forms of the registry pages: request + assets (a formset; owners one per line), release, search."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AssetType, Kind
from .models import AuthorityType
from .services import ASSET_FIELDS, AssetInput, OwnerInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RequestForm(forms.Form):
    request_no = forms.CharField(label=_("Incoming-register number"), max_length=50)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.BLOCKING)
    authority_type = forms.ModelChoiceField(
        label=_("Authority type"), queryset=AuthorityType.objects.all(), empty_label=None
    )
    authority_name = forms.CharField(label=_("Sending authority"), max_length=255)
    sender_person = forms.CharField(label=_("Sender (person)"), max_length=200, required=False)
    document_number = forms.CharField(label=_("Document number"), max_length=100)
    document_date = forms.DateField(label=_("Document date"), widget=DATE)
    received_at = forms.DateTimeField(
        label=_("Received at"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    scan = forms.FileField(label=_("Scanned document (PDF, JPEG, PNG)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )


def parse_owners(text: str) -> list[OwnerInput]:
    """One owner per line: "Name | ID number | birth year" (ID and year optional)."""
    owners = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        name = parts[0]
        id_number = parts[1] if len(parts) > 1 else ""
        year = parts[2] if len(parts) > 2 else ""
        if year and not year.isdigit():
            raise forms.ValidationError(
                _("Line %(n)d: the birth year must be a number.") % {"n": number}
            )
        owners.append(OwnerInput(name, id_number, int(year) if year else None))
    return owners


class AssetForm(forms.Form):
    asset_type = forms.ChoiceField(
        label=_("Asset type"), choices=AssetType.choices, initial=AssetType.LAND
    )
    certificate_serial = forms.CharField(label=_("Certificate serial"), required=False)
    certificate_issuer = forms.CharField(label=_("Issued by"), required=False)
    certificate_date = forms.DateField(label=_("Issued on"), required=False, widget=DATE)
    parcel_number = forms.CharField(label=_("Parcel number"), required=False, max_length=30)
    map_sheet = forms.CharField(label=_("Map sheet"), required=False, max_length=30)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    area = forms.DecimalField(label=_("Area (m²)"), required=False, max_digits=12, decimal_places=2)
    use_purpose = forms.CharField(label=_("Use purpose"), required=False, max_length=200)
    attached_assets = forms.CharField(label=_("Attached assets"), required=False)
    plate = forms.CharField(label=_("Plate"), required=False, max_length=20)
    registration_number = forms.CharField(label=_("Registration number"), required=False)
    frame_number = forms.CharField(label=_("Frame number"), required=False)
    engine_number = forms.CharField(label=_("Engine number"), required=False)
    description = forms.CharField(label=_("Description"), required=False)
    owners = forms.CharField(
        label=_("Owners (one per line: name | ID number | birth year)"),
        help_text=_(
            "CCCD (12 digits) and CMND (9) are recognised; for another document write its type "
            "before the number: passport:C1234567, org_code:0100109106-001, other:…"
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_owners(self):
        return parse_owners(self.cleaned_data["owners"])

    def to_input(self) -> AssetInput:
        data = self.cleaned_data
        fields = {k: data[k] for k in ASSET_FIELDS if k in data and data[k] not in ("", None)}
        return AssetInput(asset_type=data["asset_type"], owners=data["owners"], fields=fields)


AssetFormSet = forms.formset_factory(AssetForm, extra=1, min_num=1, validate_min=True, max_num=50)


class ReleaseForm(forms.Form):
    document_number = forms.CharField(label=_("Release document number"), max_length=100)
    document_date = forms.DateField(label=_("Release document date"), widget=DATE)
    # DOMAIN §11: the release is due 16 working hours (the procedure's limit) after this.
    received_at = forms.DateTimeField(
        label=_("Release document received at"),
        required=False,  # empty: now
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    authority_name = forms.CharField(label=_("Releasing authority"), max_length=255, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    scan = forms.FileField(label=_("Scanned document (PDF, JPEG, PNG)"), required=False)
    assets = forms.MultipleChoiceField(
        label=_("Assets released"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, asset_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assets"].choices = [(str(a.pk), a.label()) for a in asset_choices]
        if not self.is_bound:
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Serial, plate, frame or engine number, owner's name or ID number"),
        required=False,
        max_length=300,
    )
    identifier = forms.CharField(
        label=_("Certificate serial / plate / frame / engine"), required=False
    )
    owner_name = forms.CharField(label=_("Owner's name"), required=False, max_length=200)
    owner_id = forms.CharField(label=_("Owner's ID number"), required=False, max_length=20)
    parcel_number = forms.CharField(label=_("Parcel number"), required=False, max_length=30)
    map_sheet = forms.CharField(label=_("Map sheet"), required=False, max_length=30)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)

    ADVANCED = ("identifier", "owner_name", "owner_id", "parcel_number", "map_sheet", "address")

    def criteria(self) -> dict:
        data = getattr(self, "cleaned_data", None) or {}
        return {k: data[k] for k in self.ADVANCED if data.get(k)}


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=DATE)
    date_to = forms.DateField(label=_("To"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return data
