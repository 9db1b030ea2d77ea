"""The citizen's own dossiers only: everything else is 404, whether it exists or not."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404

from motcua.dossiers.choices import AttachmentKind
from motcua.dossiers.models import Attachment, Dossier

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser

#: The citizen's pages send an anonymous visitor to the citizens' sign-in (allauth, portal
#: layout, sign-up and VNeID beside it), never to the staff login, and back with a checked
#: ``next`` (issue 14: "Nộp trực tuyến" leads through the sign-in back to the form).
citizen_login_required = login_required(login_url="account_login")

#: Kinds of attachment an applicant may download (internal documents never).
APPLICANT_KINDS = (AttachmentKind.SUBMITTED, AttachmentKind.RESULT)


def own_dossiers(user: AnyUser) -> QuerySet[Dossier]:
    """The dossiers this user submitted (as the applicant); nothing for anonymous users."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    return Dossier.objects.filter(applicant_user=user)


def get_own_dossier(user: AnyUser, code: str) -> Dossier:
    dossier = own_dossiers(user).select_related("procedure", "unit").filter(code=code).first()
    if dossier is None:
        raise Http404
    return dossier


def get_own_attachment(user: AnyUser, code: str, attachment_id: int) -> Attachment:
    dossier = get_own_dossier(user, code)
    attachment = (
        dossier.attachments.filter(pk=attachment_id, kind__in=APPLICANT_KINDS)
        .select_related("dossier")
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment
