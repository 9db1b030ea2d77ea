"""Issue 13 quality bar: every URL pattern, every persona, the expected status from a table.

The walk resolves every pattern of the project (django.urls), fills in dummy arguments (ids that do
not exist: 404 for everybody, never a leak) and requests it once per persona with GET. A new URL
that is not in EXPECTED fails the test until someone decides, and writes down, who may reach it.

Statuses: 200 page, 302 sent to the login page (or onward), 400 missing parameters, 401/404 API
refusals, 404 "missing or not yours", 405 POST-only, 422 API parameters missing.
The admin site is checked by rule: anonymous and non-staff users are always sent to its login
page; the administrator sees each registered model, and the read-only ones (ADMIN_MODELS) refuse
the add page.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.orgs.models import Membership

from .url_walk import all_urls

pytestmark = pytest.mark.django_db

PERSONAS = (
    "anonymous", "citizen_a", "citizen_b",
    "clerk_x", "specialist_x", "leader_x",
    "clerk_y", "specialist_y", "leader_y",
    "notary", "reform_officer", "auditor", "admin",
)  # fmt: skip

# key (namespace:name, or the route when unnamed) → statuses in PERSONAS order; "N *" = N for all.
# fmt: off
EXPECTED = {
    "set_language": "302 *",
    # Added with issues 11–13: the 766 exports, the DVCQG sync page, sessions and MFA, the
    # hand-over API (401 without a token), the payment gateway's return and receipt.
    "admin_login_redirect": "302 *",
    "api:token": "405 *",
    "api:handover_dossier": "405 *",
    "api:handover_status": "401 *",
    "api:handover_result": "401 *",
    "reports:index766_xlsx": "302 404 404 404 404 200 404 404 200 404 404 200 200",
    "reports:index766_pdf": "302 404 404 404 404 200 404 404 200 404 404 200 200",
    "dvcqg:sync": "302 404 404 404 404 404 404 404 404 404 404 404 200",
    "account_sessions": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "mfa_index": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "mfa_authenticate": "302 *",
    "mfa_reauthenticate": "302 *",
    "mfa_activate_totp": "302 *",
    "mfa_deactivate_totp": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "mfa_view_recovery_codes": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "mfa_generate_recovery_codes": "302 *",
    "mfa_download_recovery_codes": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "mfa_list_webauthn": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "mfa_add_webauthn": "302 *",
    "mfa_reauthenticate_webauthn": "302 *",
    "mfa_remove_webauthn": "302 *",
    "mfa_edit_webauthn": "302 *",
    "payments:receipt": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "payments:paygov_return": "404 *",
    "payments:paygov_notify": "405 *",
    "dossiers:document_marks": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    # Issue 15: signed results (approve-and-sign is POST only; the public page needs a real id).
    "api:attachments": "401 404 404 404 404 404 404 404 404 404 404 404 404",
    "signing:sign_result": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    "signing:public": "404 *",
    # Issue 15: "sign and download" of forms, the register, look-up certificates, reform results.
    "signing:sign_form": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    "signing:sign_register": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    "signing:sign_blocking_certificate": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    "signing:sign_reform_results": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    # Issue 16: notarized transactions (the organisation's own), authorities' submissions.
    "api:send_transaction": "401 *",
    "api:list_transactions": "401 *",
    "api:release": "405 *",
    "blocking:submissions": "302 404 404 404 200 200 404 200 200 404 404 200 404",
    "blocking:submission_new": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "blocking:submission": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "blocking:submission_scan": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "blocking:submission_decide": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    # Issue 14: switching the active unit (POST only; orgs.access allows only one's own units).
    "orgs:switch_unit": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    # Issue 14: Excel exports, each with the access of its page.
    "dossiers:worklist_xlsx": "302 404 404 200 200 200 200 200 200 404 404 200 404",
    "blocking:worklist_xlsx": "302 404 404 404 200 200 404 200 200 404 404 200 404",
    "feedback:worklist_xlsx": "302 404 404 200 200 200 200 200 200 404 404 200 404",
    "feedback:stats_xlsx": "302 404 404 404 404 200 404 404 200 404 404 200 200",
    "notary:list": "302 404 404 404 404 404 404 404 404 200 404 404 404",
    "notary:enter": "302 404 404 404 404 404 404 404 404 200 404 404 404",
    "notary:detail": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "notary:correct": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "notary:release": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    "notary:scan": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "api:openapi-json": "401 404 404 200 200 200 200 200 200 200 200 200 200",
    "api:openapi-view": "401 404 404 200 200 200 200 200 200 200 200 200 200",
    "api:deadline": "422 *",
    "api:calendars": "200 *",
    "api:list_dossiers": "401 404 404 200 200 200 200 200 200 404 404 200 404",
    "api:dossier_detail": "401 404 404 404 404 404 404 404 404 404 404 404 404",
    "api:dossier_transition_api": "405 *",
    "api:rankings": "404 *",
    "api:cost": "422 *",
    "api:my_assessments": "401 200 200 200 200 200 200 200 200 200 200 200 200",
    "api:track": "400 *",
    "api:search": "401 404 404 404 400 400 404 400 400 400 404 400 404",
    "api:request_detail": "401 422 422 422 422 422 422 422 422 422 422 422 422",
    "api:api-root": "404 *",
    "calendars:calculator": "200 *",
    "reports:dashboard": "302 404 404 404 404 200 404 404 200 404 404 200 200",
    "reports:ontime": "302 404 404 404 404 200 404 404 200 404 404 200 200",
    "reports:ontime_xlsx": "302 404 404 404 404 400 404 404 400 404 404 400 400",
    "reports:ontime_pdf": "302 404 404 404 404 400 404 404 400 404 404 400 400",
    "reports:ontime_print": "302 404 404 404 404 400 404 404 400 404 404 400 400",
    "reports:drill": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "reports:index766": "302 404 404 404 404 200 404 404 200 404 404 200 200",
    "reports:index766_manual": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "feedback:rate": "200 *",
    "feedback:submit": "200 *",
    "feedback:answer": "200 *",
    "feedback:worklist": "302 404 404 200 200 200 200 200 200 404 404 200 404",
    "feedback:detail": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "feedback:stats": "302 404 404 404 404 200 404 404 200 404 404 200 200",
    "login": "200 *",
    "logout": "405 *",
    "account_login": "200 302 302 302 302 302 302 302 302 302 302 302 302",
    "account_logout": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "account_inactive": "200 *",
    "account_signup": "200 302 302 302 302 302 302 302 302 302 302 302 302",
    "account_reauthenticate": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "account_request_reauthentication_code": "302 *",
    "account_confirm_reauthentication_code": "302 *",
    "account_email": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "account_email_verification_sent": "200 *",
    "account_change_password": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "account_set_password": "302 *",
    "account_reset_password": "200 *",
    "account_confirm_login_code": "302 *",
    "account_confirm_email": "200 *",
    "account_reset_password_from_key_done": "200 *",
    "account_reset_password_from_key": "200 *",
    "account_reset_password_done": "200 *",
    "socialaccount_login_cancelled": "200 *",
    "socialaccount_login_error": "401 *",
    "socialaccount_signup": "302 *",
    "socialaccount_connections": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "tai-khoan/social/login/cancelled/": "301 *",
    "tai-khoan/social/login/error/": "301 *",
    "tai-khoan/social/signup/": "301 *",
    "tai-khoan/social/connections/": "301 *",
    "openid_connect_login": "404 *",
    "openid_connect_callback": "404 *",
    "payments:test_checkout": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "dossiers:worklist": "302 404 404 200 200 200 200 200 200 404 404 200 404",
    "dossiers:after_login": "302 *",
    "dossiers:intake": "302 404 404 400 404 404 400 404 404 404 404 404 404",
    "dossiers:counter_refusal": "302 404 404 200 404 404 200 404 404 404 404 404 404",
    "dossiers:register_xlsx": "302 400 400 400 400 400 400 400 400 400 400 400 400",
    "dossiers:register_html": "302 400 400 400 400 400 400 400 400 400 400 400 400",
    "dossiers:print_form": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "dossiers:print_form_pdf": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "dossiers:detail": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "dossiers:download": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "dossiers:upload": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    "dossiers:act": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    "tracking:page": "200 *",
    "blocking:worklist": "302 404 404 404 200 200 404 200 200 404 404 200 404",
    "blocking:enter": "302 404 404 404 200 200 404 200 200 404 404 404 404",
    "blocking:search": "302 404 404 404 200 200 404 200 200 200 404 200 404",
    "blocking:lookup_log": "302 404 404 404 200 200 404 200 200 200 404 200 404",
    "blocking:certificate": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "blocking:verify": "404 *",
    "blocking:statistics": "302 404 404 404 200 200 404 200 200 404 404 200 404",
    "blocking:release_scan": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "blocking:detail": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "blocking:scan": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "blocking:release": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "blocking:correct": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "blocking:withdraw_asset": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    "blocking:withdraw_owner": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    "blocking:act": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    "reform:index": "200 *",
    "reform:scheme_import": "302 404 404 404 404 404 404 404 404 404 404 404 200",
    "reform:scheme": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "reform:scheme_export": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "reform:assessment_start": "405 *",
    "reform:assessment": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "reform:evidence": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "reform:appraise": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "reform:gaps": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "reform:results": "404 *",
    "reform:results_xlsx": "404 *",
    "reform:results_pdf": "404 *",
    "reform:results_chart": "404 *",
    "reform:plans": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "reform:plan": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "reform:plan_xlsx": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "reform:cost_plan_new": "302 404 404 404 404 404 404 404 404 404 200 404 200",
    "reform:cost_plan_edit": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "portal:home": "200 *",
    "portal:procedures": "200 *",
    "portal:procedure": "404 *",
    "portal:submit": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "portal:guides": "200 *",
    "portal:guide": "404 *",
    "portal:faq": "200 *",
    "portal:profile": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "portal:my_dossiers": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "portal:dossier": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "portal:supplement": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    "portal:withdraw": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    "portal:delivery": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    "portal:pay": "302 405 405 405 405 405 405 405 405 405 405 405 405",
    "portal:download": "302 404 404 404 404 404 404 404 404 404 404 404 404",
}
# fmt: on

# Registered admin models → the status of their "add" page for the administrator:
# 403 = read-only (nobody adds, changes or deletes; issue 13 gap 12 for payments and deliveries).
ADMIN_MODELS = {
    "account.emailaddress": 200,
    "accounts.citizenprofile": 200,
    "audit.auditevent": 403,
    "audit.personaldataaccess": 403,
    "auth.group": 200,
    "auth.user": 200,
    "blocking.authoritytype": 200,
    "blocking.blockingrequest": 403,
    "blocking.searchlog": 403,
    "calendars.dayoverride": 200,
    "calendars.workcalendar": 200,
    "django_tasks_database.dbtaskresult": 403,
    "dossiers.dossier": 403,
    "dossiers.formtemplate": 200,
    "dossiers.registerbook": 200,
    "feedback.feedback": 403,
    "feedback.feedbacksettings": 200,
    "feedback.rating": 403,
    "notifications.delivery": 403,
    "notifications.messagetemplate": 200,
    "orgs.membership": 200,
    "orgs.unit": 200,
    "payments.payment": 403,
    "procedures.field": 200,
    "procedures.procedure": 200,
    "reform.actionitem": 200,
    "reform.costsnapshot": 200,
    "reform.hourlyincome": 200,
    "reform.item": 200,
    "reform.result": 200,
    "reform.scheme": 200,
    "reform.simplificationplan": 200,
    "reports.indexmanualscore": 403,
    "reports.ruleprofile": 200,
    "mfa.authenticator": 403,
    "payments.gatewaymessage": 403,
    "handover.apiclient": 200,
    "handover.handover": 403,
    "dvcqg.outboxmessage": 403,
    "dvcqg.portalrating": 403,
    "dvcqg.portalfeedback": 403,
    "signing.signerprofile": 200,
    "signing.signedresult": 403,
    "signing.signeddocument": 403,
    "blocking.senderunit": 200,
    "notary.transaction": 403,
    "notary.apitoken": 200,
    "reports.indexyear": 200,
    "reports.monthlyreport": 403,
    "reports.provinceviewer": 200,
    "reports.reportsettings": 200,
    "socialaccount.socialaccount": 200,
    "socialaccount.socialapp": 200,
    "socialaccount.socialtoken": 200,
}


def _expected(key: str) -> list[int]:
    codes = EXPECTED[key].split()
    if codes[1:] == ["*"]:
        codes = codes[:1] * len(PERSONAS)
    assert len(codes) == len(PERSONAS), key
    return [int(c) for c in codes]


@pytest.fixture
def clients(personas, units):
    users = get_user_model().objects

    def member(name, unit, role):
        user = users.create_user(name, f"{name}@example.org", "pw")
        Membership.objects.create(user=user, unit=unit, role=role)
        return user

    people = {
        "anonymous": None,
        "citizen_a": personas["citizen1"],
        "citizen_b": personas["citizen2"],
        "clerk_x": personas["clerk"],
        "specialist_x": personas["specialist"],
        "leader_x": personas["leader"],
        "clerk_y": personas["clerk_b"],
        "specialist_y": member("specialist_y", units["B"], "specialist"),
        "leader_y": member("leader_y", units["B"], "leader"),
        "notary": personas["notary"],
        "reform_officer": member("reform_x", units["A"], "reform_officer"),
        "auditor": personas["auditor"],
        "admin": personas["admin"],
    }
    result = {}
    for name, user in people.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        result[name] = client
    return result


def _is_admin(key: str) -> bool:
    return key.startswith("admin:") or key.startswith("admin/")


def test_every_url_is_in_the_table():
    keys = {key for key, _path in all_urls() if not _is_admin(key)}
    assert sorted(keys - set(EXPECTED)) == [], "new URLs: add them to EXPECTED"
    assert sorted(set(EXPECTED) - keys) == [], "URLs gone: remove them from EXPECTED"


def test_every_admin_model_is_in_the_table():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMIN_MODELS)


def test_walk_every_url_for_every_persona(clients):
    problems = []
    for key, path in all_urls():
        if _is_admin(key):
            continue
        for persona, expected in zip(PERSONAS, _expected(key), strict=True):
            status = clients[persona].get(path).status_code
            if status != expected:
                problems.append(f"{persona:15} {path}: {status}, expected {expected}")
    assert problems == [], "\n".join(problems)


#: The two admin pages anyone may open: its login (which sends everyone to the staff login, where
#: throttling and the second factor apply) and logout (which only redirects).
ADMIN_OPEN = {"admin:login": 302, "admin:logout": 302}


def test_walk_the_admin(clients):
    problems = []
    for key, path in all_urls():
        if not _is_admin(key):
            continue
        for persona in ("anonymous", "citizen_a", "clerk_x", "leader_y", "notary"):
            response = clients[persona].get(path)
            if key in ADMIN_OPEN:
                if response.status_code != ADMIN_OPEN[key]:
                    problems.append(f"{persona:15} {path}: {response.status_code}")
                continue
            if response.status_code != 302 or "/admin/login/" not in response["Location"]:
                problems.append(f"{persona:15} {path}: {response.status_code}")
    assert problems == [], "\n".join(problems)


def test_the_administrator_and_the_read_only_models(clients, personas):
    client = clients["admin"]
    request = type("Request", (), {"user": personas["admin"]})()
    problems = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        if client.get(base).status_code != 200:
            problems.append(f"{base}: changelist")
        add = client.get(base + "add/").status_code
        if add != ADMIN_MODELS[label]:
            problems.append(f"{base}add/: {add}, expected {ADMIN_MODELS[label]}")
        if ADMIN_MODELS[label] == 403 and (
            model_admin.has_change_permission(request) or model_admin.has_delete_permission(request)
        ):
            problems.append(f"{label}: read-only model is editable")
    assert problems == [], "\n".join(problems)
