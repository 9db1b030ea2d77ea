"""The JSON API root: every app's ninja router is mounted here."""

import json
from functools import wraps

from django.http import JsonResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger, _csrf_needed


class LocalSwagger(Swagger):
    """Swagger UI from django-ninja's own template and static files, served by the app (never a
    CDN: CSP script-src 'self'). ninja is not an installed app (issue 17: importing it and
    pydantic cost every management command's start-up), so its files are on the template and
    static paths (settings) and this page renders its template itself."""

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            "add_csrf": _csrf_needed(api),
        }
        return render(request, self.template, context)


def staff_only(view):
    """The API's docs and schema are for signed-in staff (issue 13 gap 14): 401 / 404 otherwise."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        from motcua.orgs.selectors import is_staff_member

        if not request.user.is_authenticated:
            return JsonResponse({"detail": "Authentication required"}, status=401)
        if not (request.user.is_staff or is_staff_member(request.user)):
            return JsonResponse({"detail": "Not Found"}, status=404)
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="motcua API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    docs=LocalSwagger(),
    openapi_url="/openapi.json",
    docs_decorator=staff_only,
)

# Routers are added by dotted path so this module does not import every app at load time.
api.add_router("/v1/worktime/", "motcua.calendars.api.router")
api.add_router("/v1/dossiers/", "motcua.dossiers.api.router")
api.add_router("/v1/dossiers/", "motcua.signing.api.router")  # attachments and their signatures
api.add_router("/v1/reform/", "motcua.reform.api.router")
api.add_router("/v1/tracking", "motcua.dossiers.tracking_api.router")
api.add_router("/v1/blocking/", "motcua.blocking.api.router")
api.add_router("/v1/oauth/", "motcua.integrations.handover.api.oauth_router")
api.add_router("/v1/handover/", "motcua.integrations.handover.api.router")
api.add_router("/v1/notary/", "motcua.notary.api.router")
