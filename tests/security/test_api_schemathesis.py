"""Issue 13 quality bar: schemathesis against the API's own OpenAPI schema, bounded.

Every operation of /api/openapi.json is called with generated requests, through WSGI (no server),
as a signed-in unit leader (session cookie and CSRF token, as the browser pages send them), the
service centre's hand-over token or a notary office's key (by path), with a dossier to find.
The checks are the issue's: no 5xx, and every response is documented (status code, content type)
and matches its documented schema.

Bounded: a few examples per operation (MAX_EXAMPLES), no shrinking phase, no example database
written into the checkout; no per-example deadline, because a timed assertion on a shared
machine is a flaky test (house rules).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# Examples per operation; a deeper run on a developer's machine: MOTCUA_API_FUZZ_EXAMPLES=200.
MAX_EXAMPLES = int(os.environ.get("MOTCUA_API_FUZZ_EXAMPLES", "8"))

pytestmark = pytest.mark.django_db


def _served_schema() -> dict:
    """The document /api/openapi.json serves (to staff: tests/security/test_least_privilege.py).
    Loaded at collection, so that each operation is a test of its own."""
    from motcua.api import api

    return api.get_openapi_schema()


schema = schemathesis.openapi.from_dict(_served_schema())


@pytest.fixture
def staff_cookies(personas):
    """A unit leader's session, and a CSRF token (any 32 characters: cookie and header agree)."""
    client = Client()
    client.force_login(personas["leader"])
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": "t" * 32}


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler inside the test's transaction, like Django's test client: the end of
    a request must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def data(procedure, settings, tmp_path):
    """Something to find (a dossier of the leader's unit), and files written under tmp_path."""
    from dossiers.test_views_support import make_dossier

    settings.MEDIA_ROOT = tmp_path / "media"
    return make_dossier(procedure)


@pytest.fixture
def bearer_tokens(units):
    """The machine clients' keys: the service centre's hand-over client of unit A (OAuth2 token)
    and a notary office's software (its own key)."""
    from motcua.integrations.handover.clients import apiclient_create, token_issue
    from motcua.notary.tokens import token_create
    from motcua.orgs.models import Unit

    centre = apiclient_create(actor=None, name="TTPVHCC", unit=units["A"], scopes="handover")
    office = Unit.objects.create(code="000.00.50.H57", name="VPCC Phú Xuân", kind="notary_office")
    return {
        "/api/v1/handover/": token_issue(
            client_id=centre.client.client_id, client_secret=centre.secret
        ).token,
        "/api/v1/notary/": token_create(actor=None, office=office, name="phần mềm")[1],
    }


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_generated_request_as_documented(
    case, wsgi_app, staff_cookies, bearer_tokens, data
):
    case.call_and_validate(
        app=wsgi_app,
        cookies=staff_cookies,
        headers=_headers_for(case.path, staff_cookies, bearer_tokens),
        checks=[
            not_a_server_error,
            response_schema_conformance,
            status_code_conformance,
            content_type_conformance,
        ],
    )


def _headers_for(path: str, staff_cookies, bearer_tokens) -> dict[str, str]:
    headers = {"X-CSRFToken": staff_cookies["csrftoken"]}
    for prefix, token in bearer_tokens.items():
        if path.startswith(prefix):
            headers["Authorization"] = f"Bearer {token}"
    return headers


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/dossiers/", {}),  # the staff session
        ("/api/v1/notary/transactions", {"since": 0}),  # a notary office's key
        ("/api/v1/handover/dossiers/{code}", None),  # the service centre's token
    ],
)
def test_the_generated_requests_are_signed_in(
    path, query, wsgi_app, staff_cookies, bearer_tokens, data
):
    """The harness is not testing 401s only: each kind of credential gets past authentication."""
    operation = schema[path]["GET"]
    if query is None:
        case = operation.Case(path_parameters={"code": data.code})  # a dossier of the centre's unit
    else:
        case = operation.Case(query=query)
    response = case.call(
        app=wsgi_app,
        cookies=staff_cookies,
        headers=_headers_for(path, staff_cookies, bearer_tokens),
    )
    assert response.status_code == 200, response.text


def _schema_classes(cls) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found += _schema_classes(sub)
    return found


def test_no_two_api_schemas_share_a_name():
    """The schema's components are keyed by class name: two different classes with one name
    (EventOut before, the hand-over's ErrorOut with its field errors after) leave one of them
    documented with the other's fields (issue 13 gap 14)."""
    from ninja import Schema

    components = _served_schema()["components"]["schemas"]
    shapes: dict[str, dict[str, type]] = {}
    for cls in _schema_classes(Schema):
        if cls.__module__.startswith("motcua.") and cls.__name__ in components:
            shape = str(sorted(cls.model_json_schema().get("properties", {}).items()))
            shapes.setdefault(cls.__name__, {})[shape] = cls
    clashes = {
        name: sorted(c.__module__ for c in by.values())
        for name, by in shapes.items()
        if len(by) > 1
    }
    assert clashes == {}
    errors = components["HandoverErrorOut"]["properties"]
    assert "errors" in errors
