"""Sync with the national notarization database: idempotent by sync ID, never duplicating what the
province already has (issue 16)."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from django.core.management import call_command
from django.db import transaction

from motcua.blocking.export import write_export as write_blocks
from motcua.blocking.models import BlockingRequest, SearchKey
from motcua.blocking.search import log_search, run_search
from motcua.notary.models import Transaction
from motcua.notary.national import SyncFailed, sync_national
from motcua.notary.national import write_export as write_transactions


def lines_of(writer) -> list[dict]:
    handle = io.StringIO()
    writer(handle)
    return [json.loads(x) for x in handle.getvalue().splitlines()]


def write(tmp_path, lines, name="qg.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    return str(path)


def lookup(user, query):
    with transaction.atomic():
        return log_search(user=user, outcome=run_search(user=user, query=query))


def national_block(**extra):
    sid = str(uuid.uuid4())
    asset_id, release_id = str(uuid.uuid4()), str(uuid.uuid4())
    line = {
        "type": "blocking_request",
        "sync_id": sid,
        "seq": 1,
        "kind": "blocking",
        "authority_type": "court",
        "authority": "Tòa án nhân dân tỉnh Quảng Trị",
        "document_number": "3/2025/QĐ-BPKCTT",
        "document_date": "2025-02-01",
        "received_at": "2025-02-01T09:00:00+07:00",
        "published_at": "2025-02-02T09:00:00+07:00",
        "releases": [],
        "assets": [
            {
                "sync_id": asset_id,
                "asset_type": "land",
                "certificate_serial": "QT 000111",
                "owners": [{"name": "Phan Văn Tỉnh", "id_number": "045090001234"}],
            }
        ],
    }
    line.update(extra)
    return line, asset_id, release_id


def national_sale(**extra):
    return {
        "type": "notarized_transaction",
        "sync_id": str(uuid.uuid4()),
        "notary_org": "000.00.70.H45",
        "notary_org_name": "Văn phòng công chứng Đông Hà",
        "contract_no": "88/2025",
        "contract_date": "2025-03-01",
        "notary_name": "Lê Công Chứng",
        "kind": "sale",
        "value": "2000000000",
        "assets": [{"asset_type": "land", "certificate_serial": "QT 000222"}],
        "parties": [{"role": "transferor", "name": "Phan Văn Bán", "id_number": "045090001234"}],
        **extra,
    }


def test_own_records_coming_back_are_not_duplicated(tmp_path, units, make_request, make_tx):
    make_request(publish=True)
    make_tx(kind="sale")
    lines = lines_of(write_blocks) + lines_of(write_transactions)
    assert {x["type"] for x in lines} == {"blocking_request", "notarized_transaction"}
    summary = sync_national(write(tmp_path, lines), unit=units["A"])
    assert (summary.blocks_known, summary.transactions_known) == (1, 1)
    assert (summary.blocks_created, summary.transactions_created) == (0, 0)
    assert BlockingRequest.objects.count() == 1 and Transaction.objects.count() == 1


def test_new_national_records_are_imported_once_and_searchable(tmp_path, units, court, notaries):
    block, _a, _r = national_block()
    sale = national_sale()
    path = write(tmp_path, [block, sale])
    first = sync_national(path, unit=units["A"])
    assert (first.blocks_created, first.transactions_created) == (1, 1)
    again = sync_national(path, unit=units["A"])
    assert (again.blocks_created, again.transactions_created) == (0, 0)
    assert BlockingRequest.objects.count() == 1 and Transaction.objects.count() == 1
    request = BlockingRequest.objects.get()
    assert str(request.sync_id) == block["sync_id"] and request.from_national
    assert request.status == "published" and SearchKey.objects.filter(request=request).exists()
    tx = Transaction.objects.get()
    assert tx.source == "national" and tx.national_id == sale["sync_id"]
    assert tx.office.is_historical and tx.office.kind == "notary_office"
    assert [w["code"] for w in lookup(notaries["notary_y"], "QT000111").warnings] == [
        "active_block"
    ]
    assert [w["code"] for w in lookup(notaries["notary_y"], "qt 000 222").warnings] == [
        "prior_transfer"
    ]


def test_same_document_entered_here_is_not_duplicated(tmp_path, units, make_request):
    make_request(
        publish=True,
        authority="Tòa án nhân dân tỉnh Quảng Trị",
        document_number="3/2025/QĐ-BPKCTT",
        document_date=__import__("datetime").date(2025, 2, 1),
    )
    block, _a, _r = national_block()
    summary = sync_national(write(tmp_path, [block]), unit=units["A"])
    assert summary.blocks_known == 1 and BlockingRequest.objects.count() == 1


def test_national_release_is_applied(tmp_path, units, court, notaries):
    block, asset_id, release_id = national_block()
    sync_national(write(tmp_path, [block]), unit=units["A"])
    block["releases"] = [
        {
            "sync_id": release_id,
            "document_number": "9/2025/QĐ-HBBPKCTT",
            "document_date": "2025-04-01",
        }
    ]
    block["assets"][0]["released_by"] = release_id
    summary = sync_national(write(tmp_path, [block], "b.jsonl"), unit=units["A"])
    assert summary.releases_added == 1
    assert BlockingRequest.objects.get().status == "released"
    assert lookup(notaries["notary_y"], "QT000111").warnings == []
    assert sync_national(write(tmp_path, [block], "c.jsonl"), unit=units["A"]).releases_added == 0


def test_national_cancellation_cancels(tmp_path, units, notaries):
    sale = national_sale()
    cancel = national_sale(
        sync_id=str(uuid.uuid4()), contract_no="89/2025", kind="cancellation", cancels="88/2025"
    )
    sync_national(write(tmp_path, [cancel, sale]), unit=units["A"])
    assert Transaction.objects.get(contract_no="88/2025").status == "cancelled"
    assert lookup(notaries["notary_y"], "QT000222").warnings == []


def test_bad_line_nothing_written(tmp_path, units, court):
    block, _a, _r = national_block()
    with pytest.raises(SyncFailed) as exc:
        sync_national(write(tmp_path, [block, {"type": "x", "sync_id": "nope"}]), unit=units["A"])
    assert exc.value.errors[0].startswith("dòng 2")
    bad_sale = national_sale(kind="theft")
    with pytest.raises(SyncFailed):
        sync_national(write(tmp_path, [block, bad_sale], "b.jsonl"), unit=units["A"])
    assert not BlockingRequest.objects.exists() and not Transaction.objects.exists()


def test_commands(tmp_path, units, make_tx, capsys):
    make_tx()
    out = tmp_path / "tx.jsonl"
    call_command("notary", "export", "-o", str(out))
    assert "1 dòng" in capsys.readouterr().err
    stdout = io.StringIO()
    call_command("notary", "sync-national", str(out), "--unit", units["A"].code, stdout=stdout)
    assert json.loads(stdout.getvalue())["transactions_known"] == 1
    with pytest.raises(SystemExit) as exc:
        call_command("notary", "sync-national", str(tmp_path / "none"), "--unit", units["A"].code)
    assert exc.value.code == 2
