"""Issue 14's quality bar, end to end in Chromium at 1366×800 and 390×844, on the demo data (the
pages as a new user first sees them): each role signs in, lands on its own work, finds its
navigation (behind the menu button on a phone, without the areas it may not use), sees its own
name and never its login name; and EVERY page it uses is axe-core clean (WCAG 2.1 A/AA), has one
`main` landmark and does not scroll sideways.

Pages by role — clerk: worklist, dossier page, intake (procedure, then form), receipt 01, PAKN
worklist; specialist: worklist, dossier page, blocking registry; leader: dashboard, II.06a, 766
index, satisfaction, dossier worklist, blocking registry; blocking officer (a registry-only
division): registry worklist, entry form, request page, statistics; notary: look-up, a search,
its certificate, the look-up log; reform officer: scorecards, self-assessment, published ranking,
simplification plans and one plan; administrator: admin index, the procedure catalogue; citizen:
portal home, procedure search, a procedure, online submission, my dossiers and one, tracking,
rating, PAKN; anonymous: portal home, catalogue, a procedure, tracking, rating, PAKN, both
sign-in pages.

The demo is loaded once and each role walks both sizes in one browser (one context per role and
size), so the whole bar costs about three minutes on two cores. With MOTCUA_GUIDE_SCREENSHOTS=1 the walk also
refreshes the guides' pictures docs/images/vai-tro-*-{1366,390}.png.
"""

from __future__ import annotations

import pprint
from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from real_files import real_pdf

from .support import SIZES, Walk, load_demo, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DOJ = "000.00.12.H57"
SUPPORT_DIVISION = "000.03.12.H57"  # Phòng Bổ trợ tư pháp: keeps the blocking registry


def _registry_officer():
    """A specialist of the judicial-support division, which keeps the registry and receives no
    dossiers (so she lands on the registry), with one request she entered."""
    from motcua.blocking import services as s
    from motcua.blocking.models import AuthorityType
    from motcua.orgs.models import Membership, Unit

    unit = Unit.objects.get(code=SUPPORT_DIVISION)
    officer = get_user_model().objects.create_user(
        "nganchan", "nganchan@example.org", "demo", first_name="Hà", last_name="Đặng Thu"
    )
    Membership.objects.create(user=officer, unit=unit, role="specialist")
    received = timezone.now() - timedelta(hours=3)
    request = s.request_enter(
        actor=officer,
        unit=unit,
        data=s.RequestInput(
            request_no="BTTP-E2E-001",
            kind="blocking",
            authority_type=AuthorityType.objects.get(code="court"),
            authority_name="Tòa án nhân dân thành phố Huế",
            document_number="15/2026/QĐ-BPKCTT",
            document_date=received.date(),
            received_at=received,
            summary="Áp dụng biện pháp khẩn cấp tạm thời (minh hoạ).",
        ),
        assets=[
            s.AssetInput(
                "land",
                [s.OwnerInput("Ngô Văn Sáu", "046080001111", 1980)],
                {"certificate_serial": "DA 765.432", "address": "5 Lê Lợi, Huế"},
            )
        ],
        at=received + timedelta(minutes=30),
    )
    return officer, request


