"""The dossier page's small lists, read with the dossier itself (issue 17: the page in ≤ 8 queries).

The documents, transfers, payments, the rule version's form templates, the procedure's steps and
the units a transfer may go to come as JSON columns of the dossier's own query
(`motcua.core.jsonrows`), and the navigation's waiting counts as one more (orgs.navigation);
`unpack` puts each list where the page reads it (the related managers' prefetch cache, so
`dossier.payments.all` in a template runs no query). The steps, events and attachments stay
ordinary queries with their joins.
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef
from django.utils import timezone

from motcua.core.jsonrows import decode, rows_subquery
from motcua.orgs.models import Unit
from motcua.orgs.navigation import dossier_counts_subquery, remember_dossier_counts
from motcua.payments.models import Payment
from motcua.procedures.models import ProcedureStep

from .models import DossierDocument, FormTemplate, Transfer

DOCUMENTS = ["id", "dossier", "name", "form", "count", "digitised", "reused", "from_data_store"]
TRANSFERS = [
    "id", "dossier", "to_unit", "sent_at", "due_at", "returned_at", "note",
    "to_unit__id", "to_unit__code", "to_unit__name", "to_unit__short_name",
]  # fmt: skip
PAYMENTS = [
    "id", "dossier", "provider", "amount", "status", "reference", "provider_reference",
    "created_by", "created_at", "paid_at",
]  # fmt: skip
FORMS = ["id", "rule_version", "kind", "number", "title", "legal_basis", "active"]
STEPS = ["id", "order", "role"]
UNITS = ["id", "code", "name", "short_name"]


def transfer_units_queryset():
    """Units a dossier may be transferred to (ActionForm's `to_unit` choices, same filter)."""
    return Unit.objects.filter(is_historical=False).exclude(valid_to__lt=timezone.localdate())


def page_annotations(user, session=None) -> dict[str, Any]:
    """Expressions for `get_dossier_for_user(..., annotate=…)`."""
    dossier = OuterRef("pk")
    annotations = {
        "_page_documents": rows_subquery(
            DossierDocument.objects.filter(dossier=dossier), DOCUMENTS, group="dossier"
        ),
        "_page_transfers": rows_subquery(
            Transfer.objects.filter(dossier=dossier), TRANSFERS, group="dossier"
        ),
        "_page_payments": rows_subquery(
            Payment.objects.filter(dossier=dossier), PAYMENTS, group="dossier"
        ),
        "_page_forms": rows_subquery(
            FormTemplate.objects.filter(rule_version=OuterRef("rule_version"), active=True),
            FORMS,
            group="rule_version",
        ),
        "_page_steps": rows_subquery(
            ProcedureStep.objects.filter(procedure=OuterRef("procedure_id")).order_by("order"),
            STEPS,
            group="procedure",
        ),
        "_page_units": rows_subquery(
            transfer_units_queryset().exclude(pk=OuterRef("unit_id")).order_by("name"),
            UNITS,
            group="is_historical",
        ),
    }
    counts = dossier_counts_subquery(user, session=session)
    if counts is not None:
        annotations["_page_nav_counts"] = counts
    return annotations


def unpack(user, dossier) -> dict[str, Any]:
    """Decode the JSON columns; fill the prefetch caches; returns the lists the view needs."""
    using = dossier._state.db or "default"
    documents = decode(DossierDocument, DOCUMENTS, dossier._page_documents, using=using)
    transfers = decode(Transfer, TRANSFERS, dossier._page_transfers, using=using)
    payments = decode(Payment, PAYMENTS, dossier._page_payments, using=using)
    for row in (*documents, *transfers, *payments):
        row.dossier = dossier
    cache = getattr(dossier, "_prefetched_objects_cache", {})
    cache.update({"documents": documents, "transfers": transfers, "payments": payments})
    dossier._prefetched_objects_cache = cache
    if hasattr(dossier, "_page_nav_counts"):
        remember_dossier_counts(user, dossier._page_nav_counts)
    steps = decode(ProcedureStep, STEPS, dossier._page_steps, using=using, ordering=["order"])
    return {
        "documents": documents,
        "transfers": transfers,
        "form_templates": decode(FormTemplate, FORMS, dossier._page_forms, using=using),
        "procedure_steps": [(step.order, step.role) for step in steps],
        "transfer_units": decode(Unit, UNITS, dossier._page_units, using=using, ordering=["name"]),
    }
