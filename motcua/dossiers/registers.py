"""The register book (sổ theo dõi hồ sơ, DOMAIN §5): entries numbered per book, not per day.

A unit keeps one book per year (a new book number may be opened by an administrator); every
reception — at the counter, by post, or the acceptance of an online submission — and every
refusal at the counter takes the next entry of the unit's current book for the local year.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import RegisterBook


def next_register_entry(unit_id: int, at: datetime) -> tuple[RegisterBook, int]:
    """The book of (unit, local year of `at`) and its next entry number, safe under concurrency.

    The UPDATE … SET last = last + 1 takes the row lock, so concurrent clerks (on any process or
    server) get distinct, gap-free numbers; the counter lives in the database.
    """
    year = timezone.localtime(at).year
    with transaction.atomic():
        book = RegisterBook.objects.filter(unit_id=unit_id, year=year).order_by("-number").first()
        if book is None:
            # get_or_create retries the read when a concurrent clerk created the book first.
            book, _created = RegisterBook.objects.get_or_create(
                unit_id=unit_id, year=year, number=1
            )
        RegisterBook.objects.filter(pk=book.pk).update(last=F("last") + 1)
        book.refresh_from_db(fields=["last"])
        return book, book.last
