"""`motcua notary import-transactions`: all-or-nothing, idempotent by (notary_org, contract_no)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command

from motcua.notary.importer import COLUMNS
from motcua.notary.models import Transaction, TxKey


def write(path, rows, columns=COLUMNS):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
    return str(path)


def run(capsys, *args):
    """(exit code, stdout, stderr): the command writes its messages to sys.stderr."""
    capsys.readouterr()
    out = io.StringIO()
    code = 0
    try:
        call_command("notary", *args, stdout=out)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), capsys.readouterr().err


def sale(**extra):
    return {
        "contract_no": "101/2025",
        "contract_date": "2025-05-02",
        "notary_org": "000.00.50.H57",
        "notary_name": "Trần Công Chứng",
        "kind": "sale",
        "asset_type": "land",
        "certificate_serial": "AB 123456",
        "parcel_number": "12",
        "map_sheet": "5",
        "address": "12 Lê Lợi, Huế",
        "parties": "transferor|Nguyễn Văn Bán|046090001234;bên mua|Lê Thị Mua|046190005678",
        **extra,
    }


def test_import_then_again_changes_nothing(tmp_path, offices, capsys):
    path = write(
        tmp_path / "a.csv",
        [
            sale(),
            sale(
                asset_type="vehicle",
                certificate_serial="",
                parcel_number="",
                map_sheet="",
                address="",
                plate="75A-123.45",
            ),  # fmt: skip
            sale(
                contract_no="7/2025",
                notary_org="Văn phòng công chứng Thuận Hóa",
                kind="mortgage",
                parties="mortgagor|Hồ Văn Vay|046090001234",
            ),  # fmt: skip
        ],
    )
    code, out, _err = run(capsys, "import-transactions", path)
    assert code == 0
    assert json.loads(out) | {"seconds": 0} == {
        "rows": 3, "created": 2, "unchanged": 0, "corrected": 0, "seconds": 0,
    }  # fmt: skip
    first = Transaction.objects.get(contract_no="101/2025")
    assert first.assets.count() == 2 and first.source == "import"
    assert Transaction.objects.get(contract_no="7/2025").office == offices["Y"]
    keys = TxKey.objects.count()
    code, out, _err = run(capsys, "import-transactions", path)
    assert code == 0 and json.loads(out)["unchanged"] == 2
    assert Transaction.objects.count() == 2 and TxKey.objects.count() == keys


def test_changed_row_is_a_correction(tmp_path, offices, capsys):
    run(capsys, "import-transactions", write(tmp_path / "a.csv", [sale()]))
    code, out, _err = run(
        capsys,
        "import-transactions",
        write(tmp_path / "b.csv", [sale(certificate_serial="AB 123457")]),
    )
    assert code == 0 and json.loads(out)["corrected"] == 1
    tx = Transaction.objects.get()
    assert tx.version == 2 and tx.revisions.get().before["assets"][0]["certificate_serial"] == (
        "AB 123456"
    )


def test_cancellation_in_the_same_file_before_the_sale(tmp_path, offices, capsys):
    path = write(
        tmp_path / "a.csv",
        [
            sale(contract_no="102/2025", kind="cancellation", cancels="101/2025"),
            sale(),
        ],
    )
    code, _out, err = run(capsys, "import-transactions", path)
    assert code == 0, err
    assert Transaction.objects.get(contract_no="101/2025").status == "cancelled"
    assert run(capsys, "import-transactions", path)[0] == 0  # idempotent


def test_bad_rows_refuse_the_whole_file(tmp_path, offices, capsys):
    path = write(
        tmp_path / "a.csv",
        [
            sale(),
            sale(contract_no="2/2025", kind="theft"),
            sale(contract_no="3/2025", notary_org="nowhere"),
            sale(contract_no="4/2025", parties="transferor|A|12345"),
            sale(contract_no="5/2025", asset_type="land", certificate_serial="", parcel_number=""),
            sale(contract_no="6/2025", contract_date="31/02/2025"),
            sale(contract_no="7/2025", kind="cancellation", cancels="nope"),
        ],
    )
    code, out, err = run(capsys, "import-transactions", path)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == [
        "dòng 3", "dòng 4", "dòng 5", "dòng 6", "dòng 7",
    ]  # fmt: skip
    assert lines[-1].startswith("lỗi: không nhập gì")
    assert not Transaction.objects.exists()
    # The cancellation of an unknown contract is only found while writing: still nothing kept.
    code, _out, err = run(
        capsys,
        "import-transactions",
        write(
            tmp_path / "b.csv",
            [sale(), sale(contract_no="7/2025", kind="cancellation", cancels="nope")],
        ),  # fmt: skip
    )
    assert code == 2 and "dòng 3" in err and not Transaction.objects.exists()


def test_wrong_columns(tmp_path, offices, capsys):
    path = write(tmp_path / "a.csv", [sale()], columns=(*COLUMNS[:-1], "value"))
    code, _out, err = run(capsys, "import-transactions", path)
    assert code == 2 and "cancels" in err and "value" in err


@pytest.mark.parametrize("content", [b"\xff\xfe\x00bad", None])
def test_unreadable_file_one_line(tmp_path, content, capsys):
    path = tmp_path / "x.csv"
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(capsys, "import-transactions", str(path))
    assert code == 2 and out == "" and err.count("\n") == 1


def test_bulk_written_contracts_equal_the_service_path(tmp_path, offices, notaries, capsys):
    """The batch writer builds the same search rows as the services, and the look-up warns."""
    from django.db import transaction

    from motcua.blocking.search import log_search, run_search
    from motcua.notary.services import rebuild_keys

    run(capsys, "import-transactions", write(tmp_path / "a.csv", [sale(), sale(contract_no="2/x",
        kind="mortgage", certificate_serial="ZZ 1")]))  # fmt: skip
    for tx in Transaction.objects.all():
        bulk = sorted(TxKey.objects.filter(transaction_id=tx.pk).values_list("kind", "value"))
        rebuild_keys(tx)
        assert bulk == sorted(
            TxKey.objects.filter(transaction_id=tx.pk).values_list("kind", "value")
        )
        assert tx.updated_seq > 0 and tx.source == "import"
    with transaction.atomic():
        log = log_search(
            user=notaries["notary_y"],
            outcome=run_search(user=notaries["notary_y"], query="ab-123 456"),
        )
    assert [w["code"] for w in log.warnings] == ["prior_transfer"]
    # New rows after a batch get fresh ids (sequences follow the explicit ids).
    from motcua.notary import services as s

    s.transaction_record(
        actor=notaries["notary_x"],
        office=offices["X"],
        data=s.TxInput(
            "9/2025", Transaction.objects.first().contract_date, "lease", "A",
            [s.TxAssetInput("other", {"description": "máy xúc"})],
            [s.PartyInput("lessor", "B")],
        ),
    )  # fmt: skip
    assert Transaction.objects.count() == 3


def test_large_import_rebuilds_the_search_index(tmp_path, offices, monkeypatch):
    """An initial load drops the transactions' search index and builds it after (issue 16:
    the import rate at scale); the rows are found afterwards, the index is back."""
    from django.db import connection

    from motcua.blocking.search import run_search
    from motcua.notary import importer

    monkeypatch.setattr(importer, "REBUILD_INDEX_FROM", 1)
    path = write(
        tmp_path / "a.csv",
        [sale(contract_no=f"{n}/2025", certificate_serial=f"AB 12345{n}") for n in range(3)],
    )
    assert importer.import_transactions(path).created == 3
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TxKey._meta.db_table)
    assert {"notary_key_value", "notary_key_tx"} <= set(constraints)
    outcome = run_search(query="ab 123452", everything_published=True)
    assert [tx.contract_no for tx, _assets in outcome.transactions] == ["2/2025"]
    # Search rows sorted by value before writing: every asset still has all of its own rows.
    assert TxKey.objects.filter(value="ab123451").count() == 1
