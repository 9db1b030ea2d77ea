"""Fixtures for the catalogue tests: a richer catalogue and admin clients."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission


@pytest.fixture
def catalogue(units, procedure):
    """The shared 3-day procedure plus a same-day procedure of unit A with a field, and one of B."""
    from motcua.procedures.models import Field, Procedure, ProcedureStep, RequiredDocument

    field = Field.objects.create(code="CT", name="Chứng thực")
    same_day = Procedure.objects.create(
        code="DEMO-CT-01",
        name="Chứng thực bản sao từ bản chính",
        field=field,
        unit=units["A"],
        legal_basis="Nghị định 23/2015/NĐ-CP",
        time_value=Decimal(0),
        time_unit="working_days",
        same_day_cutoff=True,
        fee=Decimal(2000),
        fee_note="2.000 đồng/trang",
        online_level="full",
        supplement_mode="pause",
        calendar_name="hue",
        is_demo=True,
    )
    RequiredDocument.objects.create(
        procedure=same_day, order=1, name="Bản chính", form="original", count=1
    )
    RequiredDocument.objects.create(
        procedure=same_day, order=2, name="=Bản sao", form="copy", count=3, mandatory=False
    )
    ProcedureStep.objects.create(
        procedure=same_day,
        order=1,
        name="Tiếp nhận",
        role="intake_clerk",
        budget_hours=Decimal("0.25"),
    )
    ProcedureStep.objects.create(
        procedure=same_day, order=2, name="Ký", role="leader", budget_hours=Decimal("1.75")
    )
    other = Procedure.objects.create(
        code="B-01",
        name="Thủ tục của Sở Nội vụ",
        unit=units["B"],
        time_value=Decimal("16"),
        time_unit="working_hours",
    )
    return {"A": procedure, "same_day": same_day, "B": other}


@pytest.fixture
def superuser_client(client, personas):
    client.force_login(personas["admin"])
    return client


def staff_with(username: str, *codenames: str, unit=None, role: str = "leader"):
    """A staff user holding the given procedures permissions (and optionally a role in `unit`)."""
    from motcua.orgs.models import Membership

    user = get_user_model().objects.create_user(username, password="pw", is_staff=True)
    for codename in codenames:
        user.user_permissions.add(
            Permission.objects.get(codename=codename, content_type__app_label="procedures")
        )
    if unit is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


def xlsx_edit(content: bytes, edit) -> bytes:
    """Open an exported workbook, let `edit(book)` change it, return the new bytes."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