def _citizen(tmp_path):
    """A citizen with an online dossier (login name ≠ name: the name must be what shows)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.dossiers.services import Applicant, DocumentLine
    from motcua.portal.services import portal_submit
    from motcua.procedures.models import Procedure

    citizen = get_user_model().objects.create_user(
        "congdan_an", "an@example.org", "demo", first_name="An", last_name="Nguyễn Văn"
    )
    procedure = Procedure.objects.filter(online_level="full", active=True).order_by("code").first()
    dossier = portal_submit(
        actor=citizen,
        procedure=procedure,
        applicant=Applicant(
            name="Nguyễn Văn An",
            id_number="046095000123",
            phone="0905123456",
            email=citizen.email,
            address="12 Lê Lợi, Huế",
        ),
        documents=[DocumentLine(d.name, d.form, d.count) for d in procedure.documents.all()],
        files=[
            SimpleUploadedFile("to-khai.pdf", real_pdf(), content_type="application/pdf")
            for _d in procedure.documents.all()
        ],
        result_delivery="online",
        declaration=True,
    )
    return citizen, procedure, dossier


def _facts(tmp_path) -> dict:
    from motcua.blocking.models import BlockingRequest
    from motcua.dossiers.models import Dossier
    from motcua.procedures.models import Procedure
    from motcua.reform.models import SimplificationPlan

    current = Dossier.objects.filter(is_historical=False, unit__code=DOJ)
    officer, registry_request = _registry_officer()
    citizen, online_procedure, online_dossier = _citizen(tmp_path)
    return {
        "dossier": current.filter(received_at__isnull=False).order_by("received_at").first().code,
        "waiting_leader": current.filter(
            current_step__assignee__username="lanhdao", current_step__finished_at=None
        ).first(),
        "procedure": Procedure.objects.filter(unit__code=DOJ, active=True)
        .exclude(time_unit="working_hours")
        .order_by("code")
        .first(),
        "doj_request": BlockingRequest.objects.filter(unit__code=DOJ).order_by("pk").first().pk,
        "registry_request": registry_request.pk,
        "plan": SimplificationPlan.objects.order_by("pk").first(),
        "citizen": citizen,
        "online_procedure": online_procedure.code,
        "online_dossier": online_dossier,
        "finished": Dossier.objects.filter(finished_at__isnull=False).order_by("-pk").first(),
    }


# --- each role's first steps (after the landing page, already checked) ---------------------------
def clerk(walk: Walk, f: dict) -> None:
    walk.visit(f"/ho-so/{f['dossier']}/", shot="vai-tro-tiep-nhan-ho-so")
    walk.visit("/ho-so/tiep-nhan/")
    walk.visit(f"/ho-so/tiep-nhan/?procedure={f['procedure'].pk}", shot="vai-tro-tiep-nhan-nhap")
    walk.visit(f"/ho-so/{f['dossier']}/in/01/")
    walk.visit("/phan-anh/")


def specialist(walk: Walk, f: dict) -> None:
    walk.visit(f"/ho-so/{f['dossier']}/")
    walk.visit("/ngan-chan/")


def leader(walk: Walk, f: dict) -> None:
    walk.visit("/bao-cao/dung-han/")
    # The article's 2023 history, by procedure: the table the issue found one word per line.
    walk.visit(
        "/bao-cao/dung-han/?date_from=2023-01-01&date_to=2023-12-31&group_by=procedure",
        shot="vai-tro-lanh-dao-ii06a",
    )
    walk.visit("/bao-cao/chi-so-766/", shot="vai-tro-lanh-dao-766")
    walk.visit("/bao-cao/hai-long/")
    walk.visit("/ho-so/")
    if f["waiting_leader"] is not None:
        walk.visit(f"/ho-so/{f['waiting_leader'].code}/", shot="vai-tro-lanh-dao-phe-duyet")
    walk.visit("/ngan-chan/")


def registry_officer(walk: Walk, f: dict) -> None:
    walk.visit("/ngan-chan/moi/", shot="vai-tro-ngan-chan-nhap")
    walk.visit(f"/ngan-chan/{f['registry_request']}/")
    walk.visit("/ngan-chan/thong-ke/")


def notary(walk: Walk, f: dict) -> None:
    page = walk.page
    page.locator("main input[name=q]").fill("Nguyễn Văn Đức")
    page.locator("main form button[type=submit]").first.click()
    walk.check("look-up result", shot="vai-tro-cong-chung-ket-qua")
    certificate = page.locator("main a[href*='/chung-nhan/']")
    if certificate.count():
        walk.visit(certificate.first.get_attribute("href"), shot="vai-tro-cong-chung-chung-nhan")
    else:
        walk.fail("look-up result", "no link to the certificate")
    walk.visit("/ngan-chan/tra-cuu/nhat-ky/")


def reform_officer(walk: Walk, f: dict) -> None:
    page = walk.page
    start = page.locator("main form[action*='/bat-dau/'] button")
    if start.count():
        start.first.click()
        walk.check("self-assessment", shot="vai-tro-cai-cach-tu-danh-gia")
    else:
        own = page.locator("main a[href^='/cai-cach/phieu/']")
        if own.count():
            walk.visit(own.first.get_attribute("href"), shot="vai-tro-cai-cach-tu-danh-gia")
    walk.visit("/cai-cach/ket-qua/2023/department/", shot="vai-tro-cai-cach-xep-hang")
    walk.visit("/cai-cach/chi-phi/")
    if f["plan"] is not None:
        walk.visit(f"/cai-cach/chi-phi/{f['plan'].pk}/")


def administrator(walk: Walk, f: dict) -> None:
    walk.visit("/admin/procedures/procedure/")


def citizen(walk: Walk, f: dict) -> None:
    code = f["online_dossier"].code
    walk.visit("/", shot="vai-tro-cong-dan-trang-chu")
    walk.visit("/thu-tuc/?q=lý+lịch", shot="vai-tro-cong-dan-tim-thu-tuc")
    walk.visit(f"/thu-tuc/{f['online_procedure']}/")
    walk.visit(f"/thu-tuc/{f['online_procedure']}/nop-truc-tuyen/", shot="vai-tro-cong-dan-nop")
    walk.visit("/ho-so-cua-toi/")
    walk.visit(f"/ho-so-cua-toi/{code}/", shot="vai-tro-cong-dan-ho-so")
    _track(walk, code, "0905123456", shot="vai-tro-cong-dan-tra-cuu")
    walk.visit(f"/danh-gia/{code}/")
    walk.visit("/gop-y/", shot="vai-tro-cong-dan-gop-y")


def anonymous(walk: Walk, f: dict) -> None:
    walk.visit("/thu-tuc/")
    walk.visit(f"/thu-tuc/{f['online_procedure']}/")
    _track(walk, f["online_dossier"].code, "0905123456", shot=None)
    if f["finished"] is not None:
        walk.visit(f"/danh-gia/{f['finished'].code}/", shot="vai-tro-khach-danh-gia")
    walk.visit("/gop-y/")
    walk.visit("/dang-nhap/")
    walk.visit("/tai-khoan/login/")


def _track(walk: Walk, code: str, phone: str, shot: str | None) -> None:
    page = walk.page
    walk.visit("/tra-cuu/")
    page.locator("main input[name=ma]").fill(code)
    page.locator("main input[name=factor]").fill(phone)
    page.locator("main form button[type=submit]").first.click()
    walk.check("tracking result", shot=shot)


class Role(NamedTuple):
    username: str  # password "demo"
    name: str  # shown instead of the login name
    slug: str  # of the pictures: docs/images/vai-tro-<slug>-…
    landing: str
    forbidden: tuple[str, ...]  # work areas its navigation must not offer
    steps: Callable[[Walk, dict], None]


STAFF = [
    Role("tiepnhan", "Nguyễn Thị Lan", "tiep-nhan", "/ho-so/", ("/bao-cao/", "/admin/"), clerk),
    Role(
        "chuyenvien",
        "Trần Văn Minh",
        "chuyen-vien",
        "/ho-so/",
        ("/bao-cao/", "/admin/"),
        specialist,
    ),
    Role("lanhdao", "Lê Quang Hùng", "lanh-dao", "/bao-cao/", ("/admin/",), leader),
    Role(
        "nganchan",
        "Đặng Thu Hà",
        "ngan-chan",
        "/ngan-chan/",
        ("/bao-cao/", "/admin/"),
        registry_officer,
    ),
    Role(
        "congchung",
        "Hoàng Đức Tâm",
        "cong-chung",
        "/ngan-chan/tra-cuu/",
        ("/ho-so/", "/bao-cao/", "/ngan-chan/"),
        notary,
    ),
    Role(
        "caicach",
        "Võ Thị Thảo",
        "cai-cach",
        "/cai-cach/",
        ("/ho-so/", "/ngan-chan/"),
        reform_officer,
    ),
]


def _tab(browser, live_server, viewport):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=viewport)
    return context, context.new_page()


def test_every_role_first_steps_at_both_sizes(browser, live_server, settings, tmp_path):
    from portal.e2e_support import log_in_browser

    settings.MEDIA_ROOT = tmp_path
    load_demo()
    facts = _facts(tmp_path)
    failures: dict = {}
    for size, viewport in SIZES.items():
        for role in STAFF:
            context, page = _tab(browser, live_server, viewport)
            walk = Walk(page, role.username, size, failures)
            sign_in(page, role.username, "demo")
            if page.url != live_server.url + role.landing:
                walk.fail("sign-in", f"landed on {page.url}, expected {role.landing}")
            walk.check(role.landing)
            walk.navigation(role.landing, forbidden=role.forbidden)
            walk.shot(f"vai-tro-{role.slug}-trang-dau")  # on a phone, with the menu open
            shown = page.locator("body").text_content()
            if role.name not in shown or role.username in shown:
                walk.fail(role.landing, "the person's name is not shown, or the login name is")
            role.steps(walk, facts)
            context.close()

        # The administrator lands in the admin (Django's own pages).
        context, page = _tab(browser, live_server, viewport)
        sign_in(page, "admin", "admin")
        walk = Walk(page, "admin", size, failures)
        if page.url != live_server.url + "/admin/":
            walk.fail("sign-in", f"landed on {page.url}, expected /admin/")
        administrator(walk, facts)
        context.close()

        context, page = _tab(browser, live_server, viewport)
        walk = Walk(page, "citizen", size, failures)
        log_in_browser(page, live_server, facts["citizen"])
        citizen(walk, facts)
        if "congdan_an" in page.locator("body").text_content():
            walk.fail("portal", "the citizen's login name is shown")
        context.close()

        context, page = _tab(browser, live_server, viewport)
        walk = Walk(page, "anonymous", size, failures)
        walk.visit("/")
        walk.navigation("/thu-tuc/", forbidden=("/ho-so/", "/ngan-chan/", "/bao-cao/"))
        walk.shot("vai-tro-khach-trang-chu")
        anonymous(walk, facts)
        context.close()
    assert failures == {}, pprint.pformat(failures, width=110)
