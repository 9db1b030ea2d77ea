"""Procedure search (diacritics-insensitive: name, field, code), procedure pages, guides, FAQ."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from motcua.procedures.models import Field, Procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(procedure, units):
    field = Field.objects.create(code="HTTP", name="Hộ tịch")
    Procedure.objects.create(
        code="DEMO-HT-02",
        name="Đăng ký khai sinh có yếu tố nước ngoài",
        unit=units["A"],
        field=field,
        time_value=Decimal(15),
    )
    Procedure.objects.create(code="OLD-1", name="Thủ tục cũ", unit=units["A"], active=False)
    return field


@pytest.mark.parametrize(
    "query, expected",
    [
        ("ly lich tu phap", ["DEMO-LLTP-01"]),
        ("LÝ LỊCH", ["DEMO-LLTP-01"]),
        ("dang ky khai sinh", ["DEMO-HT-02"]),
        ("Đăng ký", ["DEMO-HT-02"]),
        ("ho tich", ["DEMO-HT-02"]),  # by field
        ("demo-lltp", ["DEMO-LLTP-01"]),  # by code
        ("", ["DEMO-HT-02", "DEMO-LLTP-01"]),
        ("khong co", []),
        ("cu", []),  # inactive procedures are not published
    ],
)
def test_search(client, catalogue, query, expected):
    response = client.get(reverse("portal:procedures"), {"q": query})
    assert response.status_code == 200
    assert sorted(p.code for p in response.context["page"].object_list) == sorted(expected)


def test_search_by_field_filter(client, catalogue):
    response = client.get(reverse("portal:procedures"), {"field": catalogue.pk})
    assert [p.code for p in response.context["page"].object_list] == ["DEMO-HT-02"]
    bad = client.get(reverse("portal:procedures"), {"field": "999999"})
    assert bad.status_code == 400


def test_search_constant_queries(client, catalogue, units, django_assert_max_num_queries):
    for n in range(30):
        Procedure.objects.create(code=f"X-{n}", name=f"Thủ tục {n}", unit=units["A"])
    with django_assert_max_num_queries(4):
        client.get(reverse("portal:procedures"), {"q": "thu tuc"})


def test_procedure_page(client, procedure):
    html = client.get(reverse("portal:procedure", args=[procedure.code])).content.decode()
    assert procedure.name in html
    assert "200.000" in html  # the fee, with the Vietnamese thousands separator
    assert "Tờ khai" in html
    assert reverse("portal:submit", args=[procedure.code]) in html


def test_unknown_or_inactive_procedure_is_404(client, catalogue):
    assert client.get(reverse("portal:procedure", args=["NOPE"])).status_code == 404
    assert client.get(reverse("portal:procedure", args=["OLD-1"])).status_code == 404
    assert client.get(reverse("portal:submit", args=["OLD-1"])).status_code in (302, 404)


@pytest.mark.parametrize(
    "slug", ["tao-tai-khoan", "nop-truc-tuyen", "bo-sung", "tra-cuu", "danh-gia"]
)
def test_guides(client, slug):
    assert client.get(reverse("portal:guide", args=[slug])).status_code == 200


def test_guides_index_faq_and_unknown_guide(client):
    assert client.get(reverse("portal:guides")).status_code == 200
    assert client.get(reverse("portal:faq")).status_code == 200
    assert client.get(reverse("portal:guide", args=["khong-co"])).status_code == 404
