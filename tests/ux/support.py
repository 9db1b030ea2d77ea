"""Browser checks shared by the role walks (issue 14): one tab visits a role's pages and records
every problem — wrong status, no single `main` landmark, sideways scrolling, axe-core (WCAG 2.1
A/AA) violations — instead of stopping at the first, so one run lists everything to fix."""

from __future__ import annotations

import io
import re
from pathlib import Path

from guide_images import save_screenshot

AXE = Path(__file__).resolve().parents[1] / "_vendor" / "axe" / "axe.min.js"
AXE_SOURCE = AXE.read_text(encoding="utf-8")
DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}
SIZES = {"1366": DESKTOP, "390": PHONE}
MENU_BUTTON = re.compile(r"^\s*(Trình đơn|Menu)\b", re.IGNORECASE)

# The elements sticking out on the right, to say *what* scrolls sideways.
_OVERFLOW_JS = """() => {
  const width = window.innerWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0) {
      let p = el.parentElement, inside = false;
      while (p && p !== document.body) {
        const s = getComputedStyle(p);
        if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) { inside = true; break; }
        p = p.parentElement;
      }
      if (!inside) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
        ' → ' + Math.round(r.right) + 'px');
    }
  }
  return out.slice(0, 6);
}"""

_AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return r.violations.map(v => ({id: v.id, impact: v.impact,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def load_demo(*, skip: tuple[str, ...] = ()) -> None:
    """Every app's demo data, as `motcua demo` loads it (the pages then look as on first run);
    `skip` names apps left out (the reports' year of history takes most of the time)."""
    from motcua.core.management.commands.demo import demo_loaders

    reseed_reference_data()
    for app, load in demo_loaders():
        if app not in skip:
            load(io.StringIO())


# The data migrations that seed reference data (each idempotent). A live-server test earlier in
# the run flushes every table, so a walk that loads the demo puts them back first, as a fresh
# database has them.
SEED_MIGRATIONS = [
    ("motcua.blocking.migrations.0002_seed_authority_types", "seed"),
    ("motcua.dossiers.migrations.0007_form_templates", "seed"),
    ("motcua.notifications.migrations.0002_seed_templates", "seed"),
    ("motcua.notifications.migrations.0003_step_templates", "seed"),
    ("motcua.notifications.migrations.0004_forms_to_applicants", "seed"),
    ("motcua.reports.migrations.0003_seed_rule_profiles", "forwards"),
    ("motcua.reports.migrations.0005_seed_index_settings", "seed"),
]


def reseed_reference_data() -> None:
    import importlib

    from django.apps import apps

    for module, function in SEED_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)


def sign_in(page, username: str, password: str) -> None:
    """The staff sign-in page, as a person types it."""
    page.goto("/dang-nhap/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


class Walk:
    """One role at one screen size: visits pages and collects what is wrong on each."""

    def __init__(self, page, who: str, size: str, failures: dict):
        self.page, self.who, self.size, self.failures = page, who, size, failures

    def fail(self, where: str, what) -> None:
        self.failures.setdefault(f"{self.who} @{self.size} {where}", []).append(what)

    def visit(self, path: str, *, shot: str | None = None, status: int = 200):
        response = self.page.goto(path)
        if response is None or response.status != status:
            self.fail(path, f"HTTP {response.status if response else None}, expected {status}")
        self.check(path, shot=shot)
        return response

    def check(self, where: str, *, shot: str | None = None) -> None:
        """The page now shown: one main landmark, no sideways scroll, axe-core clean; `shot`
        saves its picture from the top of its main content."""
        page = self.page
        page.wait_for_load_state()
        if page.locator("main, [role=main]").count() != 1:
            self.fail(where, "not exactly one main landmark")
        if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            self.fail(where, {"sideways scroll": page.evaluate(_OVERFLOW_JS)})
        page.evaluate(AXE_SOURCE)  # through DevTools: the pages' CSP rightly blocks <script> tags
        if violations := page.evaluate(_AXE_RUN):
            self.fail(where, {"axe": violations})
        if shot:
            page.locator("main").first.evaluate("main => main.scrollIntoView()")
            self.shot(shot)

    def shot(self, name: str) -> None:
        """The viewport as it is, as docs/images/<name>-<size>.png (guide mode)."""
        save_screenshot(self.page, f"{name}-{self.size}.png")

    def navigation(self, expected: str, *, forbidden: tuple[str, ...] = ()) -> None:
        """A navigation landmark links to `expected`, visible (after opening the phone menu);
        none links to the `forbidden` work areas."""
        page = self.page
        link = page.locator(f"nav a[href='{expected}'], [role=navigation] a[href='{expected}']")
        if link.count() == 0:
            self.fail("navigation", f"no navigation link to {expected}")
            return
        if not link.first.is_visible():
            menu = page.get_by_role("button", name=MENU_BUTTON)
            if menu.count():
                menu.first.click()
        if not link.first.is_visible():
            self.fail("navigation", f"the link to {expected} cannot be reached")
        for path in forbidden:
            if page.locator(f"nav a[href='{path}']").count():
                self.fail("navigation", f"a link to {path}, which this role may not use")
