"""Pages and API: anonymous, no permission, permitted, permitted-for-A-asking-for-B; query counts."""

from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import reset_queries

from motcua.audit.models import PersonalDataAccess
from motcua.blocking import services as s
from motcua.blocking.models import BlockingRequest, SearchLog
from motcua.orgs.models import Membership
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_b(units, court):
    """A published request of unit B, entered and approved by B's own officers."""
    users = get_user_model()
    b1 = users.objects.create_user("spec_b1", "b1@example.org", "pw")
    b2 = users.objects.create_user("spec_b2", "b2@example.org", "pw")
    for u in (b1, b2):
        Membership.objects.create(user=u, unit=units["B"], role="specialist")
    r = s.request_enter(
        actor=b1,
        unit=units["B"],
        data=s.RequestInput(
            "B-1", "blocking", court, "TAND tỉnh", "99/QĐ", date(2025, 3, 3),
            datetime(2025, 3, 3, 9, tzinfo=TZ),
        ),
        assets=[s.AssetInput("other", [s.OwnerInput("Người B")], {"description": "Tàu cá"})],
    )  # fmt: skip
    return r


def test_anonymous_redirected_to_login(client, make_request):
    r = make_request()
    for url in ("/ngan-chan/", "/ngan-chan/moi/", f"/ngan-chan/{r.pk}/", "/ngan-chan/tra-cuu/"):
        response = client.get(url)
        assert response.status_code == 302 and "next=" in response["Location"]
    assert client.get("/api/v1/blocking/search", {"q": "x"}).status_code == 401


@pytest.mark.parametrize("who", ["clerk_b", "citizen1", "clerk"])
def test_outsiders_see_nothing(client, personas, make_request, who):
    r = make_request(publish=True)
    client.force_login(personas[who])
    for url in (
        "/ngan-chan/",
        "/ngan-chan/moi/",
        f"/ngan-chan/{r.pk}/",
        "/ngan-chan/tra-cuu/?q=duc",
        "/ngan-chan/tra-cuu/nhat-ky/",
        "/ngan-chan/thong-ke/",
        f"/ngan-chan/{r.pk}/giai-toa/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/ngan-chan/{r.pk}/duyet/").status_code == 404
    assert client.get("/api/v1/blocking/search", {"q": "duc"}).status_code == 404
    assert client.get(f"/api/v1/blocking/requests/{r.pk}").status_code == 404


def test_notary_searches_but_never_edits(client, personas, make_request, officers):
    draft = make_request(serial="DR 1", document_number="8/QĐ")
    published = make_request(publish=True)
    client.force_login(personas["notary"])
    assert client.get("/ngan-chan/").status_code == 404
    assert client.get("/ngan-chan/moi/").status_code == 404
    assert client.post("/ngan-chan/moi/", {}).status_code == 404
    assert client.post(f"/ngan-chan/{draft.pk}/duyet/").status_code == 404
    assert client.get(f"/ngan-chan/{published.pk}/giai-toa/").status_code == 404
    assert client.get(f"/ngan-chan/{draft.pk}/").status_code == 404  # not published yet
    page = client.get(f"/ngan-chan/{published.pk}/")
    assert page.status_code == 200 and b'id="approve"' not in page.content
    assert b"/ngan-chan/moi/" not in client.get("/ngan-chan/tra-cuu/").content
    draft.refresh_from_db()
    assert draft.status == "entered"


def test_officer_of_a_cannot_see_bs_request(client, officers, request_b):
    client.force_login(officers["enter"])
    assert client.get(f"/ngan-chan/{request_b.pk}/").status_code == 404
    assert client.post(f"/ngan-chan/{request_b.pk}/duyet/").status_code == 404
    assert client.get(f"/api/v1/blocking/requests/{request_b.pk}").status_code == 404
    assert client.get("/ngan-chan/tra-cuu/", {"q": "Người B"}).context["outcome"].total == 0


def _entry_post(**overrides):
    data = {
        "request_no": "NC-WEB-1",
        "kind": "blocking",
        "authority_type": "",
        "authority_name": "Tòa án nhân dân thành phố Huế",
        "sender_person": "Thư ký Nguyễn A",
        "document_number": "45/2025/QĐ-BPKCTT",
        "document_date": "2025-03-10",
        "received_at": "2025-03-10T08:30",
        "summary": "Cấm chuyển dịch quyền về tài sản",
        "note": "",
        "assets-TOTAL_FORMS": "2",
        "assets-INITIAL_FORMS": "0",
        "assets-MIN_NUM_FORMS": "1",
        "assets-MAX_NUM_FORMS": "50",
        "assets-0-asset_type": "land",
        "assets-0-certificate_serial": "CS 01234",
        "assets-0-parcel_number": "7",
        "assets-0-map_sheet": "3",
        "assets-0-address": "Phường Thuận Hóa, Huế",
        "assets-0-owners": "Trần Văn Bình | 046080001234 | 1980\nLê Thị Cúc | 191234567",
        "assets-1-asset_type": "land",
    }
    data.update(overrides)
    return data


