"""Correction of an entered request before approval: service, audit, search keys and the page."""

from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from motcua.audit.models import AuditEvent
from motcua.blocking import services as s
from motcua.blocking.errors import BlockingError
from motcua.blocking.models import Asset, BlockingRequest, Owner
from motcua.blocking.search import run_search
from motcua.orgs.models import Membership
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db


def data_of(r, **changes):
    values = {
        "request_no": r.request_no,
        "kind": r.kind,
        "authority_type": r.authority_type,
        "authority_name": r.authority_name,
        "document_number": r.document_number,
        "document_date": r.document_date,
        "received_at": r.received_at,
        "summary": r.summary,
        "note": r.note,
    }
    values.update(changes)
    return s.RequestInput(**values)


def land(serial, owners=None):
    return s.AssetInput(
        "land",
        owners or [s.OwnerInput("Nguyễn Văn Đức", "046090001234", 1990)],
        {"certificate_serial": serial, "parcel_number": "12", "map_sheet": "5"},
    )


def found(user, query):
    return [a.request.request_no for a in run_search(user=user, query=query).assets]


def test_correct_updates_keys_and_is_audited(make_request, officers):
    r = make_request(serial="AB 123456")
    s.request_correct(
        actor=officers["second"],
        request_id=r.pk,
        data=data_of(r, document_number="77/2025/QĐ-BPKCTT"),
        assets=[
            land("CS 01234", [s.OwnerInput("Nguyễn Văn Đức", "046090001234", 1990)]),
            s.AssetInput("vehicle", [s.OwnerInput("Hồ Văn Tâm")], {"plate": "75A-123.45"}),
        ],
    )
    r.refresh_from_db()
    assert r.document_number == "77/2025/QĐ-BPKCTT"
    assert r.status == "entered"
    assets = list(r.assets.order_by("position"))
    assert [a.certificate_serial for a in assets] == ["CS 01234", ""]
    assert assets[1].plate == "75A-123.45"
    event = AuditEvent.objects.get(action="blocking.correct")
    assert event.actor == officers["second"]
    assert event.data["fields"]["document_number"][1] == "77/2025/QĐ-BPKCTT"
    assert event.data["assets"]["1"]["certificate_serial"] == ["AB 123456", "CS 01234"]
    assert event.data["assets"]["2"]["added"] is True
    # search (officer of the unit sees unpublished rows) finds the new serial, not the old one
    assert found(officers["enter"], "cs01234") == [r.request_no]
    assert found(officers["enter"], "ab123456") == []
    assert found(officers["enter"], "75a12345") == [r.request_no]


def test_corrected_serial_found_by_notary_after_publication(make_request, officers, personas):
    r = make_request(serial="AB 123456")
    s.request_correct(
        actor=officers["enter"], request_id=r.pk, data=data_of(r), assets=[land("CĐ 765432")]
    )
    s.request_approve(actor=officers["second"], request_id=r.pk)
    s.request_publish(actor=officers["second"], request_id=r.pk)
    assert found(personas["notary"], "CD-765 432") == [r.request_no]
    assert found(personas["notary"], "AB 123456") == []


def test_refused_after_approval_and_nothing_changes(make_request, officers):
    r = make_request(serial="AB 123456")
    s.request_approve(actor=officers["second"], request_id=r.pk)
    with pytest.raises(BlockingError):
        s.request_correct(
            actor=officers["enter"], request_id=r.pk, data=data_of(r), assets=[land("CS 9")]
        )
    assert Asset.objects.get(request=r).certificate_serial == "AB 123456"
    assert not AuditEvent.objects.filter(action="blocking.correct").exists()


def test_refuses_removals_bad_input_and_no_change(make_request, officers):
    r = make_request(
        assets=[
            land("AB 1", [s.OwnerInput("A Một"), s.OwnerInput("B Hai")]),
            land("AB 2"),
        ]
    )
    cases = [
        [land("AB 1", [s.OwnerInput("A Một"), s.OwnerInput("B Hai")])],  # removes an asset
        [land("AB 1", [s.OwnerInput("A Một")]), land("AB 2")],  # removes an owner
        [land("AB 1", [s.OwnerInput("A", "123")]), land("AB 2")],  # bad ID number
    ]
    for assets in cases:
        with pytest.raises(BlockingError):
            s.request_correct(
                actor=officers["enter"], request_id=r.pk, data=data_of(r), assets=assets
            )
    unchanged = [
        land("AB 1", [s.OwnerInput("A Một"), s.OwnerInput("B Hai")]),
        land("AB 2", [s.OwnerInput("Nguyễn Văn Đức", "046090001234", 1990)]),
    ]
    with pytest.raises(BlockingError):
        s.request_correct(
            actor=officers["enter"], request_id=r.pk, data=data_of(r), assets=unchanged
        )
    assert Owner.objects.filter(asset__request=r).count() == 3
    assert not AuditEvent.objects.filter(action="blocking.correct").exists()


