"""The one look-up over blocks and transactions, and its warnings (issue 16)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from motcua.blocking.search import log_search, outcome_results, run_search
from motcua.notary import services as s
from motcua.notary.errors import NotaryError


def lookup(user, query):
    with transaction.atomic():
        outcome = run_search(user=user, query=query)
        log = log_search(user=user, outcome=outcome)
    return log


def codes(log):
    return sorted(w["code"] for w in log.warnings)


def test_prior_transfer_found_by_serial_typed_differently(make_tx, notaries):
    tx = make_tx(kind="sale", serial="AB 123.456")
    log = lookup(notaries["notary_y"], "ab-123 456")
    assert codes(log) == ["prior_transfer"]
    warning = log.warnings[0]
    assert warning["record"] == tx.contract_no and "AB 123.456" in warning["asset"]
    assert [r["record_type"] for r in log.results] == ["transaction"]
    assert log.results[0]["status"] == "valid" and log.result_count == 1


def test_gift_and_exchange_warn_lease_and_authorisation_do_not(make_tx, notaries):
    make_tx(kind="gift", serial="GG 1")
    make_tx(kind="exchange", serial="EE 1")
    make_tx(kind="lease", serial="LL 1")
    make_tx(kind="authorisation", serial="AU 1")
    assert codes(lookup(notaries["notary_y"], "GG1")) == ["prior_transfer"]
    assert codes(lookup(notaries["notary_y"], "EE1")) == ["prior_transfer"]
    assert codes(lookup(notaries["notary_y"], "LL1")) == []
    assert codes(lookup(notaries["notary_y"], "AU1")) == []


def test_cancelled_sale_no_longer_warns(make_tx, notaries):
    sale = make_tx(kind="sale", serial="CS 01234")
    assert codes(lookup(notaries["notary_y"], "CS01234")) == ["prior_transfer"]
    make_tx(kind="cancellation", serial="CS 01234", cancels=sale.contract_no)
    sale.refresh_from_db()
    assert sale.status == "cancelled" and sale.cancelled_by is not None
    log = lookup(notaries["notary_y"], "CS 01234")
    assert codes(log) == []
    statuses = {r["contract_no"]: r["status"] for r in log.results}
    assert statuses[sale.contract_no] == "cancelled"
    # The history of the cancelled sale is kept (a revision), nothing deleted.
    assert sale.revisions.get().action == "cancelled"


def test_mortgage_warns_until_released(make_tx, notaries):
    mortgage = make_tx(
        kind="mortgage",
        serial="",
        assets=[s.TxAssetInput("vehicle", {"plate": "75A-123.45", "frame_number": "RLHJA1"})],
        parties=[
            s.PartyInput("mortgagor", "Hồ Văn Vay", "046090001234"),
            s.PartyInput("mortgagee", "Ngân hàng TMCP Á Châu", "0301452948", "org_code"),
        ],
    )
    log = lookup(notaries["notary_y"], "75A12345")
    assert codes(log) == ["mortgaged"]
    s.mortgage_release(actor=notaries["notary_x"], tx_id=mortgage.pk, note="đã trả nợ")
    log = lookup(notaries["notary_y"], "75a 123 45")
    assert codes(log) == []
    assert log.results[0]["status"] == "released"


def test_mortgage_cancelled_no_longer_warns(make_tx, notaries):
    mortgage = make_tx(kind="mortgage", serial="MM 777")
    make_tx(kind="cancellation", serial="MM 777", cancels=mortgage.contract_no)
    assert codes(lookup(notaries["notary_y"], "MM777")) == []


def test_active_block_then_transactions_newest_first(make_request, make_tx, notaries):
    request = make_request(serial="AB 999 000", publish=True)
    old = make_tx(kind="mortgage", serial="AB999000", contract_date=date(2024, 1, 5))
    new = make_tx(kind="sale", serial="ab.999.000", contract_date=date(2025, 2, 1))
    log = lookup(notaries["notary_y"], "AB 999000")
    assert [r["record_type"] for r in log.results] == ["block", "transaction", "transaction"]
    assert log.results[0]["request_no"] == request.request_no
    assert [r["contract_no"] for r in log.results[1:]] == [new.contract_no, old.contract_no]
    assert codes(log) == ["active_block", "mortgaged", "prior_transfer"]
    # The block keeps every field it had before (issue 4), plus record_type.
    assert {"request_no", "kind", "status", "owners", "history", "release"} <= set(log.results[0])


def test_released_block_is_history_after_transactions(make_request, make_tx, notaries, officers):
    from motcua.blocking import services as bs

    request = make_request(serial="RB 1", publish=True)
    asset = request.assets.get()
    bs.request_release(
        actor=officers["second"],
        request_id=request.pk,
        asset_ids=[asset.pk],
        document_number="9/GT",
        document_date=date(2025, 4, 1),
    )
    make_tx(kind="lease", serial="RB 1")
    log = lookup(notaries["notary_y"], "RB1")
    assert [r["record_type"] for r in log.results] == ["transaction", "block"]
    assert codes(log) == []


def test_search_by_party_name_and_id(make_tx, notaries):
    tx = make_tx(kind="sale", serial="NN 1")
    assert [r["contract_no"] for r in lookup(notaries["notary_y"], "le thi mua").results] == [
        tx.contract_no
    ]
    assert [r["contract_no"] for r in lookup(notaries["notary_y"], "046 190 005 678").results] == [
        tx.contract_no
    ]


def test_digest_covers_warnings(make_tx, notaries):
    from motcua.blocking.search import verify_digest

    make_tx(kind="sale", serial="DG 1")
    log = lookup(notaries["notary_y"], "DG1")
    assert verify_digest(log)
    log.warnings = []
    assert not verify_digest(log)


def test_outcome_results_without_transactions_are_blocks_only(make_request, notaries):
    make_request(serial="BO 1", publish=True)
    outcome = run_search(user=notaries["notary_y"], query="BO1")
    results, warnings = outcome_results(outcome)
    assert [r["record_type"] for r in results] == ["block"]
    assert [w["code"] for w in warnings] == ["active_block"]


def test_cancellation_of_unknown_contract_refused(make_tx):
    with pytest.raises(NotaryError):
        make_tx(kind="cancellation", cancels="nope/2025")


def test_postgresql_transaction_keys_compare_in_byte_order(db):
    """As the blocks' keys: prefix ranges need the "C" collation on PostgreSQL."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite always compares bytes (BINARY)")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collation_name FROM information_schema.columns "
            "WHERE table_name = 'notary_txkey' AND column_name = 'value'"
        )
        assert cursor.fetchone()[0] == "C"


