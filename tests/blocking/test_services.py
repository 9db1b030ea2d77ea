"""Rules of the registry's writes: four-eyes, duplicates, kinds, releases, deadlines, audit."""

from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from real_files import real_pdf

from motcua.audit.models import AuditEvent
from motcua.blocking import services as s
from motcua.blocking.errors import BlockingError, DuplicateRequestError
from motcua.blocking.models import AuthorityType, BlockingRequest, SearchKey
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db


def test_enter_sets_due_16_working_hours(make_request):
    # Monday 10 March 2025 09:00 + 16 working hours (8 h a day) → Wednesday 09:00.
    r = make_request(received_at=datetime(2025, 3, 10, 9, 0, tzinfo=TZ))
    assert r.status == "entered"
    assert r.due_at == datetime(2025, 3, 12, 9, 0, tzinfo=TZ)
    assert r.calendar_name == "hue"


def test_due_uses_the_units_calendar(make_request, units):
    units["A"].calendar_name = "no-such-calendar"
    units["A"].save()
    with pytest.raises(BlockingError):
        make_request()
    assert not BlockingRequest.objects.exists()


def test_four_eyes_enterer_cannot_approve(make_request, officers):
    r = make_request()
    with pytest.raises(BlockingError, match="Four-eyes|bốn mắt|nhập"):
        s.request_approve(actor=officers["enter"], request_id=r.pk)
    r.refresh_from_db()
    assert r.status == "entered" and r.approved_by is None


def test_four_eyes_is_also_a_database_constraint(make_request, officers):
    r = make_request()
    r.approved_by = officers["enter"]
    with pytest.raises(IntegrityError), transaction.atomic():
        r.save()


