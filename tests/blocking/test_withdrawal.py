"""Withdrawing an asset or owner entered by mistake, before approval: the services (who, when, what
an order needs, audit, search keys), what notaries / the export / the certificate no longer show,
the staff page (struck through, with the reason) and its buttons.

Tests that look for Vietnamese text of this feature (marked `# vi`) need the entries of
motcua/locale/pending_blocking.po merged into the Vietnamese catalogue.
"""

from __future__ import annotations

import json
import threading
from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, reset_queries, transaction
from django.utils import timezone

from motcua.audit.models import AuditEvent
from motcua.blocking import services as s
from motcua.blocking.errors import BlockingError
from motcua.blocking.export import export_lines
from motcua.blocking.models import Asset, BlockingRequest, Owner, SearchKey, SearchLog
from motcua.blocking.search import run_search
from motcua.blocking.withdrawal import withdraw_asset, withdraw_owner
from motcua.orgs.models import Membership
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db

REASON = "Nhập nhầm: tài sản thuộc văn bản khác"


def land(serial, *owners):
    return s.AssetInput(
        "land",
        list(owners) or [s.OwnerInput("Nguyễn Văn Đức", "046090001234", 1990)],
        {"certificate_serial": serial, "parcel_number": "12", "map_sheet": "5"},
    )


def two_assets(make_request):
    """A request with asset 1 "AB 111111" (Đức + Hoa) and asset 2 "CS 222222" (Hồ Văn Tâm)."""
    return make_request(
        assets=[
            land(
                "AB 111111",
                s.OwnerInput("Nguyễn Văn Đức", "046090001234", 1990),
                s.OwnerInput("Trần Thị Hoa", "046190005678", 1992),
            ),
            land("CS 222222", s.OwnerInput("Hồ Văn Tâm", "046085009999", 1985)),
        ]
    )


def assets_of(r):
    return list(Asset.objects.filter(request=r).order_by("position"))


def found(user, query):
    return [a.request.request_no for a in run_search(user=user, query=query).assets]


def publish(r, officers):
    s.request_approve(actor=officers["second"], request_id=r.pk)
    s.request_publish(actor=officers["second"], request_id=r.pk)
    r.refresh_from_db()
    return r


def exported(r) -> list[dict]:
    return [line for line in export_lines() if line["sync_id"] == str(r.sync_id)]


# --- services ----------------------------------------------------------------------------------
def test_withdraw_asset_flags_audits_and_leaves_search_and_export(make_request, officers, personas):
    r = two_assets(make_request)
    first, second = assets_of(r)
    seq = r.updated_seq
    assert found(officers["enter"], "CS 222222") == [r.request_no]

    withdraw_asset(actor=officers["enter"], asset_id=second.pk, reason=f"  {REASON} ")

    second.refresh_from_db()
    assert second.withdrawn_at is not None
    assert second.withdrawn_by == officers["enter"]
    assert second.withdrawn_reason == REASON
    assert Asset.objects.filter(request=r).count() == 2  # nothing deleted
    assert Owner.objects.filter(asset=second).count() == 1
    event = AuditEvent.objects.get(action="blocking.withdraw_asset")
    assert (event.actor, event.object_id) == (officers["enter"], str(r.pk))
    assert event.data["asset"]["position"] == 2
    assert event.data["before"] == {
        "withdrawn_at": None,
        "withdrawn_by": None,
        "withdrawn_reason": "",
    }
    assert event.data["after"]["withdrawn_reason"] == REASON
    assert event.data["after"]["withdrawn_by"] == officers["enter"].get_username()
    assert event.data["after"]["withdrawn_at"] is not None
    # Search rows rebuilt in the same call: the withdrawn asset and its owner are gone.
    assert not SearchKey.objects.filter(asset_id=second.pk).exists()
    assert SearchKey.objects.filter(asset_id=first.pk).exists()
    assert found(officers["enter"], "CS 222222") == []
    assert found(officers["enter"], "Hồ Văn Tâm") == []
    assert found(officers["enter"], "AB 111111") == [r.request_no]
    r.refresh_from_db()
    assert r.updated_seq > seq and r.status == "entered"

    # Approval is still possible, and what is published is only what was not withdrawn.
    publish(r, officers)
    assert r.status == "published"
    notary = personas["notary"]
    assert found(notary, "CS 222222") == []
    assert found(notary, "ho van tam") == []
    assert found(notary, "AB 111111") == [r.request_no]
    [line] = exported(r)
    assert [a["sync_id"] for a in line["assets"]] == [str(first.sync_id)]
    assert "Hồ Văn Tâm" not in json.dumps(line, ensure_ascii=False)
    assert "222222" not in json.dumps(line, ensure_ascii=False)


