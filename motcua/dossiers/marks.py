"""The marks the national 766 index reads (DOMAIN §7), kept up to date by the services that cause
them: an electronic result (3.3, 4.1), online payment and its fee (3.6), the applicant's
VNeID-verified account (4.5), and the digitisation and reuse of the dossier's components (4.2–4.4).

Each function is called inside its caller's transaction and returns what it changed, so the caller
writes it into its own audit event (one event per service call, ARCHITECTURE). The one service of
its own here is `document_marks_set`, the officer ticking the components' marks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record

from .errors import DossierError
from .models import Dossier, DossierDocument

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser

#: Fields of the dossier rolled up from its documents' marks.
ROLLED_UP = ("digitised", "reused_data", "from_data_store")


def _save(dossier: Dossier, changes: dict[str, Any]) -> dict[str, Any]:
    """Write the changed fields only (and `updated_at`); returns them."""
    changed = {k: v for k, v in changes.items() if getattr(dossier, k) != v}
    for name, value in changed.items():
        setattr(dossier, name, value)
    if changed:
        dossier.save(update_fields=[*changed, "updated_at"])
        # The marks are fields the national portal reads (DuocThanhToanTrucTuyen, DuocSoHoa…):
        # queue the new state in the same transaction (issue 12).
        from motcua.integrations.dvcqg import outbox

        outbox.enqueue_dossier(dossier, reason="marks", unlocked=True)
    return changed


# --- 3.3 and 4.1: electronic result ----------------------------------------------------------
def result_file_added(dossier: Dossier, *, result_number: str = "") -> dict[str, Any]:
    """A result file was attached: the electronic result is issued (with its number, if given).

    DOMAIN §7, 3.3: a result counts as electronic with a result number and a file; the number is
    kept when a later file (say a corrected scan) comes without one."""
    changes: dict[str, Any] = {"electronic_result": True}
    number = (result_number or "").strip()
    if number:
        changes["result_number"] = number[:100]
    return _save(dossier, changes)


# --- 3.6: paid online ------------------------------------------------------------------------
def paid_online(dossier: Dossier, *, amount: Decimal) -> dict[str, Any]:
    """An online payment was confirmed (DOMAIN §7, 3.6): paid online, with the fee charged."""
    return _save(dossier, {"paid_online": True, "fee": Decimal(amount)})


# --- 4.5: VNeID-verified account -------------------------------------------------------------
def vneid_providers() -> tuple[str, ...]:
    """Provider ids whose logins are VNeID (`MOTCUA_VNEID_PROVIDERS`, default "vneid").

    A province's own SSO is an OpenID Connect provider too but not VNeID: leave it out."""
    return tuple(getattr(settings, "MOTCUA_VNEID_PROVIDERS", ("vneid",)))


def is_vneid_verified(user: Any) -> bool:
    """The account logged in through VNeID and the provider vouched for a valid CCCD number.

    "Verified" = a social account of one of `vneid_providers()` whose claims carry, in the
    configured claim (`id_number_claim`, default `citizen_id`), a CCCD number that passes
    `validate_cccd` (DOMAIN §12). A local account or a provider without such a claim is not."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    from allauth.socialaccount.models import SocialAccount

    from motcua.core.validators import validate_cccd

    providers = vneid_providers()
    if not providers:
        return False
    claim_names = {
        app.get("provider_id"): (app.get("settings") or {}).get("id_number_claim", "citizen_id")
        for app in settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    }
    for account in SocialAccount.objects.filter(user=user, provider__in=providers):
        data = account.extra_data or {}
        claims = data.get("userinfo") or data.get("id_token") or data
        if not isinstance(claims, dict):
            continue
        raw = str(claims.get(claim_names.get(account.provider, "citizen_id"), "") or "")
        if raw and validate_cccd(raw).ok:
            return True
    return False


# --- 4.2–4.4: the components' marks, rolled up ------------------------------------------------
def roll_up_documents(dossier: Dossier) -> dict[str, Any]:
    """The dossier's summary of its components' marks (DOMAIN §7, 4.2–4.4); returns the changes.

    Digitised: every input component has a file (and there is at least one); reused data and
    data store: any component. (4.2 also wants the electronic result where one is required: the
    index reads that from `electronic_result`.)"""
    marks = list(DossierDocument.objects.filter(dossier=dossier).values_list(*_DOC_FIELDS))
    return _save(
        dossier,
        {
            "digitised": bool(marks) and all(d for d, _r, _s in marks),
            "reused_data": any(r for _d, r, _s in marks),
            "from_data_store": any(s for _d, _r, s in marks),
        },
    )


_DOC_FIELDS = ("digitised", "reused", "from_data_store")


@dataclass(frozen=True)
class DocumentMarks:
    """The marks of one component, as the officer ticks them."""

    digitised: bool = False
    reused: bool = False
    from_data_store: bool = False


@transaction.atomic
def document_marks_set(
    *, actor: AnyUser, dossier_id: int, marks: Mapping[int, DocumentMarks]
) -> Dossier:
    """Set the components' marks of a dossier (by document id) and roll them up; one audit event.

    Ids of another dossier's documents are refused (nothing changed)."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
    documents = {d.pk: d for d in DossierDocument.objects.filter(dossier=dossier)}
    unknown = set(marks) - set(documents)
    if unknown:
        raise DossierError(_("These documents are not part of this dossier."))
    changed_docs = []
    for pk, mark in marks.items():
        doc = documents[pk]
        new = (mark.digitised, mark.reused, mark.from_data_store)
        if tuple(getattr(doc, f) for f in _DOC_FIELDS) != new:
            doc.digitised, doc.reused, doc.from_data_store = new
            changed_docs.append(doc)
    DossierDocument.objects.bulk_update(changed_docs, list(_DOC_FIELDS))
    rolled = roll_up_documents(dossier)
    audit_record(
        actor=actor,
        action="dossier.document_marks",
        obj=dossier,
        note=dossier.code,
        data={
            "documents": {str(d.pk): {f: getattr(d, f) for f in _DOC_FIELDS} for d in changed_docs},
            "dossier": rolled,
        },
    )
    return dossier
