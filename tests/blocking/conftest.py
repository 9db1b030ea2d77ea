"""Fixtures of the blocking registry: a second specialist of unit A and a helper to enter requests."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from motcua.worktime import TZ


@pytest.fixture(autouse=True)
def blocking_procedure(request):
    """The catalogue's blocking procedure (16 working hours, DOMAIN §11) for every test with units:
    the registry reads its service time from it."""
    if "units" not in request.fixturenames:
        return None
    from decimal import Decimal

    from motcua.procedures.models import Procedure

    units = request.getfixturevalue("units")
    procedure, _created = Procedure.objects.get_or_create(
        code="DEMO-NC-01",
        defaults={
            "name": "Tiếp nhận, cập nhật, giải tỏa thông tin ngăn chặn",
            "unit": units["A"],
            "time_value": Decimal(16),
            "time_unit": "working_hours",
            "online_level": "none",
        },
    )
    return procedure


@pytest.fixture
def officers(personas, units):
    """specialist_a (enters), a second specialist (may approve), the leader."""
    from django.contrib.auth import get_user_model

    from motcua.orgs.models import Membership

    second = get_user_model().objects.create_user("specialist_a2", "s2@example.org", "pw")
    Membership.objects.create(user=second, unit=units["A"], role="specialist")
    return {"enter": personas["specialist"], "second": second, "leader": personas["leader"]}


@pytest.fixture
def court(db):
    import importlib

    from django.apps import apps

    from motcua.blocking.models import AuthorityType

    # The migration's seed again (idempotent): a transactional test that ran before (the e2e
    # tests) flushes every table, the rows seeded by migrations included.
    importlib.import_module("motcua.blocking.migrations.0002_seed_authority_types").seed(apps, None)
    return AuthorityType.objects.get(code="court")


@pytest.fixture
def make_request(units, officers, court):
    """enter(…) → a request of unit A entered by specialist_a (optionally approved and published)."""
    from motcua.blocking import services as s

    counter = {"n": 0}

    def make(
        *,
        serial="AB 123.456",
        owner="Nguyễn Văn Đức",
        id_number="046090001234",
        kind="blocking",
        authority="Tòa án nhân dân thành phố Huế",
        document_number=None,
        document_date=date(2025, 3, 10),
        received_at=datetime(2025, 3, 10, 9, 0, tzinfo=TZ),
        assets=None,
        publish=False,
        authority_type=None,
        unit=None,
    ):
        counter["n"] += 1
        n = counter["n"]
        data = s.RequestInput(
            request_no=f"NC-{n:04d}",
            kind=kind,
            authority_type=authority_type or court,
            authority_name=authority,
            document_number=document_number or f"{n}/2025/QĐ-BPKCTT",
            document_date=document_date,
            received_at=received_at,
            summary="Quyết định áp dụng biện pháp khẩn cấp tạm thời",
        )
        assets = assets or [
            s.AssetInput(
                asset_type="land",
                owners=[s.OwnerInput(owner, id_number, 1990)],
                fields={
                    "certificate_serial": serial,
                    "parcel_number": "12",
                    "map_sheet": "5",
                    "address": "12 Lê Lợi, phường Phú Hội, Huế",
                },
            )
        ]
        request = s.request_enter(
            actor=officers["enter"], unit=unit or units["A"], data=data, assets=assets
        )
        if publish:
            s.request_approve(actor=officers["second"], request_id=request.pk)
            s.request_publish(actor=officers["second"], request_id=request.pk)
            request.refresh_from_db()
        return request

    return make
