"""Public tracking (/tra-cuu/ and GET /api/v1/tracking): second factor, no enumeration, rate limits,
only public data, constant queries."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from redis_cache import redis_caches

from motcua.dossiers.models import DossierEvent
from motcua.dossiers.services import Applicant, DocumentLine, dossier_receive, dossier_transition
from motcua.dossiers.tracking import NOT_FOUND, RATE_LIMITED, lookup, mask_name
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db

APPLICANT = Applicant(
    name="Nguyễn Văn Ánh",
    id_number="046095000123",
    phone="0905123456",
    email="anh@example.org",
    address="12 Lê Lợi, Huế",
)
PAGE = "/tra-cuu/"
API = "/api/v1/tracking"


@pytest.fixture(params=["default", "redis"])
def limiter(request, settings):
    """The page's rate limits on the tests' cache and on Redis (production's shared counters)."""
    if request.param == "redis":
        settings.CACHES = redis_caches()
    return request.param


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def dossier(personas, procedure):
    d = dossier_receive(
        actor=personas["clerk"],
        procedure=procedure,
        applicant=APPLICANT,
        documents=[DocumentLine("Tờ khai", "original")],
        received_at=local("2025-03-10T08:00"),
    )
    dossier_transition(
        actor=personas["clerk"],
        dossier_id=d.pk,
        action="forward",
        at=local("2025-03-10T09:00"),
        assignee=personas["specialist"],
        note="Ghi chú nội bộ: kiểm tra kỹ",
    )
    # An internal event that must never reach the public.
    DossierEvent.objects.create(
        dossier=d,
        at=local("2025-03-10T09:30"),
        actor=personas["specialist"],
        action="internal_memo",
        note="Bí mật nội bộ",
        public=False,
    )
    d.refresh_from_db()
    return d


def post(client, code, factor, **extra):
    return client.post(PAGE, {"ma": code, "factor": factor}, **extra)


def test_get_prefills_the_code_from_the_qr_link(dossier):
    response = Client().get(PAGE, {"ma": dossier.code})
    assert response.status_code == 200
    assert f'value="{dossier.code}"' in response.content.decode()


@pytest.mark.parametrize(
    "factor", ["0905123456", "0905 123 456", "+84905123456", "046095000123", "046 095 000 123"]
)  # the full phone or ID number
def test_right_code_and_factor_shows_the_public_view(dossier, factor):
    response = post(Client(), dossier.code, factor)
    assert response.status_code == 200
    body = response.content.decode()
    result = lookup(dossier.code, factor)  # what the page shows (it is rendered from this)
    assert result.code == dossier.code and result.status == 4
    assert 'class="tracking-result"' in body and 'data-status="4"' in body
    assert "Cấp Phiếu lý lịch tư pháp" in body
    assert "Nguyễn V. Á." in body
    # No personal data beyond the masked name, no staff names, no internal notes or events.
    for secret in (
        "Nguyễn Văn Ánh",
        "0905123456",
        "046095000123",
        "anh@example.org",
        "Lê Lợi",
        "clerk_a",
        "specialist_a",
        "Ghi chú nội bộ",
        "Bí mật nội bộ",
        "internal_memo",
    ):
        assert secret not in body, secret
    assert [e["action"] for e in result.events] == ["receive", "forward"]
    assert "13/03/2025" in body  # due date


def test_code_is_matched_case_insensitively_with_spaces(dossier):
    assert post(Client(), f"  {dossier.code.lower()} ", "0905123456").status_code == 200


def test_wrong_factor_and_unknown_code_answer_alike(dossier):
    wrong_factor = post(Client(), dossier.code, "0905999999")
    unknown_code = post(Client(), "000.00.12.H57-990101-0001", "0905123456")
    assert wrong_factor.status_code == unknown_code.status_code == 404
    for response in (wrong_factor, unknown_code):
        body = response.content.decode()
        assert str(NOT_FOUND) in body and "tracking-result" not in body
    assert lookup(dossier.code, "0905999999") is None
    assert dossier.applicant_name not in wrong_factor.content.decode()


def test_applicant_without_phone_or_id_never_matches_empty_digits(personas, procedure):
    d = dossier_receive(
        actor=personas["clerk"],
        procedure=procedure,
        applicant=Applicant(name="Trần B"),
        received_at=local("2025-03-10T08:00"),
    )
    assert post(Client(), d.code, "0000000000").status_code == 404


@pytest.mark.parametrize(
    ("code", "factor"),
    [
        ("", "0905123456"),
        ("X", "3456"),
        ("X", "12"),
        ("X", "09<05>123"),
        ("X", ""),
        ("X", "1" * 21),
    ],
)
def test_malformed_input_is_400_with_a_message(code, factor):
    response = post(Client(), code, factor)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()  # the field's message beside it


def test_rate_limit_per_ip(dossier, settings, limiter):
    settings.TRACKING_RATE_PER_IP = 3
    client = Client()
    for _ in range(3):
        assert post(client, dossier.code, "0000000000").status_code == 404
    limited = post(client, dossier.code, "0905123456")  # even the right answer is refused now
    assert limited.status_code == 429
    body = limited.content.decode()
    assert str(RATE_LIMITED) in body and "tracking-result" not in body
    # Another client address is not affected.
    assert post(Client(), dossier.code, "0905123456", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_guessers_on_one_code_do_not_lock_the_applicant_out(dossier, settings):
    """Gap 10: failures on a code from other addresses never refuse the applicant."""
    settings.TRACKING_RATE_PER_CODE = 3
    for i in range(20):
        assert (
            post(Client(), dossier.code, "0000000000", REMOTE_ADDR=f"10.0.0.{i}").status_code == 404
        )
    assert post(Client(), dossier.code, "0905123456", REMOTE_ADDR="10.0.1.1").status_code == 200


def test_a_guesser_is_stopped_on_a_code(dossier, settings, limiter):
    settings.TRACKING_RATE_PER_CODE = 3
    client = Client()
    for _ in range(3):
        assert post(client, dossier.code, "0000000000").status_code == 404
    assert post(client, dossier.code, "0905123456").status_code == 429
    # Other codes from the same address are still answered (within the per-address limit).
    assert post(client, "000.00.12.H57-990101-0001", "0905123456").status_code == 404


def test_successful_lookups_do_not_count_against_the_code(dossier, settings, limiter):
    settings.TRACKING_RATE_PER_CODE = 2
    settings.TRACKING_RATE_PER_IP = 100
    client = Client()
    for _ in range(5):
        assert post(client, dossier.code, "0905123456").status_code == 200


@pytest.mark.parametrize("factor", ["3456", "0123", "123456", "905123456", "46095000123"])
def test_part_of_the_number_is_not_enough(dossier, factor):
    """Gap 10: the last 4 digits (or any part) no longer match."""
    response = post(Client(), dossier.code, factor)
    assert response.status_code in (400, 404)
    assert "tracking-result" not in response.content.decode()
    assert lookup(dossier.code, factor) is None


def test_behind_proxy_the_forwarded_address_is_limited(dossier, settings):
    settings.TRACKING_RATE_PER_IP = 2
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for _ in range(2):
        post(Client(), dossier.code, "0000000000", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert (
        post(Client(), dossier.code, "0905123456", HTTP_X_FORWARDED_FOR="1.2.3.4").status_code
        == 429
    )
    assert (
        post(Client(), dossier.code, "0905123456", HTTP_X_FORWARDED_FOR="5.6.7.8").status_code
        == 200
    )


def test_page_runs_a_constant_number_of_queries(dossier, personas, django_assert_num_queries):
    with django_assert_num_queries(1):  # the dossier joined to its public events (issue 17)
        assert post(Client(), dossier.code, "0905123456").status_code == 200
    for hour in (10, 11, 13, 14):
        DossierEvent.objects.create(
            dossier=dossier, at=local(f"2025-03-10T{hour}:00"), action="forward", public=True
        )
    with django_assert_num_queries(1):
        response = post(Client(), dossier.code, "0905123456")
    assert response.content.decode().count("<li><time ") == 6
    with django_assert_num_queries(1):
        assert post(Client(), dossier.code, "0905999999").status_code == 404


def test_mask_name():
    assert mask_name("Nguyễn Văn Ánh") == "Nguyễn V. Á."
    assert mask_name("Lê Thị Thu Hà") == "Lê T. T. H."
    assert mask_name("An") == "An"
    assert mask_name("  ") == ""


def test_tracking_link_in_navigation():
    with translation.override("en"):
        body = Client(headers={"accept-language": "en"}).get("/").content.decode()
    assert 'href="/tra-cuu/"' in body


# --- JSON API -------------------------------------------------------------------------------------
def test_api_match(dossier):
    response = Client().get(API, {"code": dossier.code, "factor": "046095000123"})
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == dossier.code and data["status"] == 4
    assert data["applicant"] == "Nguyễn V. Á."
    assert data["due_at"] == "2025-03-13T08:00:00+07:00"
    assert [e["action"] for e in data["events"]] == ["receive", "forward"]
    text = response.content.decode()
    for secret in ("0905123456", "046095000123", "specialist_a", "Ghi chú nội bộ", "Bí mật"):
        assert secret not in text


def test_api_wrong_factor_and_unknown_code_same_404(dossier):
    a = Client().get(API, {"code": dossier.code, "factor": "0905999999"})
    b = Client().get(API, {"code": "NOPE", "factor": "0905123456"})
    assert a.status_code == b.status_code == 404
    assert a.json() == b.json()


@pytest.mark.parametrize(
    "query", [{}, {"code": "X"}, {"code": "X", "factor": "12a4"}, {"code": "X", "factor": "3456"}]
)
def test_api_bad_input_is_400(query):
    response = Client().get(API, query)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_api_rate_limit(dossier, settings, limiter):
    settings.TRACKING_RATE_PER_IP = 2
    client = Client()
    client.get(API, {"code": dossier.code, "factor": "0000000000"})
    client.get(API, {"code": dossier.code, "factor": "0000000000"})
    response = client.get(API, {"code": dossier.code, "factor": "0905123456"})
    assert response.status_code == 429
    assert response.json()["detail"]


def test_api_constant_queries(dossier, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert Client().get(API, {"code": dossier.code, "factor": "0905123456"}).status_code == 200


def test_lookup_rows_equal_the_orm_query(dossier):
    """Issue 17: the statement compiled once per connection gives the ORM's rows and values."""
    from motcua.dossiers.tracking import _lookup_queryset, _lookup_rows

    assert _lookup_rows(dossier.code) == list(_lookup_queryset(dossier.code))
    assert _lookup_rows(dossier.code) == list(_lookup_queryset(dossier.code))  # compiled, reused
    assert _lookup_rows("NO-SUCH-CODE") == []


def test_page_times_are_what_the_date_filter_writes(dossier):
    """The page formats its times once in Python (issue 17): the same text as `|date`."""
    from django.template.defaultfilters import date
    from django.utils.timezone import template_localtime

    def date_filter(value, fmt):  # what `{{ value|date:fmt }}` writes in a template
        return date(template_localtime(value), fmt)

    result = lookup(dossier.code, "0905123456")
    result.finished_at = result.received_at  # a third time, set
    for name, text in result.times.items():
        value = getattr(result, name)
        assert text == (date_filter(value, "H:i d/m/Y") if value else ""), name
    assert result.times["received_at"] == "08:00 10/03/2025"
    timeline = result.timeline
    assert [e["at_text"] for e in timeline] == [date_filter(e["at"], "H:i d/m/Y") for e in timeline]
    assert [e["at_iso"] for e in timeline] == [date_filter(e["at"], "c") for e in timeline]
    body = post(Client(), dossier.code, "0905123456").content.decode()
    assert f'<time datetime="{timeline[0]["at_iso"]}">08:00 10/03/2025</time>' in body
