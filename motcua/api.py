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


# Errors every operation may answer with, in ninja's own shapes; documented so that clients (and
# the schemathesis test, tests/security/test_api_schemathesis.py) find every status in the schema.
ERROR_SCHEMAS = {
    "ErrorOut": {
        "title": "ErrorOut",
        "type": "object",
        "properties": {"detail": {"title": "Detail", "type": "string"}},
        "required": ["detail"],
    },
    "ValidationErrorOut": {
        "title": "ValidationErrorOut",
        "type": "object",
        "properties": {
            "detail": {
                "title": "Detail",
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "type": {"type": "string"},
                        "loc": {"type": "array", "items": {}},
                        "msg": {"type": "string"},
                    },
                    "required": ["loc", "msg"],
                },
            }
        },
        "required": ["detail"],
    },
}


def _error_response(description: str, schema: str) -> dict:
    ref = {"$ref": f"#/components/schemas/{schema}"}
    return {"description": description, "content": {"application/json": {"schema": ref}}}


def document_errors(schema: dict) -> dict:
    """Add the error responses ninja gives but does not document: 401 (no session or key) and 404
    (not yours, DOMAIN access rules) where an operation needs authentication, 422 where it takes
    parameters or a body that can fail validation. Responses an operation declares are kept."""
    schema.setdefault("components", {}).setdefault("schemas", {})
    for name, body in ERROR_SCHEMAS.items():
        assert schema["components"]["schemas"].setdefault(name, body) == body, name
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if operation.get("security"):
                responses.setdefault(
                    401, _error_response("Not signed in, or no valid key", "ErrorOut")
                )
                responses.setdefault(404, _error_response("Not found, or not yours", "ErrorOut"))
            if operation.get("parameters") or operation.get("requestBody"):
                responses.setdefault(
                    422, _error_response("A parameter or the body is invalid", "ValidationErrorOut")
                )
    return schema


class MotcuaAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return document_errors(super().get_openapi_schema(*args, **kwargs))


api = MotcuaAPI(
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
