"""Public tracking of a dossier (/tra-cuu/): the code plus a second factor, no enumeration.

The second factor is the last 4 digits of the applicant's phone number or citizen ID. A wrong code
and a wrong factor answer alike. Attempts are limited per client IP and per dossier code with
Django's cache (settings TRACKING_RATE_*). Only public timeline events are shown, without staff
names or notes, and the applicant's name is masked ("Nguyễn V. A.").
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from motcua.core.http import client_ip as http_client_ip

from .choices import ResultDelivery, Status
from .models import Dossier, DossierEvent
from .workflow import Action

app_name = "tracking"

NOT_FOUND = _(
    "No dossier matches this code and these digits. Check the code on your receipt and the last "
    "4 digits of the phone number or ID number you gave."
)
RATE_LIMITED = _("Too many lookups. Please wait a few minutes and try again.")

_DIGITS = re.compile(r"\D")
_ACTION_LABELS = dict(Action.choices) | {
    "receive": _("received"),
    "submit_online": _("submitted online"),
    "refuse_at_counter": _("refused at the counter"),
}


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def client_ip(request) -> str:
    """The client's address for the rate limit (proxy-aware, see core.http); "unknown" if none."""
    return http_client_ip(request) or "unknown"


def _key(kind: str, value: str) -> str:
    return f"tracking:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def _hit(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def rate_limited(ip: str, code: str) -> bool:
    """Count this attempt; True when the IP or the code is over its limit in the window."""
    window = _setting("TRACKING_RATE_WINDOW", 600)
    over_ip = _hit(_key("ip", ip), window) > _setting("TRACKING_RATE_PER_IP", 10)
    over_code = _hit(_key("code", code), window) > _setting("TRACKING_RATE_PER_CODE", 10)
    return over_ip or over_code


def normalise_code(raw: str) -> str:
    return (raw or "").strip().upper()[:40]


def normalise_factor(raw: str) -> str:
    return _DIGITS.sub("", raw or "")


def _last4(value: str) -> str:
    digits = normalise_factor(value)
    return digits[-4:] if len(digits) >= 4 else ""


def mask_name(name: str) -> str:
    """ "Nguyễn Văn Ánh" → "Nguyễn V. Á.": family name, then initials (privacy on a public page)."""
    words = name.split()
    if not words:
        return ""
    return " ".join([words[0], *(w[0].upper() + "." for w in words[1:])])


@dataclass
class TrackingResult:
    code: str
    status: int
    status_label: str
    procedure: str
    unit: str
    applicant: str
    received_at: datetime | None
    due_at: datetime | None
    new_appointment_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    result_delivery: str
    result_delivery_label: str
    events: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        def iso(value):
            return timezone.localtime(value).isoformat() if value else None

        return {
            "code": self.code,
            "status": self.status,
            "status_label": str(self.status_label),
            "procedure": self.procedure,
            "unit": self.unit,
            "applicant": self.applicant,
            "received_at": iso(self.received_at),
            "due_at": iso(self.due_at),
            "new_appointment_at": iso(self.new_appointment_at),
            "finished_at": iso(self.finished_at),
            "returned_at": iso(self.returned_at),
            "result_delivery": self.result_delivery,
            "result_delivery_label": str(self.result_delivery_label),
            "events": [
                {
                    "at": iso(e["at"]),
                    "action": e["action"],
                    "label": str(e["label"]),
                    "status": e["status"],
                    "status_label": str(e["status_label"]) if e["status_label"] else None,
                }
                for e in self.events
            ],
        }


def lookup(code: str, factor: str) -> TrackingResult | None:
    """The dossier's public view if the code and the second factor match; None otherwise.

    Two queries whatever the data: the dossier (with procedure and unit), its public events.
    """
    code, factor = normalise_code(code), normalise_factor(factor)
    if not code or len(factor) != 4:
        return None
    dossier = (
        Dossier.objects.select_related("procedure", "unit")
        .only(
            "code",
            "status",
            "procedure__name",
            "unit__name",
            "applicant_name",
            "applicant_phone",
            "applicant_id_number",
            "received_at",
            "due_at",
            "new_appointment_at",
            "finished_at",
            "returned_at",
            "result_delivery",
        )
        .filter(code=code)
        .first()
    )
    expected = (
        [_last4(dossier.applicant_phone), _last4(dossier.applicant_id_number)] if dossier else []
    )
    # Compare against both factors in constant time; an empty factor never matches.
    matched = False
    for candidate in expected or ["", ""]:
        matched |= bool(candidate) and hmac.compare_digest(candidate, factor)
    if dossier is None or not matched:
        return None
    rows = DossierEvent.objects.filter(dossier_id=dossier.pk, public=True).order_by("at", "id")
    events = [
        {
            "at": at,
            "action": action,
            "label": _ACTION_LABELS.get(action, action),
            "status": to_status,
            # Only when the event changed the status (a first event always sets it).
            "status_label": Status(to_status).label
            if to_status and to_status != from_status and action not in ("receive",)
            else None,
        }
        for at, action, from_status, to_status in rows.values_list(
            "at", "action", "from_status", "to_status"
        )
    ]
    return TrackingResult(
        code=dossier.code,
        status=dossier.status,
        status_label=Status(dossier.status).label,
        procedure=dossier.procedure.name,
        unit=dossier.unit.name,
        applicant=mask_name(dossier.applicant_name),
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        new_appointment_at=dossier.new_appointment_at,
        finished_at=dossier.finished_at,
        returned_at=dossier.returned_at,
        result_delivery=dossier.result_delivery,
        result_delivery_label=ResultDelivery(dossier.result_delivery).label,
        events=events,
    )


class TrackingForm(forms.Form):
    ma = forms.CharField(label=_("Dossier code"), max_length=40)
    factor = forms.CharField(
        label=_("Last 4 digits of the phone or ID number"),
        max_length=4,
        min_length=4,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}"}
        ),
    )

    def clean_factor(self) -> str:
        value = self.cleaned_data["factor"].strip()
        if not value.isdigit() or len(value) != 4:
            raise forms.ValidationError(_("Enter exactly 4 digits."))
        return value


@require_http_methods(["GET", "POST"])
def tracking_page(request):
    """GET shows the form (code prefilled from ?ma=); POST looks the dossier up."""
    result = None
    message = None
    status = 200
    if request.method == "POST":
        form = TrackingForm(request.POST)
        if not form.is_valid():
            status = 400
        elif rate_limited(client_ip(request), normalise_code(form.cleaned_data["ma"])):
            message, status = RATE_LIMITED, 429
        else:
            result = lookup(form.cleaned_data["ma"], form.cleaned_data["factor"])
            if result is None:
                message, status = NOT_FOUND, 404
    else:
        form = TrackingForm(initial={"ma": normalise_code(request.GET.get("ma", ""))})
    return render(
        request,
        "portal/tracking.html",
        {"form": form, "result": result, "message": message},
        status=status,
    )


urlpatterns = [path("", tracking_page, name="page")]