def test_withdraw_owner_hidden_from_results_certificate_export_and_api(
    client, make_request, officers, personas
):
    r = two_assets(make_request)
    first, _ = assets_of(r)
    hoa = Owner.objects.get(asset=first, name="Trần Thị Hoa")
    withdraw_owner(actor=officers["leader"], owner_id=hoa.pk, reason=REASON)

    hoa.refresh_from_db()
    assert hoa.is_withdrawn and hoa.withdrawn_by == officers["leader"]
    event = AuditEvent.objects.get(action="blocking.withdraw_owner")
    assert event.data["owner"]["name"] == "Trần Thị Hoa"
    assert "046190005678" not in json.dumps(event.data)  # owners by name only
    assert event.data["before"]["withdrawn_at"] is None
    assert event.data["after"]["withdrawn_reason"] == REASON
    assert found(officers["enter"], "Trần Thị Hoa") == []
    assert found(officers["enter"], "046190005678") == []
    assert found(officers["enter"], "Nguyễn Văn Đức") == [r.request_no]

    publish(r, officers)
    client.force_login(personas["notary"])
    page = client.get("/ngan-chan/tra-cuu/", {"q": "AB 111111"})
    assert page.status_code == 200
    [result] = page.context["results"]
    assert [o["name"] for o in result["owners"]] == ["Nguyễn Văn Đức"]
    assert "Trần Thị Hoa" not in page.content.decode()
    assert client.get("/ngan-chan/tra-cuu/", {"q": "Trần Thị Hoa"}).context["outcome"].total == 0
    # The look-up certificate is built from what the look-up showed.
    log = SearchLog.objects.filter(query="AB 111111").get()
    cert = client.get(f"/ngan-chan/tra-cuu/{log.pk}/chung-nhan/")
    assert cert.status_code == 200 and "Trần Thị Hoa" not in cert.content.decode()
    # The published record (page and API) as a notary sees it.
    detail = client.get(f"/ngan-chan/{r.pk}/")
    assert detail.status_code == 200
    assert "Trần Thị Hoa" not in detail.content.decode() and REASON not in detail.content.decode()
    api = client.get(f"/api/v1/blocking/requests/{r.pk}").json()
    assert [o["name"] for a in api["assets"] for o in a["owners"]] == [
        "Nguyễn Văn Đức",
        "Hồ Văn Tâm",
    ]
    assert "withdrawn" not in api["assets"][0]
    [line] = exported(r)
    assert "Trần Thị Hoa" not in json.dumps(line, ensure_ascii=False)
    # Staff get the withdrawn owner through the API, flagged.
    client.force_login(officers["enter"])
    api = client.get(f"/api/v1/blocking/requests/{r.pk}").json()
    flags = {o["name"]: o["withdrawn"] for o in api["assets"][0]["owners"]}
    assert flags["Nguyễn Văn Đức"] is None and flags["Trần Thị Hoa"]["reason"] == REASON