def test_second_specialist_or_leader_approves_then_publishes(make_request, officers):
    r = make_request()
    s.request_approve(actor=officers["leader"], request_id=r.pk)
    s.request_publish(actor=officers["enter"], request_id=r.pk)
    r.refresh_from_db()
    assert r.status == "published" and r.approved_by == officers["leader"]
    assert SearchKey.objects.filter(request=r, published=False).count() == 0
    actions = list(
        AuditEvent.objects.filter(object_id=str(r.pk), object_type="blocking.blockingrequest")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["blocking.enter", "blocking.approve", "blocking.publish"]


def test_order_of_steps_is_enforced(make_request, officers):
    r = make_request()
    with pytest.raises(BlockingError):
        s.request_publish(actor=officers["second"], request_id=r.pk)
    with pytest.raises(BlockingError):
        s.request_release(
            actor=officers["second"],
            request_id=r.pk,
            asset_ids=[r.assets.get().pk],
            document_number="1/GT",
            document_date=date(2025, 3, 20),
        )
    s.request_approve(actor=officers["second"], request_id=r.pk)
    with pytest.raises(BlockingError):
        s.request_approve(actor=officers["leader"], request_id=r.pk)


@pytest.mark.parametrize("who", ["notary", "clerk", "auditor", "clerk_b", "citizen1"])
def test_only_officers_write(make_request, personas, officers, who):
    r = make_request()
    with pytest.raises(BlockingError):
        s.request_approve(actor=personas[who], request_id=r.pk)
    r.refresh_from_db()
    assert r.status == "entered"


def test_officer_of_another_unit_cannot_enter(make_request, personas, units, court):
    with pytest.raises(BlockingError):
        s.request_enter(
            actor=personas["clerk_b"],
            unit=units["B"],
            data=s.RequestInput(
                "X-1", "blocking", court, "TAND", "1/QĐ", date(2025, 1, 2),
                datetime(2025, 1, 2, 9, tzinfo=TZ),
            ),
            assets=[],
        )  # fmt: skip


def test_duplicate_document_refused_with_pointer(make_request):
    first = make_request(document_number="12/2025/QĐ-BPKCTT")
    with pytest.raises(DuplicateRequestError) as caught:
        # Same authority typed differently, same number with other spacing, same date.
        make_request(
            document_number="12/2025/QĐ - BPKCTT",
            authority="TÒA ÁN NHÂN DÂN  THÀNH PHỐ HUẾ",
        )
    assert caught.value.existing.pk == first.pk
    assert first.request_no in str(caught.value)
    assert BlockingRequest.objects.count() == 1


def test_duplicate_is_a_database_constraint(make_request):
    first = make_request()
    clone = BlockingRequest.objects.get(pk=first.pk)
    clone.pk = None
    clone.sync_id = None
    clone.request_no = "OTHER"
    import uuid

    clone.sync_id = uuid.uuid4()
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_same_number_other_date_is_not_a_duplicate(make_request):
    make_request(document_number="5/QĐ")
    make_request(document_number="5/QĐ", document_date=date(2025, 3, 9))
    assert BlockingRequest.objects.count() == 2


def test_non_competent_sender_only_reference(make_request):
    other = AuthorityType.objects.get(code="other")
    with pytest.raises(BlockingError):
        make_request(kind="blocking", authority_type=other, authority="Ông Trần Văn B")
    r = make_request(kind="reference", authority_type=other, authority="Ông Trần Văn B")
    assert r.kind == "reference"


@pytest.mark.parametrize(
    ("asset", "owners"),
    [
        (s.AssetInput("land", [], {"certificate_serial": "AB 1"}), None),
        (s.AssetInput("land", [s.OwnerInput("A")], {"address": "x"}), None),
        (s.AssetInput("vehicle", [s.OwnerInput("A")], {"address": "x"}), None),
        (s.AssetInput("other", [s.OwnerInput("A")], {}), None),
        (s.AssetInput("boat", [s.OwnerInput("A")], {"description": "x"}), None),
        (s.AssetInput("other", [s.OwnerInput("A", "12345")], {"description": "x"}), None),
        (s.AssetInput("other", [s.OwnerInput("A", "", 1700)], {"description": "x"}), None),
    ],
)
def test_bad_assets_refused(make_request, asset, owners):
    with pytest.raises(BlockingError):
        make_request(assets=[asset])
    assert not BlockingRequest.objects.exists()


def test_cmnd_and_cccd_accepted(make_request):
    r = make_request(
        assets=[
            s.AssetInput(
                "vehicle",
                [
                    s.OwnerInput("Lê Thị Hoa", "191 234 567"),
                    s.OwnerInput("Lê Văn Nam", "046-090-001234"),
                ],
                {"plate": "75A-123.45"},
            )
        ]
    )
    assert sorted(r.assets.get().owners.values_list("id_number", flat=True)) == [
        "046090001234",
        "191234567",
    ]


def test_scan_checked_by_content(make_request, officers, units, court, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    data = s.RequestInput(
        "SCAN-1", "blocking", court, "TAND Huế", "9/QĐ", date(2025, 3, 10),
        datetime(2025, 3, 10, 9, tzinfo=TZ),
    )  # fmt: skip
    asset = s.AssetInput("other", [s.OwnerInput("A")], {"description": "Xe máy"})
    fake = SimpleUploadedFile("lenh.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(BlockingError, match="PDF"):
        s.request_enter(
            actor=officers["enter"], unit=units["A"], data=data, assets=[asset], scan=fake
        )
    real = SimpleUploadedFile("lenh.exe", real_pdf(), content_type="application/x-msdownload")
    r = s.request_enter(
        actor=officers["enter"], unit=units["A"], data=data, assets=[asset], scan=real
    )
    assert r.scan.name.endswith(".pdf") and len(r.scan_sha256) == 64


def test_partial_then_full_release(make_request, officers):
    r = make_request(
        publish=True,
        assets=[
            s.AssetInput("land", [s.OwnerInput("Phan Văn A")], {"certificate_serial": "CS 01234"}),
            s.AssetInput("vehicle", [s.OwnerInput("Phan Văn A")], {"plate": "75A-999.99"}),
        ],
    )
    land, car = r.assets.order_by("position")
    s.request_release(
        actor=officers["enter"],
        request_id=r.pk,
        asset_ids=[car.pk],
        document_number="20/2025/QĐ-GT",
        document_date=date(2025, 3, 20),
    )
    r.refresh_from_db()
    assert r.status == "partially_released"
    with pytest.raises(BlockingError):  # already released
        s.request_release(
            actor=officers["enter"], request_id=r.pk, asset_ids=[car.pk],
            document_number="21/GT", document_date=date(2025, 3, 21),
        )  # fmt: skip
    s.request_release(
        actor=officers["leader"], request_id=r.pk, asset_ids=[land.pk],
        document_number="22/GT", document_date=date(2025, 3, 21),
    )  # fmt: skip
    r.refresh_from_db()
    assert r.status == "released"
    assert r.releases.count() == 2
    assert AuditEvent.objects.filter(action="blocking.release", object_id=str(r.pk)).count() == 2


def test_release_of_another_requests_asset_refused(make_request, officers):
    a = make_request(publish=True)
    b = make_request(publish=True, serial="XY 000001", document_number="77/QĐ")
    with pytest.raises(BlockingError):
        s.request_release(
            actor=officers["enter"], request_id=a.pk, asset_ids=[b.assets.get().pk],
            document_number="1/GT", document_date=date(2025, 3, 20),
        )  # fmt: skip


def test_nothing_is_ever_deleted(make_request):
    r = make_request()
    with pytest.raises(PermissionError):
        r.delete()
    with pytest.raises(PermissionError):
        r.assets.get().delete()
    with pytest.raises(PermissionError):
        r.assets.get().owners.get().delete()


def test_export_counter_increases_on_every_step(make_request, officers):
    r = make_request()
    seqs = [r.updated_seq]
    s.request_approve(actor=officers["second"], request_id=r.pk)
    r.refresh_from_db()
    seqs.append(r.updated_seq)
    s.request_publish(actor=officers["second"], request_id=r.pk)
    r.refresh_from_db()
    seqs.append(r.updated_seq)
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
