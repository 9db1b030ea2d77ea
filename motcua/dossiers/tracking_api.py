"""GET /api/v1/tracking — public dossier tracking as JSON, same rules as the /tra-cuu/ page."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from .tracking import (
    FACTOR_MAX,
    FACTOR_MIN,
    NOT_FOUND,
    RATE_LIMITED,
    client_ip,
    lookup,
    normalise_code,
    normalise_factor,
    rate_limited,
    record_failure,
)

router = Router(tags=["tracking"])


class TrackingEventOut(Schema):
    at: datetime
    action: str
    label: str
    status: int | None
    status_label: str | None


class TrackingOut(Schema):
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
    events: list[TrackingEventOut]


class ErrorOut(Schema):
    detail: str


@router.get(
    "",
    response={200: TrackingOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    auth=None,
)
def track(request, code: str = "", factor: str = ""):
    """A dossier's status and public timeline, given its code and the applicant's full mobile
    phone number or full ID number. No match and a wrong factor both answer 404."""
    code = normalise_code(code)
    factor = factor.strip()
    if not code or not FACTOR_MIN <= len(normalise_factor(factor)) <= FACTOR_MAX:
        return Status(
            400,
            {
                "detail": _(
                    "Give the dossier code and, as the factor, the full mobile phone number or "
                    "the full ID number."
                )
            },
        )
    if rate_limited(client_ip(request), code):
        return Status(429, {"detail": str(RATE_LIMITED)})
    result = lookup(code, factor)
    if result is None:
        record_failure(client_ip(request), code)
        return Status(404, {"detail": str(NOT_FOUND)})
    return Status(200, result.as_json())