def test_entry_form_approve_publish_release_by_web(client, officers, court, personas):
    client.force_login(officers["enter"])
    response = client.post("/ngan-chan/moi/", _entry_post(authority_type=court.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    r = BlockingRequest.objects.get(request_no="NC-WEB-1")
    assert r.assets.count() == 1 and r.assets.get().owners.count() == 2
    # The enterer is shown no approve button and is refused server-side.
    page = client.get(f"/ngan-chan/{r.pk}/")
    assert b'id="approve"' not in page.content
    assert client.post(f"/ngan-chan/{r.pk}/duyet/", {"confirm": "1"}).status_code == 400
    r.refresh_from_db()
    assert r.status == "entered"
    client.force_login(officers["second"])
    # Approval must be confirmed (issue 14): without the box ticked nothing changes.
    assert client.post(f"/ngan-chan/{r.pk}/duyet/").status_code == 400
    r.refresh_from_db()
    assert r.status == "entered"
    assert client.post(f"/ngan-chan/{r.pk}/duyet/", {"confirm": "1"}).status_code == 302
    assert client.post(f"/ngan-chan/{r.pk}/cong-bo/").status_code == 302
    asset = r.assets.get()
    response = client.post(
        f"/ngan-chan/{r.pk}/giai-toa/",
        {"document_number": "9/GT", "document_date": "2025-03-20", "assets": [str(asset.pk)]},
    )
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == "released"
    assert PersonalDataAccess.objects.filter(subject_id=str(r.pk)).exists()


def test_duplicate_by_web_points_to_existing(client, officers, court, make_request):
    existing = make_request(document_number="45/2025/QĐ-BPKCTT", document_date=date(2025, 3, 10))
    client.force_login(officers["second"])
    response = client.post("/ngan-chan/moi/", _entry_post(authority_type=court.pk))
    assert response.status_code == 409
    assert f"/ngan-chan/{existing.pk}/".encode() in response.content
    assert existing.request_no.encode() in response.content
    assert BlockingRequest.objects.count() == 1


def test_bad_entry_shows_errors_and_changes_nothing(client, officers, court):
    client.force_login(officers["enter"])
    response = client.post(
        "/ngan-chan/moi/",
        _entry_post(authority_type=court.pk, **{"assets-0-owners": "Ai đó | 12345"}),
    )
    assert response.status_code == 400
    assert not BlockingRequest.objects.exists()
    response = client.post(
        "/ngan-chan/moi/", _entry_post(authority_type=court.pk, document_date="x")
    )
    assert response.status_code == 400


def _bulk(make_request, n):
    for i in range(n):
        make_request(serial=f"BK {i:06d}", publish=(i % 2 == 0))


def test_worklist_constant_queries(
    client, officers, make_request, django_assert_num_queries, django_assert_max_num_queries
):
    _bulk(make_request, 2)
    client.force_login(officers["leader"])
    client.get("/ngan-chan/")
    reset_queries()  # the capture counts a log capped at 9000 entries
    with django_assert_max_num_queries(50) as small:
        assert client.get("/ngan-chan/").status_code == 200
    expected = len(small)
    _bulk(make_request, 8)
    reset_queries()
    with django_assert_num_queries(expected):
        response = client.get("/ngan-chan/")
    assert response.status_code == 200


def test_search_page_constant_queries(
    client, personas, make_request, django_assert_num_queries, django_assert_max_num_queries
):
    make_request(publish=True, owner="Đặng Văn Đức", serial="DQ 1")
    client.force_login(personas["notary"])
    client.get("/ngan-chan/tra-cuu/", {"q": "duc"})
    reset_queries()  # the capture counts a log capped at 9000 entries
    with django_assert_max_num_queries(50) as small:
        client.get("/ngan-chan/tra-cuu/", {"q": "duc"})
    expected = len(small)
    for i in range(6):
        make_request(
            publish=True, owner=f"Đào Đức {i}", serial=f"DQ {i + 10}", document_number=f"{i}/DQ"
        )
    reset_queries()
    with django_assert_num_queries(expected):
        response = client.get("/ngan-chan/tra-cuu/", {"q": "duc"})
    assert response.context["outcome"].total == 7


def test_lookup_log_constant_queries(
    client, personas, make_request, django_assert_num_queries, django_assert_max_num_queries
):
    make_request(publish=True)
    client.force_login(personas["notary"])
    client.get("/ngan-chan/tra-cuu/", {"q": "duc"})
    client.get("/ngan-chan/tra-cuu/nhat-ky/")
    reset_queries()  # the capture counts a log capped at 9000 entries
    with django_assert_max_num_queries(50) as small:
        client.get("/ngan-chan/tra-cuu/nhat-ky/")
    expected = len(small)
    for _ in range(5):
        client.get("/ngan-chan/tra-cuu/", {"q": "ab123456"})
    reset_queries()
    with django_assert_num_queries(expected):
        response = client.get("/ngan-chan/tra-cuu/nhat-ky/")
    assert len(response.context["page"].object_list) == 6


def test_search_logged_certificate_and_verification(client, personas, make_request):
    make_request(publish=True)
    client.force_login(personas["notary"])
    response = client.get("/ngan-chan/tra-cuu/", {"q": "AB-123 456"})
    assert response.status_code == 200
    log = SearchLog.objects.get()
    assert (log.who, log.query, log.result_count) == (personas["notary"], "AB-123 456", 1)
    cert = client.get(f"/ngan-chan/tra-cuu/{log.pk}/chung-nhan/")
    assert cert.status_code == 200 and b"<svg" in cert.content
    assert log.digest.encode() in cert.content
    pdf = client.get(f"/ngan-chan/tra-cuu/{log.pk}/chung-nhan/", {"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.logout()
    verify = client.get(f"/ngan-chan/xac-minh/{log.token}/")
    assert verify.status_code == 200 and b'id="verify-ok"' in verify.content
    assert client.get("/ngan-chan/xac-minh/forged/").status_code == 404
    # Another office's notary cannot open this certificate.
    other = get_user_model().objects.create_user("notary2", "n2@example.org", "pw")
    Membership.objects.create(
        user=other, unit=personas["clerk_b"].memberships.get().unit, role="notary"
    )
    client.force_login(other)
    assert client.get(f"/ngan-chan/tra-cuu/{log.pk}/chung-nhan/").status_code == 404
    assert client.get("/ngan-chan/tra-cuu/nhat-ky/").context["page"].paginator.count == 0


def test_empty_search_is_a_clear_400(client, personas):
    client.force_login(personas["notary"])
    assert client.get("/ngan-chan/tra-cuu/").status_code == 200  # the empty form
    response = client.get("/ngan-chan/tra-cuu/", {"q": "  "})
    assert response.status_code == 400
    assert not SearchLog.objects.exists()
    assert client.get("/api/v1/blocking/search", {"q": ""}).status_code == 400


def test_api_search_and_detail(client, personas, make_request):
    r = make_request(publish=True)
    client.force_login(personas["notary"])
    body = client.get("/api/v1/blocking/search", {"q": "nguyen van duc"}).json()
    assert body["result_count"] == 1
    first = body["results"][0]
    assert {
        "request_no", "kind", "status", "asset_type", "asset", "owners", "document_number", "authority",
    } <= set(first)  # fmt: skip
    assert first["status"] == "active" and first["request_no"] == r.request_no
    detail = client.get(f"/api/v1/blocking/requests/{r.pk}").json()
    assert detail["assets"][0]["owners"][0]["name"] == "Nguyễn Văn Đức"


def test_statistics_page(client, officers, make_request):
    make_request(publish=True)
    client.force_login(officers["leader"])
    response = client.get(
        "/ngan-chan/thong-ke/", {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    )
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["all"]["received_total"] == figures["entries"]["received_total"] == 1
    assert figures["releases"]["received_total"] == 0
    assert "16 giờ làm việc" in response.content.decode()
    bad = client.get("/ngan-chan/thong-ke/", {"date_from": "2025-12-31", "date_to": "2025-01-01"})
    assert bad.status_code == 400


def test_overdue_highlighted(client, officers, make_request):
    make_request(received_at=datetime(2025, 3, 10, 9, tzinfo=TZ))
    client.force_login(officers["leader"])
    response = client.get("/ngan-chan/")
    assert response.context["rows"][0]["overdue"] is True
    assert b'class="overdue"' in response.content