@pytest.mark.parametrize("stage", ["approved", "published"])
def test_refused_after_approval(make_request, officers, stage):
    r = two_assets(make_request)
    first, second = assets_of(r)
    s.request_approve(actor=officers["second"], request_id=r.pk)
    if stage == "published":
        s.request_publish(actor=officers["second"], request_id=r.pk)
    keys = SearchKey.objects.filter(request=r).count()
    with pytest.raises(BlockingError):
        withdraw_asset(actor=officers["enter"], asset_id=second.pk, reason=REASON)
    hoa = Owner.objects.get(asset=first, name="Trần Thị Hoa")
    with pytest.raises(BlockingError):
        withdraw_owner(actor=officers["leader"], owner_id=hoa.pk, reason=REASON)
    assert not Asset.objects.filter(request=r, withdrawn_at__isnull=False).exists()
    assert not Owner.objects.filter(asset__request=r, withdrawn_at__isnull=False).exists()
    assert SearchKey.objects.filter(request=r).count() == keys
    assert not AuditEvent.objects.filter(action__startswith="blocking.withdraw").exists()


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_refused_without_reason(make_request, officers, reason):
    r = two_assets(make_request)
    first, second = assets_of(r)
    with pytest.raises(BlockingError):
        withdraw_asset(actor=officers["enter"], asset_id=second.pk, reason=reason)
    with pytest.raises(BlockingError):
        withdraw_owner(actor=officers["enter"], owner_id=first.owners.last().pk, reason=reason)
    assert not Asset.objects.filter(withdrawn_at__isnull=False).exists()
    assert not Owner.objects.filter(withdrawn_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(action__startswith="blocking.withdraw").exists()


def test_refused_for_the_last_asset_and_the_last_owner(make_request, officers):
    single = make_request(serial="ZZ 999999")
    [only] = assets_of(single)
    with pytest.raises(BlockingError):
        withdraw_asset(actor=officers["enter"], asset_id=only.pk, reason=REASON)
    with pytest.raises(BlockingError):  # the only owner of the asset
        withdraw_owner(actor=officers["enter"], owner_id=only.owners.get().pk, reason=REASON)

    r = two_assets(make_request)
    first, second = assets_of(r)
    with pytest.raises(BlockingError):  # asset 2 has one owner: every asset needs one
        withdraw_owner(actor=officers["enter"], owner_id=second.owners.get().pk, reason=REASON)
    duc, hoa = first.owners.order_by("position")
    withdraw_owner(actor=officers["enter"], owner_id=hoa.pk, reason=REASON)
    with pytest.raises(BlockingError):  # now the last owner of asset 1
        withdraw_owner(actor=officers["enter"], owner_id=duc.pk, reason=REASON)
    with pytest.raises(BlockingError):  # already withdrawn
        withdraw_owner(actor=officers["enter"], owner_id=hoa.pk, reason=REASON)
    withdraw_asset(actor=officers["enter"], asset_id=second.pk, reason=REASON)
    with pytest.raises(BlockingError):  # now the last asset
        withdraw_asset(actor=officers["enter"], asset_id=first.pk, reason=REASON)
    with pytest.raises(BlockingError):  # already withdrawn
        withdraw_asset(actor=officers["enter"], asset_id=second.pk, reason=REASON)
    with pytest.raises(BlockingError):  # its asset is withdrawn
        withdraw_owner(actor=officers["enter"], owner_id=second.owners.get().pk, reason=REASON)
    assert not Asset.objects.filter(pk__in=[only.pk, first.pk], withdrawn_at__isnull=False).exists()
    assert Owner.objects.filter(pk=duc.pk, withdrawn_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action__startswith="blocking.withdraw").count() == 2
    publish(r, officers)  # what is left is a complete order
    assert r.status == "published"


@pytest.mark.parametrize("who", ["notary", "clerk_b", "auditor", "clerk", "citizen1"])
def test_others_cannot_withdraw(make_request, personas, who):
    r = two_assets(make_request)
    first, second = assets_of(r)
    with pytest.raises(BlockingError):
        withdraw_asset(actor=personas[who], asset_id=second.pk, reason=REASON)
    with pytest.raises(BlockingError):
        withdraw_owner(actor=personas[who], owner_id=first.owners.last().pk, reason=REASON)
    assert not Asset.objects.filter(withdrawn_at__isnull=False).exists()
    assert not Owner.objects.filter(withdrawn_at__isnull=False).exists()


def test_approval_checks_what_is_left(make_request, officers):
    """Defence in depth: rows flagged behind the services' back cannot make an empty order."""
    r = two_assets(make_request)
    first, second = assets_of(r)
    now = timezone.now()
    Owner.objects.filter(asset=second).update(withdrawn_at=now, withdrawn_reason="x")
    with pytest.raises(BlockingError):
        s.request_approve(actor=officers["second"], request_id=r.pk)
    Asset.objects.filter(request=r).update(withdrawn_at=now, withdrawn_reason="x")
    with pytest.raises(BlockingError):
        s.request_approve(actor=officers["second"], request_id=r.pk)
    assert BlockingRequest.objects.get(pk=r.pk).status == "entered"


def test_database_refuses_a_withdrawal_without_reason_or_of_a_released_asset(
    make_request, officers
):
    r = two_assets(make_request)
    first, _ = assets_of(r)
    with pytest.raises(IntegrityError), transaction.atomic():
        Asset.objects.filter(pk=first.pk).update(withdrawn_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Owner.objects.filter(asset=first).update(withdrawn_at=timezone.now(), withdrawn_reason="")
    publish(r, officers)
    s.request_release(
        actor=officers["second"],
        request_id=r.pk,
        asset_ids=[first.pk],
        document_number="1/GT",
        document_date=date(2025, 3, 20),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Asset.objects.filter(pk=first.pk).update(withdrawn_at=timezone.now(), withdrawn_reason="x")


def test_release_counts_only_assets_not_withdrawn(make_request, officers):
    r = two_assets(make_request)
    first, second = assets_of(r)
    withdraw_asset(actor=officers["enter"], asset_id=second.pk, reason=REASON)
    publish(r, officers)
    with pytest.raises(BlockingError):  # a withdrawn asset was never blocked
        s.request_release(
            actor=officers["second"],
            request_id=r.pk,
            asset_ids=[second.pk],
            document_number="1/GT",
            document_date=date(2025, 3, 20),
        )
    s.request_release(
        actor=officers["second"],
        request_id=r.pk,
        asset_ids=[first.pk],
        document_number="2/GT",
        document_date=date(2025, 3, 20),
    )
    r.refresh_from_db()
    assert r.status == "released"  # not "partially released"


def test_correction_after_withdrawal_keeps_it_withdrawn(client, make_request, officers):
    r = two_assets(make_request)
    first, second = assets_of(r)
    hoa = first.owners.get(name="Trần Thị Hoa")
    withdraw_owner(actor=officers["enter"], owner_id=hoa.pk, reason=REASON)
    withdraw_asset(actor=officers["enter"], asset_id=first.pk, reason=REASON)
    # The correction form lists only what is not withdrawn.
    client.force_login(officers["enter"])
    page = client.get(f"/ngan-chan/{r.pk}/sua/")
    assert page.status_code == 200
    assert [row["certificate_serial"] for row in page.context["formset"].initial] == ["CS 222222"]
    assert "Trần Thị Hoa" not in page.content.decode()
    # Correct the remaining asset, add an owner and a new asset.
    data = s.RequestInput(
        request_no=r.request_no,
        kind=r.kind,
        authority_type=r.authority_type,
        authority_name=r.authority_name,
        document_number=r.document_number,
        document_date=r.document_date,
        received_at=r.received_at,
        summary=r.summary,
    )
    s.request_correct(
        actor=officers["second"],
        request_id=r.pk,
        data=data,
        assets=[
            land(
                "CS 222223",
                s.OwnerInput("Hồ Văn Tâm", "046085009999", 1985),
                s.OwnerInput("Lê Thị Cúc"),
            ),
            land("DD 333333", s.OwnerInput("Phan Văn Bảy")),
        ],
    )
    first.refresh_from_db()
    hoa.refresh_from_db()
    assert first.is_withdrawn and first.certificate_serial == "AB 111111"
    assert hoa.is_withdrawn
    rows = assets_of(r)
    assert [(a.position, a.certificate_serial, a.is_withdrawn) for a in rows] == [
        (1, "AB 111111", True),
        (2, "CS 222223", False),
        (3, "DD 333333", False),
    ]
    assert [o.name for o in rows[1].owners.order_by("position")] == ["Hồ Văn Tâm", "Lê Thị Cúc"]
    event = AuditEvent.objects.get(action="blocking.correct")
    assert set(event.data["assets"]) == {"2", "3"}
    assert found(officers["enter"], "AB 111111") == []
    assert found(officers["enter"], "DD 333333") == [r.request_no]


# --- the page ----------------------------------------------------------------------------------
def _url(r, kind, pk):
    return f"/ngan-chan/{r.pk}/{'rut-tai-san' if kind == 'asset' else 'rut-chu-so-huu'}/{pk}/"


def test_page_withdraws_and_shows_it_struck_through(client, make_request, officers, personas):
    r = two_assets(make_request)
    first, second = assets_of(r)
    client.force_login(officers["enter"])
    page = client.get(f"/ngan-chan/{r.pk}/").content.decode()
    assert _url(r, "asset", second.pk) in page and 'name="csrfmiddlewaretoken"' in page
    response = client.post(_url(r, "asset", second.pk), {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == f"/ngan-chan/{r.pk}/"
    assert Asset.objects.get(pk=second.pk).withdrawn_reason == REASON
    hoa = first.owners.get(name="Trần Thị Hoa")
    response = client.post(_url(r, "owner", hoa.pk), {"reason": "Trùng tên người khác"})
    assert response.status_code == 302

    for who in (officers["enter"], personas["auditor"]):  # staff of the unit, auditors too
        client.force_login(who)
        body = client.get(f"/ngan-chan/{r.pk}/").content.decode()
        assert f'<tr id="asset-{second.pk}" class="withdrawn" data-withdrawn>' in body
        assert "<del>" in body and "CS 222222" in body and REASON in body
        assert f'<li id="owner-{hoa.pk}" class="withdrawn" data-withdrawn>' in body
        assert "Trần Thị Hoa" in body and "Trùng tên người khác" in body
        assert "blocking.withdraw_asset" in body and "blocking.withdraw_owner" in body  # history
        # Nothing is left that may be withdrawn: one asset, whose last owner is Đức.
        assert "rut-tai-san" not in body and "rut-chu-so-huu" not in body

    publish(r, officers)
    client.force_login(officers["enter"])
    body = client.get(f"/ngan-chan/{r.pk}/").content.decode()
    assert "CS 222222" in body and "rut-tai-san" not in body  # after approval: no buttons
    client.force_login(personas["notary"])  # the published record
    body = client.get(f"/ngan-chan/{r.pk}/").content.decode()
    assert "CS 222222" not in body and "Trần Thị Hoa" not in body and REASON not in body
    assert "data-withdrawn" not in body and "AB 111111" in body


def test_page_refuses_after_approval_and_without_reason(client, make_request, officers):
    r = two_assets(make_request)
    first, second = assets_of(r)
    client.force_login(officers["enter"])
    response = client.post(_url(r, "asset", second.pk), {"reason": "  "})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert client.get(_url(r, "asset", second.pk)).status_code == 405  # POST only
    s.request_approve(actor=officers["second"], request_id=r.pk)
    response = client.post(_url(r, "asset", second.pk), {"reason": REASON})
    assert response.status_code == 400
    response = client.post(_url(r, "owner", first.owners.last().pk), {"reason": REASON})
    assert response.status_code == 400
    assert not Asset.objects.filter(withdrawn_at__isnull=False).exists()
    assert not Owner.objects.filter(withdrawn_at__isnull=False).exists()


def test_page_404_for_outsiders_and_notaries(client, make_request, personas, units, court):
    r = two_assets(make_request)
    first, second = assets_of(r)
    owner = first.owners.last()
    urls = [_url(r, "asset", second.pk), _url(r, "owner", owner.pk)]
    for url in urls:
        response = client.post(url, {"reason": REASON})
        assert response.status_code == 302 and "next=" in response["Location"]
    for who in ("notary", "clerk_b", "citizen1", "clerk", "auditor"):
        client.force_login(personas[who])
        for url in urls:
            assert client.post(url, {"reason": REASON}).status_code == 404, (who, url)
    # An officer of unit B asking for A's request; an officer of A naming another request's row.
    b1 = get_user_model().objects.create_user("spec_b1", "b1@example.org", "pw")
    Membership.objects.create(user=b1, unit=units["B"], role="specialist")
    client.force_login(b1)
    for url in urls:
        assert client.post(url, {"reason": REASON}).status_code == 404
    other = s.request_enter(
        actor=b1,
        unit=units["B"],
        data=s.RequestInput(
            "B-1", "blocking", court, "TAND", "9/QĐ", date(2025, 3, 3),
            datetime(2025, 3, 3, 9, tzinfo=TZ),
        ),
        assets=[land("BB 1"), land("BB 2")],
    )  # fmt: skip
    client.force_login(personas["specialist"])
    b_asset = assets_of(other)[1]
    assert client.post(_url(r, "asset", b_asset.pk), {"reason": REASON}).status_code == 404
    assert client.post(f"/ngan-chan/{other.pk}/rut-tai-san/{b_asset.pk}/").status_code == 404
    assert not Asset.objects.filter(withdrawn_at__isnull=False).exists()
    assert not Owner.objects.filter(withdrawn_at__isnull=False).exists()


def test_english_messages(client, make_request, officers):
    r = two_assets(make_request)
    first, second = assets_of(r)
    client.force_login(officers["enter"])
    response = client.post(_url(r, "asset", second.pk), {"reason": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Give the reason for the withdrawal." in response.content.decode()
    response = client.post(
        _url(r, "owner", second.owners.get().pk), {"reason": REASON}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert (
        "Hồ Văn Tâm is the only owner of asset 2 left: every asset names at least one owner."
        in response.content.decode()
    )
    body = client.get(f"/ngan-chan/{r.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Withdraw</summary>" in body


def test_vietnamese_messages(client, make_request, officers):  # vi
    r = two_assets(make_request)
    first, second = assets_of(r)
    client.force_login(officers["enter"])
    body = client.get(f"/ngan-chan/{r.pk}/").content.decode()
    assert ">Rút</summary>" in body
    response = client.post(_url(r, "asset", second.pk), {"reason": ""})
    assert response.status_code == 400
    assert "Cần ghi lý do rút." in response.content.decode()
    response = client.post(_url(r, "owner", second.owners.get().pk), {"reason": REASON})
    assert "Hồ Văn Tâm là chủ sở hữu duy nhất còn lại của tài sản 2" in response.content.decode()
    s.request_approve(actor=officers["second"], request_id=r.pk)
    response = client.post(_url(r, "asset", second.pk), {"reason": REASON})
    assert "Chỉ rút được tài sản hoặc chủ sở hữu khi yêu cầu còn chờ duyệt" in (
        response.content.decode()
    )


def test_staff_page_constant_queries(
    client, make_request, officers, django_assert_num_queries, django_assert_max_num_queries
):
    """The staff record page costs the same whatever the number of (withdrawn) assets and owners."""
    small = two_assets(make_request)
    withdraw_asset(actor=officers["enter"], asset_id=assets_of(small)[1].pk, reason=REASON)
    big = make_request(
        assets=[
            land(f"QC {i:06d}", *[s.OwnerInput(f"Chủ {i} {j}") for j in range(3)]) for i in range(8)
        ]
    )
    for asset in assets_of(big)[:4]:
        withdraw_owner(actor=officers["enter"], owner_id=asset.owners.last().pk, reason=REASON)
    for asset in assets_of(big)[4:7]:
        withdraw_asset(actor=officers["enter"], asset_id=asset.pk, reason=REASON)
    client.force_login(officers["second"])
    client.get(f"/ngan-chan/{small.pk}/")
    reset_queries()  # the capture counts a log capped at 9000 entries
    with django_assert_max_num_queries(50) as captured:
        assert client.get(f"/ngan-chan/{small.pk}/").status_code == 200
    expected = len(captured)
    reset_queries()
    with django_assert_num_queries(expected):
        response = client.get(f"/ngan-chan/{big.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count("data-withdrawn") == 3 + 4


# --- concurrency (PostgreSQL) ------------------------------------------------------------------
def _in_parallel(work, n: int = 2) -> tuple[list, list[BaseException]]:
    """work(i) in n threads released together; each closes its own connection."""
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 (collected and asserted on)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results, errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises all writers, so there is no race to test",
)
def test_two_officers_cannot_withdraw_both_last_assets_or_owners_at_once(make_request, officers):
    r = two_assets(make_request)
    first, second = assets_of(r)
    actors = [officers["enter"], officers["second"]]
    pair = [first.pk, second.pk]
    _, errors = _in_parallel(
        lambda i: withdraw_asset(actor=actors[i], asset_id=pair[i], reason=REASON)
    )
    assert len(errors) == 1 and isinstance(errors[0], BlockingError)
    assert Asset.objects.filter(request=r, withdrawn_at__isnull=True).count() == 1

    other = two_assets(make_request)
    owners = list(assets_of(other)[0].owners.order_by("position").values_list("pk", flat=True))
    _, errors = _in_parallel(
        lambda i: withdraw_owner(actor=actors[i], owner_id=owners[i], reason=REASON)
    )
    assert len(errors) == 1 and isinstance(errors[0], BlockingError)
    assert Owner.objects.filter(pk__in=owners, withdrawn_at__isnull=True).count() == 1


def test_deadline_error_follows_the_readers_language(units):
    """A unit on a calendar that does not exist: the refusal is in the reader's language."""
    from datetime import UTC, datetime

    from django.utils import translation

    from motcua.blocking.errors import BlockingError
    from motcua.blocking.services import due_for

    unit = units["A"]
    unit.calendar_name = "khong-co"
    with translation.override("vi"), pytest.raises(BlockingError, match="Không có lịch"):
        due_for(unit, datetime(2026, 3, 2, 2, tzinfo=UTC))
    with translation.override("en"), pytest.raises(BlockingError, match="(?i)no working calendar"):
        due_for(unit, datetime(2026, 3, 2, 2, tzinfo=UTC))
