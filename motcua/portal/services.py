"""The citizen's writes: submit online, supplement, withdraw, choose delivery, collect the result.

Every status change goes through `motcua.dossiers.services.dossier_transition` and the transition
table (the applicant pseudo-role); files go through `store_attachment` (the counter's checks).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.dossiers.attachments import discard_files, store_attachment
from motcua.dossiers.choices import AttachmentKind, ResultDelivery, Status
from motcua.dossiers.digitise import ComponentInput, citizen_store, dossier_components_digitise
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Attachment, Dossier
from motcua.dossiers.services import (
    Applicant,
    DocumentLine,
    dossier_submit_online,
    dossier_transition,
)
from motcua.dossiers.workflow import Action
from motcua.procedures.models import Procedure

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser


def _store_all(actor: AnyUser, dossier: Dossier, files: Iterable, stored: list[str]) -> None:
    for uploaded in files:
        attachment = store_attachment(
            actor=actor, dossier=dossier, uploaded_file=uploaded, kind=AttachmentKind.SUBMITTED
        )
        stored.append(attachment.storage_name)


def _digitise(
    actor: AnyUser,
    dossier: Dossier,
    components: Sequence[tuple[int, Sequence, int | None]],
    stored: list[str],
) -> None:
    """The components' uploads and reused files (motcua.dossiers.digitise): own store only."""
    components = [(i, f, r) for i, f, r in components if f or r]
    if not components:
        return
    documents = list(dossier.documents.order_by("id"))
    store = citizen_store(actor)
    by_id = {a.pk: a for a in store}
    inputs = {}
    for index, files, reuse in components:
        chosen = by_id.get(reuse) if reuse else None
        if reuse and chosen is None:
            raise DossierError(_("This earlier document cannot be reused for this applicant."))
        inputs[documents[index].pk] = ComponentInput(files=files, reuse=chosen)
    dossier_components_digitise(
        actor=actor, dossier=dossier, components=inputs, allowed_reuse=store, stored=stored
    )


def portal_submit(
    *,
    actor: AnyUser,
    procedure: Procedure,
    applicant: Applicant,
    documents: Iterable[DocumentLine],
    files: Iterable,
    result_delivery: str,
    declaration: bool,
    components: Sequence[tuple[int, Sequence, int | None]] = (),
) -> Dossier:
    """Submit a dossier online (status 1) with its files; all or nothing.

    `components` (issue 15): per document of `documents` (by index), its uploaded files and the
    id of a file of the citizen's own store to reuse; they are linked to the component and mark
    it digitised (and reused)."""
    if not actor.is_authenticated:
        raise DossierError(_("Log in to submit a dossier online."))
    if not declaration:
        raise DossierError(_("You must confirm the declaration."))
    stored: list[str] = []
    try:
        with transaction.atomic():
            dossier = dossier_submit_online(
                actor=actor,
                procedure=procedure,
                applicant=applicant,
                documents=documents,
                result_delivery=result_delivery,
            )
            _digitise(actor, dossier, components, stored)
            _store_all(actor, dossier, files, stored)
    except Exception:
        discard_files(stored)
        raise
    return dossier


def portal_supplement(*, actor: AnyUser, dossier_id: int, note: str, files: Iterable) -> Dossier:
    """Send the documents asked for; same dossier code, the history keeps every step."""
    files = list(files)
    if not files and not note.strip():
        raise DossierError(_("Attach the requested documents or explain in the note."))
    stored: list[str] = []
    try:
        with transaction.atomic():
            dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
            if dossier.applicant_user_id != actor.pk:
                raise DossierError(_("You are not allowed to do this on this dossier."))
            if dossier.status != Status.WAITING_SUPPLEMENT:
                raise DossierError(_("This dossier is not waiting for a supplement."))
            _store_all(actor, dossier, files, stored)
            dossier = dossier_transition(
                actor=actor,
                dossier_id=dossier_id,
                action=Action.SUPPLEMENT_ONLINE,
                note=note.strip() or _("%(n)d file(s) attached.") % {"n": len(files)},
            )
    except Exception:
        discard_files(stored)
        raise
    return dossier


def portal_withdraw(*, actor: AnyUser, dossier_id: int, reason: str) -> Dossier:
    """Withdraw the dossier at the applicant's request (status 7); a reason is required."""
    return dossier_transition(
        actor=actor, dossier_id=dossier_id, action=Action.WITHDRAW, note=reason.strip()
    )


@transaction.atomic
def portal_set_result_delivery(
    *, actor: AnyUser, dossier_id: int, delivery: str, address: str
) -> Dossier:
    """Choose how to receive the result (online, by post, at the desk) before it is returned."""
    dossier = Dossier.objects.select_for_update().select_related("procedure").get(pk=dossier_id)
    if dossier.applicant_user_id != actor.pk:
        raise DossierError(_("You are not allowed to do this on this dossier."))
    if dossier.status in (Status.RETURNED, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED):
        raise DossierError(_("The result delivery can no longer be changed."))
    if delivery not in ResultDelivery.values:
        raise DossierError(_("Choose how to receive the result."))
    if delivery == ResultDelivery.ONLINE and dossier.procedure.online_level != "full":
        raise DossierError(_("This procedure's result cannot be delivered online."))
    address = " ".join(address.split())
    if delivery == ResultDelivery.POST and not address:
        raise DossierError(_("Give the postal address for the result."))
    before = dossier.result_delivery
    dossier.result_delivery = delivery
    fields = ["result_delivery", "updated_at"]
    if address:
        dossier.applicant_address = address[:300]
        fields.append("applicant_address")
    dossier.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="dossier.result_delivery",
        obj=dossier,
        from_state=before,
        to_state=delivery,
    )
    return dossier


def portal_collect_result(*, actor: AnyUser, attachment: Attachment) -> Dossier | None:
    """Downloading the electronic result of a dossier whose result is ready returns it (10)."""
    dossier = attachment.dossier
    if (
        attachment.kind == AttachmentKind.RESULT
        and dossier.status == Status.RESULT_READY
        and dossier.result_delivery == ResultDelivery.ONLINE
    ):
        return dossier_transition(actor=actor, dossier_id=dossier.pk, action=Action.COLLECT_RESULT)
    return None
