"""Owners' identity documents (DOMAIN §12): type + number on entry, correction, import, search,
export, certificate; existing owners typed by shape (migration 0007)."""

from __future__ import annotations

import csv
import importlib
import io
import json
from datetime import date, datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import translation

from motcua.blocking import services as s
from motcua.blocking.errors import BlockingError
from motcua.blocking.identity import check_owner_identity, owner_text, split_typed, typed
from motcua.blocking.importer import COLUMNS
from motcua.blocking.models import BlockingRequest, Owner
from motcua.blocking.search import log_search, run_search
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db


def owners_asset(*owners, serial="AB 777.001"):
    return [
        s.AssetInput(
            asset_type="land",
            owners=list(owners),
            fields={"certificate_serial": serial, "address": "1 Lê Lợi, Huế"},
        )
    ]


def found(user, query=None, **criteria):
    outcome = run_search(user=user, query=query or "", criteria=criteria or None)
    return [a.request.request_no for a in outcome.assets]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("046090001234", ("cccd", "046090001234")),
        ("191 234 567", ("cmnd", "191234567")),
        ("c1234567", ("passport", "C1234567")),
        ("0100 109 106 001", ("org_code", "0100109106-001")),
        ("passport:123456", ("passport", "123456")),
        ("HC: b7654321", ("passport", "B7654321")),
        ("msdn:0100109106", ("org_code", "0100109106")),
        ("other:Thẻ TT 5", ("other", "Thẻ TT 5")),
        ("khac:AB:12", ("other", "AB:12")),
        ("", ("", "")),
    ],
)
def test_owner_identity_from_prefix_or_shape(raw, expected):
    assert check_owner_identity("", raw) == expected


@pytest.mark.parametrize("raw", ["12345", "cmnd:046090001234", "passport:ABCDEFG", "mst:12345"])
def test_bad_owner_identity_is_refused_with_its_number(raw):
    with translation.override("vi"), pytest.raises(BlockingError) as excinfo:
        check_owner_identity("", raw)
    assert "Số giấy tờ" in str(excinfo.value) or "Số" in str(excinfo.value)
    assert split_typed(raw)[1] in str(excinfo.value)


def test_typed_writes_the_prefix_only_when_the_shape_would_not_give_it():
    assert typed("cccd", "046090001234") == "046090001234"
    assert typed("passport", "C1234567") == "C1234567"
    assert typed("other", "C1234567") == "other:C1234567"
    assert typed("passport", "123456789") == "passport:123456789"
    for kind, number in [
        ("other", "C1234567"),
        ("passport", "123456789"),
        ("org_code", "0100109106"),
    ]:
        assert check_owner_identity("", typed(kind, number)) == (kind, number)


def test_enter_each_type_and_search_across_spellings(make_request, personas):
    r = make_request(
        publish=True,
        assets=owners_asset(
            s.OwnerInput("Công ty TNHH Hương Giang", "0100109106-001"),
            s.OwnerInput("John Smith", "c1234567", 1970),
            s.OwnerInput("Lê Thị Cúc", "191234567", 1960),
            s.OwnerInput("Trần B", "046090001234", 1990, id_type="cccd"),
        ),
    )
    owners = {o.name: (o.id_type, o.id_number) for o in Owner.objects.filter(asset__request=r)}
    assert owners == {
        "Công ty TNHH Hương Giang": ("org_code", "0100109106-001"),
        "John Smith": ("passport", "C1234567"),
        "Lê Thị Cúc": ("cmnd", "191234567"),
        "Trần B": ("cccd", "046090001234"),
    }
    notary = personas["notary"]
    for query in ("0100109106-001", "0100 109 106 001", "0100109106001", "0100.109.106-001"):
        assert found(notary, query) == [r.request_no], query
        assert found(notary, owner_id=query) == [r.request_no], query
    for query in ("c1234567", "C1234567", "C 123 4567"):
        assert found(notary, query) == [r.request_no], query
        assert found(notary, owner_id=query) == [r.request_no], query
    # The branch is not its parent enterprise (exact owner-ID search).
    assert found(notary, owner_id="0100109106") == []


def test_enter_refuses_a_bad_typed_number_and_saves_nothing(make_request):
    with pytest.raises(BlockingError):
        make_request(assets=owners_asset(s.OwnerInput("X", "0100109106-01", id_type="org_code")))
    assert BlockingRequest.objects.count() == 0 and Owner.objects.count() == 0


