"""Issue 14, on the pages and printed forms as each persona sees them (the demo data: every demo
login name differs from the person's name, and the demo history has every officer acting):

- no page, printed form or PDF shows a login name where a person's name belongs;
- no obvious English is left in the Vietnamese interface (a text equal to an English msgid the
  Vietnamese catalogue translates differently, or a sentence of English words).
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from real_files import real_pdf

from .support import load_demo

pytestmark = pytest.mark.django_db

DOJ = "000.00.12.H57"
VI_PO = (
    Path(__file__).resolve().parents[2] / "motcua" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
)
#: every demo login, and the two people these tests add
LOGINS = [
    "tiepnhan",
    "chuyenvien",
    "lanhdao",
    "kiemsoat",
    "congchung",
    "caicach",
    "nganchan",
    "congdan_an",
    "congdan",  # the demo citizen (accounts/demo.py)
]


@pytest.fixture
def demo(settings, tmp_path):
    """The demo data, a notary's look-up, and a citizen with an online dossier."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.blocking.search import log_search, run_search
    from motcua.dossiers.services import Applicant, DocumentLine
    from motcua.portal.services import portal_submit
    from motcua.procedures.models import Procedure

    settings.MEDIA_ROOT = tmp_path
    load_demo(skip=("motcua.reports",))  # the current dossiers and the registry are enough
    users = {u.username: u for u in get_user_model().objects.all()}
    outcome = run_search(user=users["congchung"], query="Nguyễn Văn Đức", criteria={})
    lookup = log_search(user=users["congchung"], outcome=outcome, criteria={})
    citizen = get_user_model().objects.create_user(
        "congdan_an", "an@example.org", "demo", first_name="An", last_name="Nguyễn Văn"
    )
    procedure = Procedure.objects.filter(online_level="full", active=True).order_by("code")[0]
    online = portal_submit(
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
    return {"users": users, "lookup": lookup, "citizen": citizen, "online": online}


def _pages(demo) -> dict[str, list[str]]:
    """persona → the pages (and printed forms, and PDFs) where people's names appear."""
    from motcua.blocking.models import BlockingRequest
    from motcua.dossiers.models import Dossier
    from motcua.reform.models import Assessment, SimplificationPlan

    current = [
        d.code for d in Dossier.objects.filter(is_historical=False, unit__code=DOJ).order_by("pk")
    ]
    forms = [f"/ho-so/{code}/in/0{n}/" for code in current for n in range(1, 8)]
    pdfs = [f"/ho-so/{code}/in/0{n}.pdf" for code in current[:3] for n in (1, 2)]
    requests = list(BlockingRequest.objects.order_by("pk").values_list("pk", flat=True))
    registry = [f"/ngan-chan/{pk}/" for pk in requests[:3] + requests[-8:]]
    lookup = demo["lookup"].pk
    reform = [f"/cai-cach/phieu/{a.pk}/" for a in Assessment.objects.order_by("pk")[:2]]
    reform += [f"/cai-cach/chi-phi/{p.pk}/" for p in SimplificationPlan.objects.order_by("pk")]
    dossiers = ["/ho-so/", *[f"/ho-so/{code}/" for code in current]]
    return {
        "tiepnhan": [
            *dossiers,
            *forms,
            *pdfs,
            "/ho-so/so-theo-doi/?from=2020-01-01&to=2030-12-31",
            "/phan-anh/",
        ],
        "chuyenvien": [*dossiers, "/ngan-chan/", *registry],
        "lanhdao": [
            "/bao-cao/",
            "/bao-cao/dung-han/",
            "/bao-cao/chi-so-766/",
            f"/bao-cao/chi-so-766/nhap/?unit={DOJ}",
            "/bao-cao/hai-long/",
            *dossiers,
            "/ngan-chan/",
            *registry,
            "/ngan-chan/tra-cuu/nhat-ky/",
        ],
        "kiemsoat": ["/bao-cao/", *dossiers, "/ngan-chan/", *registry],
        "congchung": [
            "/ngan-chan/tra-cuu/?q=Nguyễn+Văn+Đức",
            f"/ngan-chan/tra-cuu/{lookup}/chung-nhan/",
            f"/ngan-chan/tra-cuu/{lookup}/chung-nhan/?format=pdf",
            "/ngan-chan/tra-cuu/nhat-ky/",
        ],
        "caicach": ["/cai-cach/", *reform, "/cai-cach/chi-phi/"],
        "congdan_an": [
            "/",
            "/ho-so-cua-toi/",
            *[
                f"/ho-so-cua-toi/{d.code}/"
                for d in Dossier.objects.filter(applicant_user__isnull=False)
            ],
            f"/danh-gia/{demo['online'].code}/",
            "/gop-y/",
        ],
    }


def _text(response) -> str:
    if response["Content-Type"].startswith("application/pdf"):
        from pypdf import PdfReader

        return "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
    return response.content.decode()


def _rendered(demo):
    """(persona, path, body) of every page above that opens (200) for its persona."""
    for persona, paths in _pages(demo).items():
        client = Client()
        client.force_login(demo["users"].get(persona) or demo["citizen"])
        for path in paths:
            response = client.get(path)
            if response.status_code == 200:
                yield persona, path, response


def test_no_page_or_printed_form_shows_a_login_name(demo):
    logins = re.compile(r"\b(" + "|".join(LOGINS) + r")\b(?!@)")
    names = {"Nguyễn Thị Lan", "Trần Văn Minh", "Lê Quang Hùng", "Hoàng Đức Tâm", "Nguyễn Văn An"}
    shown, named = {}, set()
    for persona, path, response in _rendered(demo):
        text = _text(response)
        named |= {name for name in names if name in text}
        if found := sorted(set(logins.findall(text))):
            shown[f"{persona} {path}"] = found
    assert shown == {}
    # The pages walked are those where these people appear (a broken walk must not pass).
    assert named == names


# --- English left in the Vietnamese interface ------------------------------------------------------
ENGLISH_WORDS = frozenset(
    "the and of to is are at for your please this not with by be an or from was were has have "
    "must may will cannot can no yes all any submit enter choose select field required".split()
)
SKIPPED_TAGS = {"script", "style", "code", "pre", "svg", "option"}


class _Texts(HTMLParser):
    """Text nodes and the user-facing attributes of an HTML page, outside code and lang="en"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self._stack)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        skip = tag in SKIPPED_TAGS or (values.get("lang") or "").startswith("en")
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col"}:
            self._stack.append((tag, skip))
        if not skip and not self._skipping():
            for name in ("placeholder", "title", "aria-label", "alt"):
                if values.get(name):
                    self.texts.append(values[name])
            if (
                tag == "input"
                and values.get("type") in {"submit", "button"}
                and values.get("value")
            ):
                self.texts.append(values["value"])

    def handle_endtag(self, tag):
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                break

    def handle_data(self, data):
        if not self._skipping() and data.strip():
            self.texts.append(" ".join(data.split()))


#: words Vietnamese forms use as they are (form 01 of Decree 118 reads "Email: …")
LOANWORDS = frozenset({"Email", "Excel", "PDF", "Website", "QR"})
#: an audit event code shown instead of a sentence ("blocking.enter … → entered")
EVENT_CODE = re.compile(
    r"\b(dossier|blocking|notary|reform|feedback|portal|payment|signing|orgs)\.[a-z_]+\b"
)


def _english_msgids() -> set[str]:
    """English msgids the Vietnamese catalogue translates into something else."""
    return {
        entry.msgid
        for entry in polib.pofile(str(VI_PO))
        if entry.msgstr
        and entry.msgstr != entry.msgid
        and "%" not in entry.msgid
        and len(entry.msgid) > 3
        and entry.msgid not in LOANWORDS
    }


def _looks_english(text: str) -> bool:
    words = re.findall(r"[A-Za-z']+", text)
    if len(words) < 3 or re.search(r"[À-ỹđĐ]", text):
        return False
    return len({w.lower() for w in words} & ENGLISH_WORDS) >= 2


def test_no_english_is_left_in_the_vietnamese_pages(demo):
    english = _english_msgids()
    found = {}
    for persona, path, response in _rendered(demo):
        if not response["Content-Type"].startswith("text/html"):
            continue
        parser = _Texts()
        parser.feed(response.content.decode())
        leaks = sorted({text for text in parser.texts if text in english or _looks_english(text)})
        if leaks:
            found[f"{persona} {path}"] = leaks
    assert found == {}
