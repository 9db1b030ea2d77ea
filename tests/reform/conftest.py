"""Reform fixtures: reform officers of units A and B, an evaluator, a small scheme."""

from __future__ import annotations

from decimal import Decimal

import pytest
from real_files import real_image, real_pdf

D = Decimal


@pytest.fixture
def reform_people(personas, units):
    from django.contrib.auth import get_user_model

    from motcua.orgs.models import Membership

    user_model = get_user_model()

    def make(username, unit, role):
        user = user_model.objects.create_user(username, f"{username}@example.org", "pw")
        Membership.objects.create(user=user, unit=unit, role=role)
        return user

    return {
        **personas,
        "officer_a": make("officer_a", units["A"], "reform_officer"),
        "officer_b": make("officer_b", units["B"], "reform_officer"),
        "evaluator": make("evaluator", units["B"], "evaluator"),
    }


@pytest.fixture
def scheme(db):
    """An open 2024 departments scheme: 2 fields (60 + 40 survey) plus bonus and penalty."""
    from motcua.reform.models import Item, Scheme
    from motcua.reform.services import ensure_default_bands

    s = Scheme.objects.create(year=2024, block="department", status="open", name="test")
    ensure_default_bands(s)
    rows = [
        ("1", None, "Chỉ đạo, điều hành", "regular", "60"),
        ("1.1", "1", "Kế hoạch", "regular", "20"),
        ("1.2", "1", "Báo cáo", "regular", "30"),
        ("1.2.1", "1.2", "Báo cáo quý", "regular", "10"),
        ("1.2.2", "1.2", "Báo cáo năm", "regular", "20"),
        ("1.3", "1", "Tự chủ tài chính", "regular", "10"),
        ("2", None, "Điều tra xã hội học", "survey", "40"),
        ("2.1", "2", "Hài lòng", "survey", "40"),
        ("T", None, "Thưởng", "bonus", "2"),
        ("K", None, "Trừ", "penalty", "3"),
    ]
    items = {}
    for order, (code, parent, title, kind, mx) in enumerate(rows, start=1):
        items[code] = Item.objects.create(
            scheme=s,
            parent=items.get(parent),
            code=code,
            title=title,
            kind=kind,
            max_points=D(mx),
            order=order,
        )
    s.item_map = items
    return s


PDF = real_pdf()
PNG = real_image("PNG")
