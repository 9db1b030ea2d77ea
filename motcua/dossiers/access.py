"""get_<thing>_for_user: the object, or 404 for "missing" and "not yours" alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from .models import Attachment, Dossier
from .selectors import dossiers_for_user, staff_dossiers

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser


def get_dossier_for_user(
    user: AnyUser, code: str, *, staff_only: bool = False, annotate: dict | None = None
) -> Dossier:
    """`annotate`: extra columns read with the dossier (the dossier page's lists, issue 17)."""
    queryset = staff_dossiers(user) if staff_only else dossiers_for_user(user)
    queryset = queryset.select_related("procedure__unit", "unit", "current_step", "register_book")
    if annotate:
        queryset = queryset.annotate(**annotate)
    dossier = queryset.filter(code=code).first()
    if dossier is None:
        raise Http404
    return dossier


def get_attachment_for_user(user: AnyUser, dossier_code: str, attachment_id: int) -> Attachment:
    dossier = get_dossier_for_user(user, dossier_code)
    attachment = dossier.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment
