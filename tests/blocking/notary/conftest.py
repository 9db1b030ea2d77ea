"""Fixtures of the notarized transactions (the blocking fixtures apply too): two notary
organisations with a notary and a clerk each, and a helper recording a transaction."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture
def offices(db):
    from motcua.orgs.models import Unit

    return {
        "X": Unit.objects.create(
            code="000.00.50.H57", name="Văn phòng công chứng Phú Xuân", kind="notary_office"
        ),
        "Y": Unit.objects.create(
            code="000.00.51.H57", name="Văn phòng công chứng Thuận Hóa", kind="notary_office"
        ),
    }


@pytest.fixture
def notaries(offices):
    from django.contrib.auth import get_user_model

    from motcua.orgs.models import Membership

    users = {}
    for name, office, role in (
        ("notary_x", "X", "notary"),
        ("clerk_x", "X", "intake_clerk"),
        ("notary_y", "Y", "notary"),
    ):
        user = get_user_model().objects.create_user(name, f"{name}@example.org", "pw")
        Membership.objects.create(user=user, unit=offices[office], role=role)
        users[name] = user
    return users


@pytest.fixture
def make_tx(offices, notaries):
    """record(…) → a transaction of office X (by default) recorded by its notary."""
    from motcua.notary import services as s

    counter = {"n": 0}

    def make(
        *,
        kind="sale",
        serial="AB 123456",
        office="X",
        actor=None,
        contract_no=None,
        contract_date=date(2025, 6, 2),
        parties=None,
        assets=None,
        cancels="",
    ):
        counter["n"] += 1
        data = s.TxInput(
            contract_no=contract_no or f"{counter['n']}/2025/CC-SCC/HĐGD",
            contract_date=contract_date,
            kind=kind,
            notary_name="Trần Thị Công Chứng",
            assets=assets
            if assets is not None
            else [
                s.TxAssetInput(
                    "land",
                    {"certificate_serial": serial, "parcel_number": "7", "map_sheet": "3"},
                )
            ],
            parties=parties
            if parties is not None
            else [
                s.PartyInput("transferor", "Nguyễn Văn Bán", "046090001234"),
                s.PartyInput("transferee", "Lê Thị Mua", "046190005678"),
            ],
            cancels=cancels,
        )
        who = actor or notaries["notary_x" if office == "X" else "notary_y"]
        return s.transaction_record(actor=who, office=offices[office], data=data)

    return make
