"""The user's signed-in sessions and "log out everywhere" (issue 13: sessions)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.audit.services import audit_record

from . import sessions
from .models import UserSession


@login_required
@require_http_methods(["GET", "POST"])
def sessions_page(request):
    """GET lists the user's sessions; POST ends them all, this one included."""
    if request.method == "POST":
        ended = sessions.end_all(request.user.pk, keep=request.session.session_key)
        audit_record(
            actor=request.user,
            action="account.logout_everywhere",
            obj=request.user,
            data={"sessions_ended": ended + 1},
        )
        logout(request)
        messages.success(request, _("You have been signed out on every device."))
        return redirect("/")
    rows = UserSession.objects.filter(user=request.user).order_by("-created_at")
    return render(
        request,
        "account/sessions.html",
        {"rows": rows, "current_key": request.session.session_key},
    )
