"""Public tracking of a dossier (/tra-cuu/): the code plus a second factor, no enumeration.

The second factor is the applicant's full mobile phone number or full ID number, as given at
submission (issue 13, gap 10: four digits were guessable). A wrong code and a wrong factor answer
alike. Limits (settings TRACKING_RATE_*, atomic counters of core.ratelimit shared by every
worker): every attempt counts against the client address; failures count against the pair (dossier code, address), so a guesser is stopped
without locking the applicant out — the right answer from another address still works. Only
public timeline events are shown, without staff names or notes, and the applicant's name is
masked ("Nguyễn V. A.").
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime

from django import forms
from django.conf import settings
from django.db.models import FilteredRelation, Q
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from motcua.core import ratelimit
from motcua.core.compiled import compiled_rows
from motcua.core.http import client_ip as http_client_ip
from motcua.core.jinja import render_in_chrome
from motcua.core.text import normalize_identifier
from motcua.core.validators import validate_phone

from .choices import SETTLED, ResultDelivery, Status
from .history import event_sentence, status_after
from .models import Dossier

app_name = "tracking"

NOT_FOUND = _(
    "No dossier matches this code and this number. Check the code on your receipt and enter the "
    "full mobile phone number or the full ID number you gave."
)
RATE_LIMITED = _("Too many lookups. Please wait a few minutes and try again.")

_FACTOR_NOISE = re.compile(r"[^0-9A-Za-z]")
_FACTOR_ALLOWED = re.compile(r"[0-9A-Za-z .\-+()]+")
FACTOR_MIN, FACTOR_MAX = 6, 20


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def client_ip(request) -> str:
    """The client's address for the rate limit (proxy-aware, see core.http); "unknown" if none."""
    return http_client_ip(request) or "unknown"


def _key(kind: str, value: str) -> str:
    return f"tracking:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def rate_limited(ip: str, code: str) -> bool:
    """Count this attempt against the address; True when the address is over its limit or has
    failed too often on this code (failures are counted by ``record_failure``).

    Atomic and cheap (core.ratelimit): one Redis round trip, or two statements on the database
    cache (an upsert that counts, a read of the failures)."""
    window = _setting("TRACKING_RATE_WINDOW", 600)
    attempts, failures = ratelimit.hit_and_peek(
        _key("ip", ip), window, _key("code-ip", f"{code}\n{ip}")
    )
    over_ip = attempts > _setting("TRACKING_RATE_PER_IP", 10)
    return over_ip or failures >= _setting("TRACKING_RATE_PER_CODE", 10)


def record_failure(ip: str, code: str) -> None:
    """A wrong code or factor from this address for this code (slows the guesser only)."""
    ratelimit.hit(_key("code-ip", f"{code}\n{ip}"), _setting("TRACKING_RATE_WINDOW", 600))


def normalise_code(raw: str) -> str:
    return (raw or "").strip().upper()[:40]


def normalise_factor(raw: str) -> str:
    """Letters and digits only, upper case: "0905 123 456" → "0905123456"."""
    return _FACTOR_NOISE.sub("", raw or "").upper()[:FACTOR_MAX]


def _phone(value: str) -> str:
    result = validate_phone(value or "")
    return result.national if result.ok else ""


def factor_matches(factor: str, *, phone: str = "", id_number: str = "") -> bool:
    """True when ``factor`` is the full phone number or the full ID number (constant time)."""
    raw = (factor or "").strip()
    given_phone = _phone(raw)
    given_id = normalize_identifier(normalise_factor(raw))
    expected_phone = _phone(phone)
    expected_id = normalize_identifier(normalise_factor(id_number))
    matched = False
    for given, expected in ((given_phone, expected_phone), (given_id, expected_id)):
        ok = hmac.compare_digest(given.encode(), expected.encode())
        matched |= bool(given) and len(expected) >= FACTOR_MIN and ok
    return matched


def mask_name(name: str) -> str:
    """ "Nguyễn Văn Ánh" → "Nguyễn V. Á.": family name, then initials (privacy on a public page)."""
    words = name.split()
    if not words:
        return ""
    return " ".join([words[0], *(w[0].upper() + "." for w in words[1:])])


#: The page's times: "HH:MM dd/mm/yyyy", as `|date:"H:i d/m/Y"` writes them.
_HM_DMY = "%H:%M %d/%m/%Y"


