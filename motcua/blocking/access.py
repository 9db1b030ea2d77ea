"""get_<thing>_for_user: the object, or 404 for "missing" and "not yours" alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from .models import BlockingRequest, Release, SearchLog
from .selectors import lookup_log_for_user, officer_unit_ids, requests_for_user

if TYPE_CHECKING:
    from motcua.core.typing import AnyUser


def get_request_for_user(user: AnyUser, pk: int, *, action: str = "view") -> BlockingRequest:
    """`view`: anyone who may see it; `edit`: officers of its unit only (notaries never)."""
    if action == "edit":
        queryset = BlockingRequest.objects.filter(unit_id__in=officer_unit_ids(user))
    else:
        queryset = requests_for_user(user)
    request = (
        queryset.select_related(
            "authority_type", "unit", "entered_by", "approved_by", "published_by"
        )
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404
    return request


def get_release_for_user(user: AnyUser, pk: int) -> Release:
    release = Release.objects.filter(pk=pk).select_related("request").first()
    if release is None:
        raise Http404
    get_request_for_user(user, release.request_id)
    return release


def get_lookup_for_user(user: AnyUser, pk: int) -> SearchLog:
    log = lookup_log_for_user(user).filter(pk=pk).first()
    if log is None:
        raise Http404
    return log
