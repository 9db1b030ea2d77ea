"""The officer ticks the components' marks of a dossier (DOMAIN §7, 4.2–4.4): has a file,
reuses digitised data, taken from the citizen's data store. Upload roles of the dossier's unit
only; anyone else gets 404 (the dossier page's rule)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.orgs.selectors import roles_in

from .access import get_dossier_for_user
from .attachments import UPLOAD_ROLES
from .errors import DossierError
from .marks import DocumentMarks, document_marks_set
from .selectors import DOSSIER_ROLES


def _ids(request, name: str) -> set[int]:
    try:
        return {int(v) for v in request.POST.getlist(name)}
    except ValueError as exc:
        raise Http404 from exc


@login_required
@require_POST
def document_marks(request, code: str):
    """Save the ticks of every component listed on the dossier page (unticked = no)."""
    from motcua.orgs.selectors import unit_ids_for

    if not unit_ids_for(request.user, *DOSSIER_ROLES):
        raise Http404
    dossier = get_dossier_for_user(request.user, code, staff_only=True)
    if not roles_in(request.user, dossier.unit_id) & UPLOAD_ROLES:
        raise Http404
    digitised, reused, store = (
        _ids(request, n) for n in ("digitised", "reused", "from_data_store")
    )
    ids = set(dossier.documents.values_list("pk", flat=True))
    marks = {
        pk: DocumentMarks(
            digitised=pk in digitised, reused=pk in reused, from_data_store=pk in store
        )
        for pk in ids
    }
    target = reverse("dossiers:detail", args=[dossier.code])
    if (digitised | reused | store) - ids:
        messages.error(request, _("These documents are not part of this dossier."))
        return redirect(target)
    try:
        document_marks_set(actor=request.user, dossier_id=dossier.pk, marks=marks)
    except DossierError as exc:  # pragma: no cover - ids were checked above
        messages.error(request, str(exc))
        return redirect(target)
    messages.success(request, _("The components' marks were saved."))
    return redirect(target)
