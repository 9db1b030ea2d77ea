"""Public pages of the citizen portal."""

from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def home(request):
    """The public home page: what the system is and where to start."""
    return render(request, "portal/home.html")
