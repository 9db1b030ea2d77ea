"""Authorities' own accounts (issue 16): submit with the document, follow, published or refused;
the registry's two-officer approval stays."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from real_files import real_pdf

from motcua.blocking import services as s
from motcua.blocking import submissions as subs
from motcua.blocking.errors import BlockingError
from motcua.blocking.models import BlockingRequest, Submission

PDF = real_pdf()


@pytest.fixture
def authority(units, court, db):
    from django.contrib.auth import get_user_model

    from motcua.blocking.models import SenderUnit
    from motcua.orgs.models import Membership, Unit

    unit = Unit.objects.create(code="000.00.90.H57", name="Tòa án nhân dân thành phố Huế")
    sender = SenderUnit.objects.create(unit=unit, authority_type=court, registry=units["A"])
    user = get_user_model().objects.create_user("thu_ky_toa", "tk@example.org", "pw")
    Membership.objects.create(user=user, unit=unit, role="intake_clerk")
    return {"sender": sender, "user": user}


def scan():
    return SimpleUploadedFile("qd.pdf", PDF, content_type="application/pdf")


def submit(authority, **extra):
    from datetime import date

    values = {
        "actor": authority["user"],
        "sender": authority["sender"],
        "kind": "blocking",
        "document_number": "15/2025/QĐ-BPKCTT",
        "document_date": date(2025, 3, 10),
        "summary": "Cấm chuyển dịch quyền sử dụng đất",
        "assets": [
            s.AssetInput(
                "land",
                [s.OwnerInput("Nguyễn Văn Đức", "046090001234", 1990)],
                {"certificate_serial": "AB 123.456"},
            )
        ],
        "scan": scan(),
    }
    return subs.submission_create(**{**values, **extra})


def test_submit_accept_approve_publish_and_follow(authority, officers, personas):
    submission = submit(authority)
    assert subs.follow_status(submission) == "submitted"
    request = subs.submission_accept(
        actor=officers["enter"], submission_id=submission.pk, request_no="NC-77"
    )
    submission.refresh_from_db()
    assert submission.request == request and subs.follow_status(submission) == "processing"
    assert request.entered_by == officers["enter"] and request.scan_sha256 == submission.scan_sha256
    assert request.authority_name == "Tòa án nhân dân thành phố Huế"
    # Four-eyes stays: the accepting officer cannot approve.
    with pytest.raises(BlockingError):
        s.request_approve(actor=officers["enter"], request_id=request.pk)
    s.request_approve(actor=officers["second"], request_id=request.pk)
    s.request_publish(actor=officers["second"], request_id=request.pk)
    submission.refresh_from_db()
    assert subs.follow_status(submission) == "published"


def test_refused_with_reason(authority, officers):
    submission = submit(authority)
    with pytest.raises(BlockingError):
        subs.submission_refuse(actor=officers["enter"], submission_id=submission.pk, reason=" ")
    subs.submission_refuse(
        actor=officers["enter"], submission_id=submission.pk, reason="Thiếu chữ ký"
    )
    submission.refresh_from_db()
    assert subs.follow_status(submission) == "refused" and not BlockingRequest.objects.exists()
    with pytest.raises(BlockingError):  # decided once
        subs.submission_accept(
            actor=officers["enter"], submission_id=submission.pk, request_no="NC-1"
        )


def test_document_required_and_checked(authority):
    with pytest.raises(BlockingError):
        submit(authority, scan=None)
    with pytest.raises(BlockingError):
        submit(authority, scan=SimpleUploadedFile("x.pdf", b"MZ not a pdf"))
    assert not Submission.objects.exists()


def test_only_members_submit_and_only_registry_officers_decide(authority, personas, officers):
    with pytest.raises(BlockingError):
        submit(authority, actor=personas["clerk_b"])
    submission = submit(authority)
    for user in (personas["notary"], authority["user"], personas["clerk_b"]):
        with pytest.raises(BlockingError):
            subs.submission_accept(actor=user, submission_id=submission.pk, request_no="NC-9")


def test_pages(client, authority, officers, personas):
    client.force_login(authority["user"])
    response = client.post(
        reverse("blocking:submission_new"),
        {
            "sender": authority["sender"].pk,
            "kind": "blocking",
            "document_number": "16/2025/QĐ",
            "document_date": "2025-03-10",
            "summary": "Kê biên",
            "scan": SimpleUploadedFile("qd.pdf", PDF),
            "assets-TOTAL_FORMS": "1",
            "assets-INITIAL_FORMS": "0",
            "assets-MIN_NUM_FORMS": "1",
            "assets-MAX_NUM_FORMS": "50",
            "assets-0-asset_type": "vehicle",
            "assets-0-plate": "75A-123.45",
            "assets-0-owners": "Hồ Văn Xe | 046090001234",
        },
    )
    submission = Submission.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("blocking:submission", args=[submission.pk]))
    assert 'data-follow="submitted"' in page.content.decode()
    assert 'id="accept"' not in page.content.decode()
    assert client.get(reverse("blocking:submission_scan", args=[submission.pk])).status_code == 200
    # The authority cannot open the registry's pages.
    assert client.get(reverse("blocking:worklist")).status_code == 404
    # Someone else: 404.
    client.force_login(personas["clerk_b"])
    assert client.get(reverse("blocking:submission", args=[submission.pk])).status_code == 404
    assert client.get(reverse("blocking:submissions")).status_code == 404
    # The registry's officer accepts it.
    client.force_login(officers["enter"])
    assert (
        'id="accept"'
        in client.get(reverse("blocking:submission", args=[submission.pk])).content.decode()
    )
    response = client.post(
        reverse("blocking:submission_decide", args=[submission.pk, "accept"]),
        {"request_no": "NC-100"},
    )
    record = BlockingRequest.objects.get(request_no="NC-100")
    assert response["Location"] == reverse("blocking:detail", args=[record.pk])
    client.force_login(authority["user"])
    body = client.get(reverse("blocking:submissions")).content.decode()
    assert 'data-follow="processing"' in body