def test_correction_cannot_duplicate_another_document(make_request, officers):
    first = make_request(document_number="1/2025/QĐ")
    second = make_request(document_number="2/2025/QĐ")
    with pytest.raises(BlockingError):
        s.request_correct(
            actor=officers["enter"],
            request_id=second.pk,
            data=data_of(second, document_number="1/2025/QD"),
            assets=[land("AB 123.456")],
        )
    with pytest.raises(BlockingError):
        s.request_correct(
            actor=officers["enter"],
            request_id=second.pk,
            data=data_of(second, request_no=first.request_no),
            assets=[land("AB 123.456")],
        )


@pytest.mark.parametrize("who", ["notary", "clerk_b", "auditor", "clerk"])
def test_others_cannot_correct(make_request, personas, who):
    r = make_request()
    with pytest.raises(BlockingError):
        s.request_correct(
            actor=personas[who], request_id=r.pk, data=data_of(r), assets=[land("CS 1")]
        )


# --- the page ----------------------------------------------------------------------------------
def post_data(r, serial, **extra):
    data = {
        "request_no": r.request_no,
        "kind": r.kind,
        "authority_type": r.authority_type_id,
        "authority_name": r.authority_name,
        "sender_person": "",
        "document_number": r.document_number,
        "document_date": r.document_date.isoformat(),
        "received_at": "2025-03-10T09:00",
        "summary": r.summary,
        "note": "",
        "assets-TOTAL_FORMS": "1",
        "assets-INITIAL_FORMS": "1",
        "assets-MIN_NUM_FORMS": "1",
        "assets-MAX_NUM_FORMS": "50",
        "assets-0-asset_type": "land",
        "assets-0-certificate_serial": serial,
        "assets-0-parcel_number": "12",
        "assets-0-map_sheet": "5",
        "assets-0-owners": "Nguyễn Văn Đức | 046090001234 | 1990",
    }
    data.update(extra)
    return data


def test_anonymous_and_outsiders(client, make_request, personas):
    r = make_request()
    url = f"/ngan-chan/{r.pk}/sua/"
    response = client.get(url)
    assert response.status_code == 302 and "next=" in response["Location"]
    for who in ("notary", "clerk_b", "citizen1", "clerk"):
        client.force_login(personas[who])
        assert client.get(url).status_code == 404, who
        assert client.post(url, post_data(r, "CS 5")).status_code == 404, who
    assert Asset.objects.get(request=r).certificate_serial == "AB 123.456"


def test_officer_of_a_asking_for_b_gets_404(client, units, court, personas):
    users = get_user_model()
    b1 = users.objects.create_user("spec_b1", "b1@example.org", "pw")
    Membership.objects.create(user=b1, unit=units["B"], role="specialist")
    r = s.request_enter(
        actor=b1,
        unit=units["B"],
        data=s.RequestInput(
            "B-1", "blocking", court, "TAND", "9/QĐ", date(2025, 3, 3),
            datetime(2025, 3, 3, 9, tzinfo=TZ),
        ),
        assets=[land("AB 9")],
    )  # fmt: skip
    client.force_login(personas["specialist"])
    assert client.get(f"/ngan-chan/{r.pk}/sua/").status_code == 404


def test_page_prefilled_and_saves(client, make_request, officers):
    r = make_request(serial="AB 123.456", owner="Trần Thị Hoa", id_number="046190001234")
    client.force_login(officers["enter"])
    detail = client.get(f"/ngan-chan/{r.pk}/")
    assert f"/ngan-chan/{r.pk}/sua/".encode() in detail.content
    page = client.get(f"/ngan-chan/{r.pk}/sua/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="AB 123.456"' in body
    assert "Trần Thị Hoa | 046190001234 | 1990" in body
    response = client.post(
        f"/ngan-chan/{r.pk}/sua/",
        post_data(r, "CS 01234", **{"assets-0-owners": "Trần Thị Hoa | 046190001234 | 1990"}),
    )
    assert response.status_code == 302
    assert Asset.objects.get(request=r).certificate_serial == "CS 01234"
    assert AuditEvent.objects.filter(action="blocking.correct", object_id=str(r.pk)).count() == 1


def test_page_bad_input_and_after_approval(client, make_request, officers):
    r = make_request()
    client.force_login(officers["enter"])
    with translation.override("en"):
        response = client.post(
            f"/ngan-chan/{r.pk}/sua/",
            post_data(r, "CS 1", **{"assets-0-owners": "X | 12345 | 1990"}),
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert Asset.objects.get(request=r).certificate_serial == "AB 123.456"
    s.request_approve(actor=officers["second"], request_id=r.pk)
    assert client.get(f"/ngan-chan/{r.pk}/sua/").status_code == 302
    response = client.post(f"/ngan-chan/{r.pk}/sua/", post_data(r, "CS 7"))
    assert response.status_code == 302
    assert Asset.objects.get(request=r).certificate_serial == "AB 123.456"
    detail = client.get(f"/ngan-chan/{r.pk}/")
    assert f"/ngan-chan/{r.pk}/sua/".encode() not in detail.content
    assert BlockingRequest.objects.get(pk=r.pk).status == "approved"
