"""Digitisation at intake and the applicant's document store (issue 15; DOMAIN §7, 4.2–4.4).

At the counter each component of the checklist can be scanned (uploaded) into the dossier, or
taken from the applicant's earlier digitised documents and results — the same person being the
same identity number (`core.validators.id_search_key`, the dossier's generated
`applicant_id_key`). Online, the citizen picks from their own earlier dossiers. A scanned
component is marked digitised; a reused one digitised and reused; the marks are rolled up on the
dossier (`marks.roll_up_documents`) and reach the national portal with the sync.

Access: a clerk is offered only documents of dossiers they may see (their units' dossiers) of the
person whose number is on the form; a citizen only their own dossiers' documents. A reused file
is copied (store_attachment checks it again), so the new dossier keeps it whatever happens to the
old one. Internal documents are never offered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.core.validators import id_search_key

from .attachments import store_attachment
from .choices import AttachmentKind
from .errors import DossierError
from .marks import roll_up_documents
from .models import Attachment, Dossier, DossierDocument
from .selectors import staff_dossiers

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser

#: Files that may be offered again: what the applicant submitted and the results issued.
REUSABLE_KINDS = (AttachmentKind.SUBMITTED, AttachmentKind.RESULT)
#: How many earlier files are offered at most (newest first).
STORE_LIMIT = 50


def _store(dossiers: QuerySet[Dossier]) -> QuerySet[Attachment]:
    return (
        Attachment.objects.filter(dossier__in=dossiers, kind__in=REUSABLE_KINDS)
        .select_related("dossier__procedure")
        .order_by("-uploaded_at", "-id")
    )


def counter_store(user: AnyUser, id_number: str) -> list[Attachment]:
    """The earlier documents and results of the person with this number, in dossiers the clerk
    may see; none without a number."""
    key = id_search_key(id_number)
    if not key:
        return []
    return list(_store(staff_dossiers(user).filter(applicant_id_key=key))[:STORE_LIMIT])


def citizen_store(user: AnyUser) -> list[Attachment]:
    """The citizen's own document store: files of the dossiers they submitted."""
    if not user.is_authenticated:
        return []
    return list(_store(Dossier.objects.filter(applicant_user=user))[:STORE_LIMIT])


@dataclass
class ComponentInput:
    """What the intake gives for one component: scanned files, or an earlier file to reuse."""

    files: Sequence = ()
    reuse: Attachment | None = None


@dataclass
class DigitiseResult:
    stored: list[str] = field(default_factory=list)
    marks: dict = field(default_factory=dict)


def _copy(attachment: Attachment) -> ContentFile:
    try:
        with default_storage.open(attachment.storage_name, "rb") as handle:
            data = handle.read()
    except OSError:
        raise DossierError(
            _("The earlier file “%(name)s” is missing from the storage; scan it instead.")
            % {"name": attachment.original_name}
        ) from None
    return ContentFile(data, name=attachment.original_name)


def dossier_components_digitise(
    *,
    actor: AnyUser,
    dossier: Dossier,
    components: Mapping[int, ComponentInput],
    allowed_reuse: Iterable[Attachment],
    stored: list[str],
    person_key: str | None = None,
) -> DigitiseResult:
    """Store each component's scans and reused copies, mark the components, roll them up; one
    audit event (besides each file's own). Call inside the caller's transaction; `stored`
    collects the written files so the caller can discard them if the transaction rolls back.

    `components` is keyed by DossierDocument id (of this dossier); `allowed_reuse` is the store
    offered to this actor for this person — anything else is refused, nothing is kept. With
    `person_key` (the counter) each reused file must come from a dossier of that identity number:
    the store looked up before the form was filled in cannot be used for another applicant."""
    documents = {d.pk: d for d in DossierDocument.objects.filter(dossier=dossier)}
    if set(components) - set(documents):
        raise DossierError(_("These documents are not part of this dossier."))
    allowed = {a.pk: a for a in allowed_reuse}
    result = DigitiseResult(stored=stored)
    changed = []
    for pk, given in components.items():
        document = documents[pk]
        reused = None
        for uploaded in given.files:
            attachment = store_attachment(
                actor=actor, dossier=dossier, uploaded_file=uploaded, document=document
            )
            stored.append(attachment.storage_name)
        if given.reuse is not None:
            source = allowed.get(given.reuse.pk)
            other_person = (
                source is not None
                and person_key is not None
                and (
                    not person_key
                    or id_search_key(source.dossier.applicant_id_number) != person_key
                )
            )
            if source is None or source.dossier_id == dossier.pk or other_person:
                raise DossierError(_("This earlier document cannot be reused for this applicant."))
            reused = store_attachment(
                actor=actor,
                dossier=dossier,
                uploaded_file=_copy(source),
                document=document,
                reused_from=source,
            )
            stored.append(reused.storage_name)
        if given.files or reused is not None:
            document.digitised = True
            document.reused = document.reused or reused is not None
            changed.append(document)
    if changed:
        DossierDocument.objects.bulk_update(changed, ["digitised", "reused"])
    result.marks = roll_up_documents(dossier)
    audit_record(
        actor=actor,
        action="dossier.components_digitised",
        obj=dossier,
        note=dossier.code,
        data={
            "documents": {
                str(d.pk): {"digitised": d.digitised, "reused": d.reused} for d in changed
            },
            "reused_from": sorted(c.reuse.pk for c in components.values() if c.reuse),
            "dossier": result.marks,
        },
    )
    return result
