"""Shared fixtures: end-to-end machinery (Playwright driving Debian's Chromium)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# pytest-django's live_server plus sync Playwright runs Django ORM calls while an event loop
# exists in the thread; Django refuses that unless told it is fine (it is: tests are sequential).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium"))
E2E_SKIP_REASON = "Debian chromium not installed: end-to-end tests skipped"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Vietnamese formats in the browser's own widgets (a date input shows dd/mm/yyyy, not
    # mm/dd/yyyy): the users are Vietnamese officials (issue 14). Contexts also set locale="vi-VN";
    # on Linux the widgets follow LANGUAGE (CHROMIUM_ENV) and need Debian's chromium-l10n.
    "--lang=vi-VN",
]
CHROMIUM_ENV = {**os.environ, "LANGUAGE": "vi_VN:vi"}

_skipped_e2e: list[str] = []


def chromium_available() -> bool:
    """True when the Chromium binary exists and is executable."""
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


def e2e_required() -> bool:
    return os.environ.get("MOTCUA_REQUIRE_E2E", "").strip().lower() in {"1", "true", "yes", "on"}


def pytest_collection_modifyitems(config, items):
    if chromium_available():
        return
    e2e_items = [item for item in items if item.get_closest_marker("e2e")]
    if not e2e_items:
        return
    if e2e_required():
        raise pytest.UsageError(
            f"MOTCUA_REQUIRE_E2E=1 but {CHROMIUM} is missing: install Debian's chromium "
            "(apt-get install -y chromium) or set MOTCUA_CHROMIUM."
        )
    marker = pytest.mark.skip(reason=E2E_SKIP_REASON)
    for item in e2e_items:
        item.add_marker(marker)
        _skipped_e2e.append(item.nodeid)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _skipped_e2e:
        terminalreporter.write_sep("=", "WARNING: end-to-end tests skipped", yellow=True, bold=True)
        terminalreporter.write_line(
            f"{E2E_SKIP_REASON} ({len(_skipped_e2e)} test(s)); looked for {CHROMIUM}. "
            "Install it with `apt-get install -y chromium` or set MOTCUA_CHROMIUM."
        )


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's binary, never a downloaded one) for the session."""
    if not chromium_available():
        pytest.skip(E2E_SKIP_REASON)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page with `page.base_url` set to the live server's URL."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    tab = context.new_page()
    tab.base_url = live_server.url
    try:
        yield tab
    finally:
        context.close()


# --- personas shared by all tests (ARCHITECTURE.md "Tests") ------------------------------------
@pytest.fixture
def units(db):
    """Unit A (the Department of Justice) and unit B (another department)."""
    from motcua.orgs.models import Unit

    a = Unit.objects.create(code="000.00.12.H57", name="Sở Tư pháp", short_name="STP")
    b = Unit.objects.create(code="000.00.13.H57", name="Sở Nội vụ", short_name="SNV")
    return {"A": a, "B": b}


#: The personas' names, Vietnamese order once displayed: last_name + " " + first_name.
NAMES = {
    "clerk_a": {"first_name": "Lan", "last_name": "Nguyễn Thị"},
    "specialist_a": {"first_name": "Minh", "last_name": "Trần Văn"},
    "leader_a": {"first_name": "Hùng", "last_name": "Lê Quang"},
    "clerk_b": {"first_name": "Bình", "last_name": "Đỗ Thanh"},
    "notary": {"first_name": "Tâm", "last_name": "Hoàng Đức"},
    "auditor": {"first_name": "Hoa", "last_name": "Phạm Thị"},
}


@pytest.fixture
def personas(units):
    """Two citizens; clerk, specialist, leader of unit A; clerk of unit B; notary; auditor; admin."""
    from django.contrib.auth import get_user_model

    from motcua.orgs.models import Membership

    user_model = get_user_model()

    def make(username, unit=None, role=None, **extra):
        user = user_model.objects.create_user(username, f"{username}@example.org", "pw", **extra)
        if unit is not None:
            Membership.objects.create(user=user, unit=unit, role=role)
        return user

    return {
        "citizen1": make("citizen1"),
        "citizen2": make("citizen2"),
        # Officials carry real names (first_name = given name, last_name = family + middle):
        # pages and printed forms show "Nguyễn Thị Lan", never the login name (issue 14).
        "clerk": make("clerk_a", units["A"], "intake_clerk", **NAMES["clerk_a"]),
        "specialist": make("specialist_a", units["A"], "specialist", **NAMES["specialist_a"]),
        "leader": make("leader_a", units["A"], "leader", **NAMES["leader_a"]),
        "clerk_b": make("clerk_b", units["B"], "intake_clerk", **NAMES["clerk_b"]),
        "notary": make("notary", units["A"], "notary", **NAMES["notary"]),
        "auditor": make("auditor", units["A"], "auditor", **NAMES["auditor"]),
        "admin": make("admin_user", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def procedure(units):
    """A 3-working-day procedure of unit A with the usual four internal steps."""
    from decimal import Decimal

    from motcua.procedures.models import Procedure, ProcedureStep, RequiredDocument

    p = Procedure.objects.create(
        code="DEMO-LLTP-01",
        name="Cấp Phiếu lý lịch tư pháp",
        unit=units["A"],
        time_value=Decimal(3),
        time_unit="working_days",
        fee=Decimal(200000),
    )
    for order, (name, role, hours) in enumerate(
        [
            ("Tiếp nhận", "intake_clerk", 2),
            ("Thẩm định", "specialist", 14),
            ("Phê duyệt", "leader", 6),
            ("Trả kết quả", "intake_clerk", 2),
        ],
        start=1,
    ):
        ProcedureStep.objects.create(
            procedure=p, order=order, name=name, role=role, budget_hours=Decimal(hours)
        )
    RequiredDocument.objects.create(procedure=p, order=1, name="Tờ khai", form="original")
    return p


@pytest.fixture(scope="session", autouse=True)
def _media_outside_the_checkout(tmp_path_factory):
    """Uploaded and generated files of the tests go to a temporary folder, never into the
    checkout's media/ (commands run as subprocesses inherit it through the environment)."""
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    previous = os.environ.get("MOTCUA_MEDIA_ROOT")
    os.environ["MOTCUA_MEDIA_ROOT"] = str(media)
    with override_settings(MEDIA_ROOT=str(media)):
        yield media
    if previous is None:
        os.environ.pop("MOTCUA_MEDIA_ROOT", None)
    else:
        os.environ["MOTCUA_MEDIA_ROOT"] = previous


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness has no place in the tests' many user creations."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_calendar_revision():
    """Each test starts with no cached calendar revision: a test database rolled back or flushed
    by the previous test sends no signal, so the per-process cache must not outlive the test."""
    from motcua.calendars import provider

    provider.invalidate()
    yield


@pytest.fixture(scope="session")
def real_pdf() -> bytes:
    """A genuine one-page PDF: uploads are parsed (motcua/core/uploads.py), fake ones refused."""
    from real_files import real_pdf as make

    return make()
