"""Refusal at the counter of a walk-in applicant (DOMAIN §4): form 03, kept in the register.

No dossier is processed; the service records a never-received row (status 3) with the register
entry and the reasons, and the clerk prints form 03 for the applicant.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from motcua.orgs.selectors import unit_ids_for

from .errors import DossierError
from .forms import intake_procedures
from .printing.context import form_spec
from .services import Applicant, dossier_refuse_at_counter


class CounterRefusalForm(forms.Form):
    """Who was refused, for which procedure, and why (printed on form 03)."""

    procedure = forms.ModelChoiceField(label=gettext_lazy("Procedure"), queryset=None)
    applicant_name = forms.CharField(label=gettext_lazy("Applicant's full name"), max_length=200)
    applicant_id_number = forms.CharField(
        label=gettext_lazy("Identity document number"), max_length=20, required=False
    )
    applicant_phone = forms.CharField(label=gettext_lazy("Phone"), max_length=20, required=False)
    applicant_email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    applicant_address = forms.CharField(
        label=gettext_lazy("Address"), max_length=300, required=False
    )
    reasons = forms.CharField(
        label=gettext_lazy("Reasons for the refusal (one per line)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, unit_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = intake_procedures(unit_ids)

    def applicant(self) -> Applicant:
        d = self.cleaned_data
        return Applicant(
            name=" ".join(d["applicant_name"].split()),
            id_number=d["applicant_id_number"].strip(),
            phone=d["applicant_phone"].strip(),
            email=d["applicant_email"],
            address=d["applicant_address"].strip(),
        )


@login_required
@require_http_methods(["GET", "POST"])
def counter_refusal(request):
    """The intake clerk refuses a walk-in applicant; then prints form 03."""
    clerk_units = unit_ids_for(request.user, "intake_clerk")
    if not clerk_units:
        raise Http404
    form = CounterRefusalForm(request.POST or None, unit_ids=clerk_units)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = dossier_refuse_at_counter(
                actor=request.user,
                procedure=form.cleaned_data["procedure"],
                applicant=form.applicant(),
                reasons=form.cleaned_data["reasons"],
            )
        except DossierError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Refusal %(code)s recorded in the register. Print form 03 for the applicant.")
                % {"code": dossier.code},
            )
            spec = form_spec(dossier, "03")
            number = spec.number if spec is not None else "03"
            return redirect("dossiers:print_form", code=dossier.code, number=number)
    status = 400 if request.method == "POST" else 200
    return render(request, "dossiers/counter_refusal.html", {"form": form}, status=status)
