"""Pages of a notary organisation: own transactions only (404 otherwise); every notary searches all."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.notary.models import Transaction

SALE = {
    "contract_no": "15/2025/CC",
    "contract_date": "2025-06-02",
    "kind": "sale",
    "notary_name": "Trần Thị Công Chứng",
    "value": "1500000000",
    "asset_type": "land",
    "certificate_serial": "CS 01234",
    "parcel_number": "7",
    "map_sheet": "3",
    "address": "3 Lê Lợi, Huế",
    "parties": "bên bán | Nguyễn Văn Bán | 046090001234\ntransferee | Lê Thị Mua | 046190005678",
}


def post_sale(client, user, office, **extra):
    client.force_login(user)
    return client.post(reverse("notary:enter"), {**SALE, "office": office.pk, **extra})


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("notary:list"))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


@pytest.mark.parametrize("who", ["clerk", "clerk_b", "specialist", "citizen1"])
def test_others_get_404(client, personas, offices, who):
    client.force_login(personas[who])
    assert client.get(reverse("notary:list")).status_code == 404
    assert client.get(reverse("notary:enter")).status_code == 404


def test_notary_records_a_sale(client, notaries, offices):
    response = post_sale(client, notaries["notary_x"], offices["X"])
    tx = Transaction.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "notary:detail", args=[tx.pk]
    )
    assert tx.office == offices["X"] and tx.entered_by == notaries["notary_x"]
    assert [p.role for p in tx.parties.all()] == ["transferor", "transferee"]
    assert tx.assets.get().certificate_serial == "CS 01234"
    assert client.get(reverse("notary:list")).content.decode().count(">15/2025/CC</a>") == 1


def test_clerk_of_the_office_records_and_sees(client, notaries, offices):
    assert post_sale(client, notaries["clerk_x"], offices["X"]).status_code == 302
    tx = Transaction.objects.get()
    assert client.get(reverse("notary:detail", args=[tx.pk])).status_code == 200


def test_other_office_cannot_record_for_x(client, notaries, offices):
    response = post_sale(client, notaries["notary_y"], offices["X"])
    assert response.status_code == 400 and not Transaction.objects.exists()


def test_other_office_gets_404_on_record_and_correction(client, notaries, offices, make_tx):
    tx = make_tx(office="X")
    client.force_login(notaries["notary_y"])
    for name in ("detail", "correct", "scan"):
        assert client.get(reverse(f"notary:{name}", args=[tx.pk])).status_code == 404
    assert client.post(reverse("notary:release", args=[tx.pk])).status_code == 404
    assert tx.pk not in [t.pk for t in client.get(reverse("notary:list")).context["page"]]


def test_every_notary_finds_every_transaction(client, notaries, make_tx, personas):
    make_tx(office="X", serial="CS 01234")
    for user in (notaries["notary_y"], personas["notary"]):
        client.force_login(user)
        body = client.get(reverse("blocking:search"), {"q": "cs-01234"}).content.decode()
        assert 'data-code="prior_transfer"' in body
        assert 'data-record-type="transaction"' in body


def test_search_page_404_for_clerk_of_another_department(client, personas, make_tx):
    make_tx()
    client.force_login(personas["clerk_b"])
    assert client.get(reverse("blocking:search"), {"q": "AB123456"}).status_code == 404


def test_correction_keeps_history(client, notaries, offices):
    post_sale(client, notaries["notary_x"], offices["X"])
    tx = Transaction.objects.get()
    response = client.post(
        reverse("notary:correct", args=[tx.pk]),
        {**SALE, "certificate_serial": "CS 01235", "reason": "gõ nhầm số GCN"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    tx.refresh_from_db()
    assert tx.version == 2
    assert [a.certificate_serial for a in tx.assets.current()] == ["CS 01235"]
    assert tx.assets.count() == 2  # the earlier row is kept, superseded
    revision = tx.revisions.get()
    assert revision.before["assets"][0]["certificate_serial"] == "CS 01234"
    assert revision.reason == "gõ nhầm số GCN"
    # The search follows the correction.
    client.force_login(notaries["notary_y"])
    assert (
        "prior_transfer"
        in client.get(reverse("blocking:search"), {"q": "CS01235"}).content.decode()
    )
    assert (
        "prior_transfer"
        not in client.get(reverse("blocking:search"), {"q": "CS01234"}).content.decode()
    )


def test_correction_needs_a_reason(client, notaries, offices):
    post_sale(client, notaries["notary_x"], offices["X"])
    tx = Transaction.objects.get()
    response = client.post(reverse("notary:correct", args=[tx.pk]), SALE)
    assert response.status_code == 400 and Transaction.objects.get().version == 1


def test_release_mortgage_on_the_page(client, notaries, offices):
    post_sale(client, notaries["notary_x"], offices["X"], kind="mortgage",
              parties="bên thế chấp | Hồ Văn Vay | 046090001234")  # fmt: skip
    tx = Transaction.objects.get()
    client.post(reverse("notary:release", args=[tx.pk]), {"note": "đã tất toán"})
    tx.refresh_from_db()
    assert tx.status == "released" and tx.release_note == "đã tất toán"


def test_bad_party_line_is_a_form_error(client, notaries, offices):
    response = post_sale(client, notaries["notary_x"], offices["X"], parties="người lạ | X")
    assert response.status_code == 400 and not Transaction.objects.exists()


def test_certificate_lists_transactions_and_warnings(client, notaries, make_tx):
    from motcua.blocking.models import SearchLog
    from motcua.blocking.search import verify_digest

    tx = make_tx(office="X", serial="CS 01234")
    client.force_login(notaries["notary_y"])
    client.get(reverse("blocking:search"), {"q": "CS01234"})
    log = SearchLog.objects.get()
    html = client.get(reverse("blocking:certificate", args=[log.pk])).content.decode()
    assert 'id="certificate-warnings"' in html and tx.contract_no in html
    assert 'data-record-type="transaction"' in html
    pdf = client.get(reverse("blocking:certificate", args=[log.pk]), {"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    verify = client.get(reverse("blocking:verify", args=[log.token])).content.decode()
    assert verify_digest(log) and log.digest in verify


def test_search_page_links_to_the_organisation_pages(client, notaries, personas):
    client.force_login(notaries["notary_x"])
    assert reverse("notary:list") in client.get(reverse("blocking:search")).content.decode()
    client.force_login(personas["specialist"])
    assert reverse("notary:list") not in client.get(reverse("blocking:search")).content.decode()
