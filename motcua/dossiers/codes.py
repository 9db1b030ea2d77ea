"""Dossier codes `<agency code>-<YYMMDD>-<NNNN>` (DOMAIN §5), unique under concurrent intake."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F

from .models import DossierSequence


def next_sequence(agency_code: str, day: date) -> int:
    """Take the next number for (agency, day); the row lock serialises concurrent clerks.

    The counter lives in the database, so it holds across processes and app servers.
    """
    with transaction.atomic():
        DossierSequence.objects.get_or_create(agency_code=agency_code, day=day)
        # UPDATE … SET last = last + 1 takes the row lock; the read after it sees our own write.
        DossierSequence.objects.filter(agency_code=agency_code, day=day).update(last=F("last") + 1)
        return DossierSequence.objects.values_list("last", flat=True).get(
            agency_code=agency_code, day=day
        )


def format_code(agency_code: str, day: date, number: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def next_dossier_code(agency_code: str, day: date) -> tuple[str, int]:
    number = next_sequence(agency_code, day)
    return format_code(agency_code, day, number), number
