"""Error pages: JSON under /api/, the HTML templates everywhere else (issue 13 gap 14).

An API client must never have to parse an HTML error page: whatever fails under /api/ — an unknown
path, a refused CSRF token, a server error outside the ninja operation — answers
`{"detail": "..."}` with the right status, like the operations' own errors.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.views import defaults

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "Bad Request"}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "Forbidden"}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "Not Found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": "Internal Server Error"}, status=500)
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    if _is_api(request):
        return JsonResponse({"detail": "CSRF check failed"}, status=403)
    from django.views.csrf import csrf_failure as default

    return default(request, reason=reason)
