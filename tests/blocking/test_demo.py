"""Demo data of the registry: realistic, loaded through the services, idempotent, searchable."""

import io

import pytest

from motcua.audit.models import AuditEvent
from motcua.blocking import demo
from motcua.blocking.choices import Kind, RequestStatus
from motcua.blocking.models import Asset, BlockingRequest, Owner, SearchKey
from motcua.blocking.search import run_search
from motcua.orgs import demo as orgs_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    orgs_demo.load(io.StringIO())
    demo.load(io.StringIO())


def test_load_twice_creates_no_duplicates(loaded):
    counts = (
        BlockingRequest.objects.count(),
        Asset.objects.count(),
        Owner.objects.count(),
        SearchKey.objects.count(),
        AuditEvent.objects.filter(action__startswith="blocking.").count(),
    )
    out = io.StringIO()
    demo.load(out)
    assert counts[0] == 30
    assert (
        BlockingRequest.objects.count(),
        Asset.objects.count(),
        Owner.objects.count(),
        SearchKey.objects.count(),
        AuditEvent.objects.filter(action__startswith="blocking.").count(),
    ) == counts
    assert "0 created" in out.getvalue()


def test_demo_covers_the_cases(loaded):
    requests = BlockingRequest.objects.all()
    assert all("Dữ liệu minh hoạ" in r.note for r in requests)
    statuses = set(requests.values_list("status", flat=True))
    assert {
        RequestStatus.ENTERED,
        RequestStatus.APPROVED,
        RequestStatus.PUBLISHED,
        RequestStatus.PARTIALLY_RELEASED,
        RequestStatus.RELEASED,
    } <= statuses
    assert requests.filter(kind=Kind.REFERENCE).exists()
    for r in requests.exclude(approved_by=None):
        assert r.approved_by_id != r.entered_by_id
    ids = list(Owner.objects.values_list("id_number", flat=True))
    assert any(len(i) == 12 and i.startswith("046") for i in ids)
    assert any(len(i) == 9 for i in ids)
    from django.utils import timezone

    overdue = requests.filter(
        status__in=[RequestStatus.ENTERED, RequestStatus.APPROVED], due_at__lt=timezone.now()
    )
    assert overdue.exists()
    assert AuditEvent.objects.filter(action="blocking.enter").count() == 30


def test_notary_finds_a_demo_serial_typed_differently(loaded):
    from django.contrib.auth import get_user_model

    notary = get_user_model().objects.get(username="congchung")
    asset = (
        Asset.objects.filter(
            request__status=RequestStatus.PUBLISHED, request__request_no__startswith="DEMO-"
        )
        .exclude(certificate_serial="")
        .first()
    )
    typed = asset.certificate_serial.replace(" ", "").lower()  # "CS 01234" → "cs01234"
    outcome = run_search(user=notary, query=typed)
    assert asset.pk in [a.pk for a in outcome.assets]
    plate = Asset.objects.filter(request__status=RequestStatus.PUBLISHED).exclude(plate="").first()
    outcome = run_search(user=notary, query=plate.plate.replace("-", " ").replace(".", ""))
    assert plate.pk in [a.pk for a in outcome.assets]
