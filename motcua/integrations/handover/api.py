"""Service-to-service JSON API: OAuth2 tokens at /api/v1/oauth/token, hand-over at /api/v1/handover/.

parse → authenticate (bearer token) → scope → unit → service/selector → schema. Every call of an
authenticated client is audited; a dossier of another unit answers 404 like a missing one.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from motcua.audit.services import audit_record
from motcua.core import ratelimit
from motcua.core.http import client_ip
from motcua.dossiers.choices import AttachmentKind
from motcua.dossiers.models import Dossier

from .clients import Caller, ClientError, token_authenticate, token_issue
from .models import Scope
from .payload import HandoverIn, PayloadInvalid, parse_handover
from .services import HandoverConflict, handover_receive

#: Largest accepted hand-over body (JSON with base64 files) unless MOTCUA_HANDOVER_MAX_MB says.
DEFAULT_MAX_BODY_MB = 50


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` issued by /api/v1/oauth/token; 401 otherwise."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        return token_authenticate(token)


oauth_router = Router(tags=["oauth"])
router = Router(tags=["handover"], auth=BearerToken())


# --- tokens ------------------------------------------------------------------------------------
class TokenOut(Schema):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    scope: str


class OAuthError(Schema):
    error: str
    error_description: str = ""


def _token_params(request: HttpRequest) -> dict[str, str]:
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return {k: str(v) for k, v in body.items()} if isinstance(body, dict) else {}
    params = {k: request.POST.get(k, "") for k in ("grant_type", "client_id", "client_secret")}
    params["scope"] = request.POST.get("scope", "")
    # RFC 6749 §2.3.1: client credentials may come as HTTP Basic instead.
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            user, _sep, secret = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user, secret = "", ""
        params["client_id"], params["client_secret"] = user, secret
    return params


def _no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


@oauth_router.post(
    "/token",
    response={200: TokenOut, 400: OAuthError, 401: OAuthError, 429: OAuthError},
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["grant_type", "client_id", "client_secret"],
                        "properties": {
                            "grant_type": {"type": "string", "enum": ["client_credentials"]},
                            "client_id": {"type": "string"},
                            "client_secret": {"type": "string"},
                            "scope": {"type": "string", "example": "handover"},
                        },
                    }
                }
            }
        }
    },
)
def token(request: HttpRequest):
    """OAuth2 client-credentials grant (RFC 6749 §4.4): a short-lived bearer token."""
    params = _token_params(request)
    if params.get("grant_type") != "client_credentials":
        return _no_store(JsonResponse({"error": "unsupported_grant_type"}, status=400))
    if not params.get("client_id") or not params.get("client_secret"):
        return _no_store(JsonResponse({"error": "invalid_request"}, status=400))
    # Issue 13: guessing secrets is throttled per address like every sign-in (shared counters).
    failures_key = f"oauth-fail:{client_ip(request)}"
    if ratelimit.peek(failures_key) >= settings.MOTCUA_API_TOKEN_FAILURES_PER_IP:
        response = JsonResponse({"error": "temporarily_unavailable"}, status=429)
        response["Retry-After"] = str(settings.MOTCUA_API_TOKEN_FAILURE_WINDOW)
        return _no_store(response)
    try:
        issued = token_issue(
            client_id=params["client_id"],
            client_secret=params["client_secret"],
            scope=params.get("scope", ""),
            ip=client_ip(request),
        )
    except ClientError as exc:
        status = 401 if str(exc) == "invalid_client" else 400
        if status == 401:
            ratelimit.hit(failures_key, settings.MOTCUA_API_TOKEN_FAILURE_WINDOW)
        return _no_store(JsonResponse({"error": str(exc)}, status=status))
    return _no_store(
        JsonResponse(
            {
                "access_token": issued.token,
                "token_type": "Bearer",  # nosec B105  # the RFC 6750 token type, not a secret
                "expires_in": issued.expires_in,
                "scope": issued.scopes,
            }
        )
    )


# --- hand-over ---------------------------------------------------------------------------------
class FieldError(Schema):
    field: str
    message: str


class HandoverErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


class HandoverOut(Schema):
    id: int
    code: str
    status: int
    received_at: datetime
    due_at: datetime | None
    created: bool


class StatusOut(Schema):
    code: str
    status: int
    status_label: str
    received_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    result_number: str


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """Pydantic's JSON schema with its $defs inlined, to sit in an OpenAPI requestBody."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(dict(defs[ref.rsplit("/", 1)[1]]))
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


def _audit(request: HttpRequest, action: str, *, dossier: Dossier | None = None, **data) -> None:
    caller: Caller = request.auth  # type: ignore[attr-defined]
    audit_record(
        actor=caller.client.user,
        action=action,
        obj=dossier,
        data={"client": caller.client.client_id, **data},
        ip=client_ip(request),
    )


def _error(status: int, detail: str, errors: list[dict[str, str]] | None = None) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": errors or []}, status=status)


def _scoped(request: HttpRequest, path: str) -> JsonResponse | None:
    """403 unless the token carries the hand-over scope (audited either way)."""
    caller: Caller = request.auth  # type: ignore[attr-defined]
    if Scope.HANDOVER in caller.scopes and Scope.HANDOVER in caller.client.scope_set:
        return None
    _audit(request, "handover.refused", status=403, path=path)
    return _error(403, "insufficient_scope")