def test_name_prefix_across_spaces(make_tx, notaries):
    """A full-name prefix range ("nguyen van b" .. ) works on both databases."""
    tx = make_tx(kind="sale", serial="PX 1")
    assert [r["contract_no"] for r in lookup(notaries["notary_y"], "Nguyễn Văn B").results] == [
        tx.contract_no
    ]


def test_advanced_search_by_parcel_finds_transactions(make_tx, notaries):
    tx = make_tx(kind="mortgage", serial="AD 1")
    with transaction.atomic():
        outcome = run_search(
            user=notaries["notary_y"], criteria={"parcel_number": "7", "map_sheet": "3"}
        )
        log = log_search(user=notaries["notary_y"], outcome=outcome)
    assert [r["contract_no"] for r in log.results] == [tx.contract_no]
    assert [w["code"] for w in log.warnings] == ["mortgaged"]


def test_search_api_and_cli_carry_warnings(client, make_tx, notaries, capsys):
    import json

    from django.core.management import call_command

    make_tx(kind="sale", serial="AP 77")
    client.force_login(notaries["notary_y"])
    body = client.get("/api/v1/blocking/search", {"q": "ap-77"}).json()
    assert [w["code"] for w in body["warnings"]] == ["prior_transfer"]
    assert {"code", "asset", "record"} <= set(body["warnings"][0])
    assert body["results"][0]["record_type"] == "transaction"
    call_command("blocking", "search", "AP77", "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert out["warnings"] == [{k: body["warnings"][0][k] for k in ("code", "asset", "record")}]
    assert out["results"][0]["record_type"] == "transaction" and out["result_count"] == 1


def test_many_hits_newest_first_and_counted(make_tx, notaries):
    from datetime import date as d

    made = [
        make_tx(kind="lease", serial=f"MH {i}", contract_date=d(2024, 1, 1 + i)) for i in range(5)
    ]
    outcome = run_search(user=notaries["notary_y"], query="Nguyễn Văn Bán", limit=2)
    results, _warnings = outcome_results(outcome)
    assert outcome.transaction_total == 5
    assert [r["contract_no"] for r in results] == [made[4].contract_no, made[3].contract_no]