def _hm_dmy(value: datetime | None, zone) -> str:
    return value.astimezone(zone).strftime(_HM_DMY) if value else ""


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
    unit_code: str = ""  # for the link to the feedback form (not in the JSON: unchanged API)

    # The page's times, formatted once here rather than by the template's `date` filter (issue 17:
    # the filter's localised format look-ups were a tenth of the page's CPU). Same text as
    # `|date:"H:i d/m/Y"` and `|date:"c"` in the current time zone (looked up once); "" for none.
    @property
    def times(self) -> dict[str, str]:
        zone = timezone.get_current_timezone()
        return {
            name: _hm_dmy(getattr(self, name), zone)
            for name in (
                "received_at",
                "due_at",
                "new_appointment_at",
                "finished_at",
                "returned_at",
            )
        }

    @property
    def can_be_rated(self) -> bool:
        """The result is ready or returned: the page offers the rating form (feedback app)."""
        return self.status in SETTLED

    @property
    def timeline(self) -> list[dict]:
        zone = timezone.get_current_timezone()
        timeline = []
        for e in self.events:
            at = e["at"].astimezone(zone)
            timeline.append(e | {"at_text": at.strftime(_HM_DMY), "at_iso": at.isoformat()})
        return timeline

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


_LOOKUP_FIELDS = (
    "code",
    "status",
    "procedure__name",
    "unit__name",
    "unit__code",
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
_EVENT_FIELDS = ("pub__at", "pub__action", "pub__from_status", "pub__to_status")


def _lookup_queryset(code: str):
    return (
        Dossier.objects.filter(code=code)
        .annotate(pub=FilteredRelation("events", condition=Q(events__public=True)))
        .order_by("pub__at", "pub__id")
        .values_list(*_LOOKUP_FIELDS, *_EVENT_FIELDS)
    )


def _lookup_rows(code: str) -> list[tuple]:
    """The rows of `_lookup_queryset(code)`, without compiling the ORM query on every request.

    Issue 17: building and compiling this queryset cost about as much CPU as the rest of the
    look-up; it is compiled once per database connection (core/compiled.py) and run with the code
    bound, on the database the router chooses (read replicas, docs/scale.md), its rows read in
    the binary format (text, integers and times only).
    """
    return compiled_rows(Dossier, ("tracking-lookup",), _lookup_queryset, code, binary=True)


def _text(label) -> str | None:
    return None if label is None else str(label)


def lookup(code: str, factor: str) -> TrackingResult | None:
    """The dossier's public view if the code and the second factor match; None otherwise.

    One query whatever the data (issue 17): the dossier with its procedure and unit names, joined
    to its public events (one row per event; one row of NULLs when there is none). Plain values and text,
    no model instances: the page is public and busy.
    """
    code = normalise_code(code)
    if not code or len(normalise_factor(factor)) < FACTOR_MIN:
        return None
    rows = _lookup_rows(code)
    if not rows:
        return None
    d = dict(zip(_LOOKUP_FIELDS, rows[0][: len(_LOOKUP_FIELDS)], strict=True))
    if not factor_matches(factor, phone=d["applicant_phone"], id_number=d["applicant_id_number"]):
        return None
    events = [
        {
            "at": at,
            "action": action,
            # A sentence (issue 14), worded in history.py like the dossier pages'.
            "label": str(event_sentence(action)),
            "status": to_status,
            # Only when the event changed the status and its sentence does not say so.
            "status_label": _text(status_after(action, from_status, to_status)),
        }
        for at, action, from_status, to_status in (row[len(_LOOKUP_FIELDS) :] for row in rows)
        if at is not None
    ]
    return TrackingResult(
        code=d["code"],
        status=d["status"],
        status_label=str(Status(d["status"]).label),
        procedure=d["procedure__name"],
        unit=d["unit__name"],
        applicant=mask_name(d["applicant_name"]),
        received_at=d["received_at"],
        due_at=d["due_at"],
        new_appointment_at=d["new_appointment_at"],
        finished_at=d["finished_at"],
        returned_at=d["returned_at"],
        result_delivery=d["result_delivery"],
        result_delivery_label=str(ResultDelivery(d["result_delivery"]).label),
        events=events,
        unit_code=d["unit__code"],
    )


class FactorField(forms.CharField):
    """The second factor: the full mobile phone number or the full ID number."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile phone number or ID number you gave"))
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        length = len(_FACTOR_NOISE.sub("", value))
        if not _FACTOR_ALLOWED.fullmatch(value.strip()) or not FACTOR_MIN <= length <= FACTOR_MAX:
            raise forms.ValidationError(
                _("Enter the full mobile phone number or the full ID number (letters and digits).")
            )
        return value.strip()


class TrackingForm(forms.Form):
    ma = forms.CharField(label=_("Dossier code"), max_length=40)
    factor = FactorField()


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
                record_failure(client_ip(request), normalise_code(form.cleaned_data["ma"]))
                message, status = NOT_FOUND, 404
    else:
        form = TrackingForm(initial={"ma": normalise_code(request.GET.get("ma", ""))})
    # The content by Jinja2, inside base.html's Django chrome (issue 17: Django's engine was half
    # of this busy page's CPU; docs/adr/0004).
    return render_in_chrome(
        request,
        _("Track a dossier"),
        "portal/tracking.html",
        {"form": form, "result": result, "message": message},
        status=status,
    )


urlpatterns = [path("", tracking_page, name="page")]