def max_body_bytes() -> int:
    return int(getattr(settings, "MOTCUA_HANDOVER_MAX_MB", DEFAULT_MAX_BODY_MB)) * 1024 * 1024


@router.post(
    "/dossiers",
    response={
        200: HandoverOut,
        201: HandoverOut,
        400: HandoverErrorOut,
        403: HandoverErrorOut,
        409: HandoverErrorOut,
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _inline(HandoverIn.model_json_schema())}},
        }
    },
)
def handover_dossier(request: HttpRequest):
    """Hand a dossier over: 201 with its id and due time; the same hand-over again answers 200
    with the same dossier; the same code with a different payload answers 409."""
    refused = _scoped(request, "handover")
    if refused:
        return refused
    caller: Caller = request.auth  # type: ignore[attr-defined]
    limit = max_body_bytes()
    # Read the stream ourselves: Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) would refuse
    # files; this endpoint has its own, larger limit.
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > limit:
        _audit(request, "handover.refused", status=413)
        return _error(413, _("The request is too large."))
    raw_body = request.read(limit + 1)
    if len(raw_body) > limit:
        _audit(request, "handover.refused", status=413)
        return _error(413, _("The request is too large."))
    try:
        raw = json.loads(raw_body or b"null")
    except ValueError:
        _audit(request, "handover.refused", status=400, reason="json")
        return _error(
            400, _("The body is not JSON."), [{"field": "body", "message": _("Invalid JSON.")}]
        )
    try:
        valid = parse_handover(raw, unit=caller.client.unit)
    except PayloadInvalid as bad:
        _audit(
            request,
            "handover.refused",
            status=400,
            code=str(raw.get("code", ""))[:40] if isinstance(raw, dict) else "",
            fields=[e["field"] for e in bad.errors],
        )
        return _error(400, _("The hand-over has errors; nothing was created."), bad.errors)
    try:
        result = handover_receive(actor=caller.client, valid=valid)
    except HandoverConflict as conflict:
        _audit(request, "handover.refused", status=409, code=valid.data.code, reason=str(conflict))
        detail = (
            _("This code was already handed over with different content.")
            if str(conflict) == "payload_differs"
            else _("This code is already used by another dossier.")
        )
        return _error(409, detail, [{"field": "code", "message": detail}])
    dossier = result.dossier
    body = {
        "id": dossier.pk,
        "code": dossier.code,
        "status": dossier.status,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "created": result.created,
    }
    return Status(201 if result.created else 200, body)


def _own_dossier(request: HttpRequest, code: str) -> Dossier | None:
    caller: Caller = request.auth  # type: ignore[attr-defined]
    return Dossier.objects.filter(code=code, unit_id=caller.client.unit_id).first()


@router.get(
    "/dossiers/{code}", response={200: StatusOut, 403: HandoverErrorOut, 404: HandoverErrorOut}
)
def handover_status(request: HttpRequest, code: str):
    """Status (codes 1–10), due time, end of processing and result number of a dossier of the
    client's unit; 404 for any other."""
    refused = _scoped(request, "status")
    if refused:
        return refused
    dossier = _own_dossier(request, code)
    if dossier is None:
        _audit(request, "handover.refused", status=404, code=code[:40])
        return Status(404, {"detail": _("Not found."), "errors": []})
    _audit(request, "handover.status", dossier=dossier)
    return Status(
        200,
        {
            "code": dossier.code,
            "status": dossier.status,
            "status_label": str(dossier.get_status_display()),
            "received_at": dossier.received_at,
            "due_at": dossier.due_at,
            "finished_at": dossier.finished_at,
            "returned_at": dossier.returned_at,
            "result_number": dossier.result_number,
        },
    )


@router.get(
    "/dossiers/{code}/result",
    # The 200 (a file) is described only in openapi_extra: declaring it in `response` too wrote
    # the key "200" twice in openapi.json, which Swagger UI's parser refuses.
    response={403: HandoverErrorOut, 404: HandoverErrorOut},
    openapi_extra={
        "responses": {
            "200": {
                "description": "the result file (PDF, JPEG or PNG)",
                "content": {"application/octet-stream": {}},
            }
        }
    },
)
def handover_result(request: HttpRequest, code: str):
    """The latest result file of a dossier of the client's unit; 404 if none (or not yours)."""
    refused = _scoped(request, "result")
    if refused:
        return refused
    dossier = _own_dossier(request, code)
    attachment = (
        dossier.attachments.filter(kind=AttachmentKind.RESULT).order_by("-id").first()
        if dossier is not None
        else None
    )
    if dossier is None or attachment is None:
        _audit(request, "handover.refused", status=404, code=code[:40], path="result")
        return Status(404, {"detail": _("Not found."), "errors": []})
    try:
        handle = default_storage.open(attachment.storage_name, "rb")
    except OSError:
        return Status(404, {"detail": _("Not found."), "errors": []})
    _audit(request, "handover.result_download", dossier=dossier, attachment=attachment.pk)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