def test_entry_form_owner_line_with_type_prefix(client, officers, court):
    from .test_views import _entry_post

    client.force_login(officers["enter"])
    data = _entry_post(authority_type=court.pk)
    data["assets-0-owners"] = "John Smith | passport:123456789 | 1970\nCông ty A | 0100109106"
    response = client.post("/ngan-chan/moi/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    r = BlockingRequest.objects.get(request_no="NC-WEB-1")
    assert [(o.id_type, o.id_number) for o in Owner.objects.filter(asset__request=r)] == [
        ("passport", "123456789"),
        ("org_code", "0100109106"),
    ]
    page = client.get(f"/ngan-chan/{r.pk}/").content.decode()
    assert "John Smith (Hộ chiếu 123456789)" in page
    assert "Công ty A (Mã số doanh nghiệp / tổ chức 0100109106)" in page
    # The correction form writes the prefix back where the shape would not give the type.
    edit = client.get(f"/ngan-chan/{r.pk}/sua/").content.decode()
    assert "passport:123456789" in edit


def test_correction_changes_the_type(make_request, officers):
    r = make_request(
        received_at=datetime(2025, 3, 10, 9, 0, tzinfo=TZ),
        assets=owners_asset(s.OwnerInput("John Smith", "123456789")),
    )
    owner = Owner.objects.get(asset__request=r)
    assert (owner.id_type, owner.id_number) == ("cmnd", "123456789")
    data = s.RequestInput(
        request_no=r.request_no,
        kind=r.kind,
        authority_type=r.authority_type,
        authority_name=r.authority_name,
        document_number=r.document_number,
        document_date=r.document_date,
        received_at=r.received_at,
        summary=r.summary,
    )
    s.request_correct(
        actor=officers["enter"],
        request_id=r.pk,
        data=data,
        assets=owners_asset(s.OwnerInput("John Smith", "123456789", id_type="passport")),
    )
    owner.refresh_from_db()
    assert (owner.id_type, owner.id_number) == ("passport", "123456789")


def test_result_export_api_and_certificate_show_the_type(
    client, make_request, personas, officers, tmp_path
):
    r = make_request(
        publish=True, assets=owners_asset(s.OwnerInput("John Smith", "c1234567", 1970))
    )
    outcome = run_search(user=personas["notary"], query="C1234567")
    log = log_search(user=personas["notary"], outcome=outcome)
    assert log.results[0]["owners"][0]["id_type"] == "passport"
    client.force_login(personas["notary"])
    page = client.get(f"/ngan-chan/tra-cuu/{log.pk}/chung-nhan/").content.decode()
    assert "John Smith (Hộ chiếu C1234567)" in page
    client.force_login(officers["leader"])
    detail = client.get(f"/api/v1/blocking/requests/{r.pk}").json()
    assert detail["assets"][0]["owners"][0]["id_type"] == "passport"
    call_command("blocking", "export", "-o", str(tmp_path / "x.jsonl"))
    line = json.loads((tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert line["assets"][0]["owners"][0] == {
        "name": "John Smith",
        "id_type": "passport",
        "id_number": "C1234567",
        "birth_year": 1970,
    }


def test_owner_text():
    with translation.override("en"):
        assert owner_text("A", "passport", "C1") == "A (Passport C1)"
    assert owner_text("A", "", "") == "A"
    assert owner_text("A", "", "123") == "A (123)"


def _write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})


def _row(no, owners):
    return {
        "request_no": no,
        "kind": "blocking",
        "authority": "Chi cục Thi hành án dân sự thành phố Huế",
        "document_number": f"{no}/QĐ-CCTHADS",
        "document_date": "2019-05-06",
        "received_at": "2019-05-07 08:00",
        "asset_type": "land",
        "certificate_serial": f"BK {no}",
        "owners": owners,
        "status": "active",
    }


def test_import_types_old_files_by_shape_and_reads_prefixes(tmp_path, units, personas):
    path = tmp_path / "old.csv"
    _write(
        path,
        [
            _row("L-1", "Nguyen Thi Hoa|191234567;Tran Van Duc|046080001234"),
            _row("L-2", "Cong ty B|msdn:0100109106-001;John Smith|hc:c1234567"),
            _row("L-3", "Ai do|other:GP 12/2019"),
        ],
    )
    out = io.StringIO()
    call_command("blocking", "import", str(path), "--unit", units["A"].code, stdout=out)
    rows = list(
        Owner.objects.order_by("asset__request__request_no", "position").values_list(
            "name", "id_type", "id_number"
        )
    )
    assert rows == [
        ("Nguyen Thi Hoa", "cmnd", "191234567"),
        ("Tran Van Duc", "cccd", "046080001234"),
        ("Cong ty B", "org_code", "0100109106-001"),
        ("John Smith", "passport", "C1234567"),
        ("Ai do", "other", "GP 12/2019"),
    ]
    notary = personas["notary"]
    assert found(notary, "0100 109 106 001") == ["L-2"]
    assert found(notary, owner_id="c1234567") == ["L-2"]


def test_import_bad_typed_number_refuses_the_file(tmp_path, units, capsys):
    path = tmp_path / "old.csv"
    _write(path, [_row("L-1", "A|191234567"), _row("L-2", "B|msdn:12345")])
    with pytest.raises(SystemExit):
        call_command("blocking", "import", str(path), "--unit", units["A"].code)
    assert "dòng 3" in capsys.readouterr().err
    assert BlockingRequest.objects.count() == 0


def test_migration_types_existing_owners_by_shape(make_request):
    r = make_request(
        received_at=datetime(2025, 3, 10, 9, 0, tzinfo=TZ),
        document_date=date(2025, 3, 10),
        assets=owners_asset(
            s.OwnerInput("A", "046090001234"),
            s.OwnerInput("B", "191234567"),
            s.OwnerInput("C", "C1234567"),
            s.OwnerInput("D", ""),
        ),
    )
    rows = Owner.objects.filter(asset__request=r)
    rows.update(id_type="")  # as before migration 0006 added the column
    migration = importlib.import_module("motcua.blocking.migrations.0007_owner_id_type_by_shape")
    migration.type_owners_by_shape(apps, None)
    assert dict(rows.values_list("name", "id_type")) == {
        "A": "cccd",
        "B": "cmnd",
        "C": "other",  # not a shape the old registry accepted: a person checks it
        "D": "",
    }
    migration.type_owners_by_shape(apps, None)  # idempotent
    assert rows.filter(id_type="cccd").count() == 1
