"""/quan-tri/dong-bo-dvcqg/: the administrator's page of the national portal sync.

Queue length, oldest waiting message, parked messages with their reasons, and re-send. Only a
superuser; everyone else gets 404 (deny by default), anonymous visitors are sent to log in.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors
from .outbox import sync_enabled
from .services import SyncError, can_manage_sync, outbox_resend


@login_required
@require_http_methods(["GET", "POST"])
def sync_page(request: HttpRequest) -> HttpResponse:
    if not can_manage_sync(request.user):
        raise Http404
    if request.method == "POST":
        ids = [v for v in request.POST.getlist("message") if v.isdigit()]
        try:
            count = outbox_resend(actor=request.user, message_ids=[int(v) for v in ids])
        except SyncError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("%(count)d message(s) put back in the queue.") % {"count": count}
            )
        return redirect("dvcqg:sync")
    return render(
        request,
        "dvcqg/sync.html",
        {
            "enabled": sync_enabled(),
            "stats": selectors.queue_stats(),
            "parked": selectors.parked_messages(),
        },
    )
