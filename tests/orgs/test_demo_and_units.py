"""Demo organisation and catalogue loaders; the 2025 merger as predecessors/successors; unit admin."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, Sum

from motcua.audit.models import AuditEvent, PersonalDataAccess
from motcua.orgs import demo as orgs_demo
from motcua.orgs.models import Membership, Unit
from motcua.procedures import demo as procedures_demo
from motcua.procedures.deadlines import budget_limit_hours
from motcua.procedures.models import Procedure, ProcedureStep, RequiredDocument

pytestmark = pytest.mark.django_db


def counts():
    return (
        Unit.objects.count(),
        Membership.objects.count(),
        get_user_model().objects.count(),
        Procedure.objects.count(),
        ProcedureStep.objects.count(),
        RequiredDocument.objects.count(),
    )


@pytest.fixture
def demo():
    out = io.StringIO()
    orgs_demo.load(out)
    procedures_demo.load(out)
    return out.getvalue()


def test_demo_loaders_are_idempotent(demo):
    assert "WARNING" in demo and "demo" in demo
    first = counts()
    out = io.StringIO()
    orgs_demo.load(out)
    procedures_demo.load(out)
    assert counts() == first
    assert "WARNING: created" not in out.getvalue()


def test_demo_catalogue_has_fifteen_procedures_with_steps(demo):
    procedures = Procedure.objects.annotate(
        n_steps=Count("steps", distinct=True), n_docs=Count("documents", distinct=True)
    )
    assert procedures.count() >= 15
    for p in procedures:
        assert p.is_demo and p.code.startswith("DEMO-")
        assert p.n_steps == 4 and p.n_docs >= 1
        assert p.unit.code == "000.00.12.H57" and p.legal_basis
    for p in Procedure.objects.select_related("unit"):
        total = p.steps.aggregate(total=Sum("budget_hours"))["total"]
        assert total == budget_limit_hours(p), p.code
    blocking = Procedure.objects.get(name__startswith="Tiếp nhận, cập nhật, giải tỏa")
    assert (blocking.time_unit, blocking.time_value) == ("working_hours", Decimal(16))
    record = Procedure.objects.get(code="DEMO-LLTP-01")
    assert (record.time_unit, record.time_value, record.fee) == ("working_days", 10, 200000)
    certification = Procedure.objects.get(code="DEMO-CT-01")
    assert certification.same_day_cutoff and certification.time_value == 0


def test_demo_staff_can_log_in_and_belong_to_the_department(client, demo):
    doj = Unit.objects.get(code="000.00.12.H57")
    roles = dict(Membership.objects.filter(unit=doj).values_list("user__username", "role"))
    assert roles == {
        "tiepnhan": "intake_clerk",
        "chuyenvien": "specialist",
        "lanhdao": "leader",
        "kiemsoat": "auditor",
        "congchung": "notary",
        "caicach": "reform_officer",
    }
    assert client.login(username="tiepnhan", password="demo")


def test_the_2025_merger_is_navigable(demo):
    agriculture = Unit.objects.get(code="000.00.15.H57")
    environment = Unit.objects.get(code="000.00.16.H57")
    merged = Unit.objects.get(code="000.00.30.H57")
    assert agriculture.valid_to == date(2025, 2, 28) and merged.valid_from == date(2025, 3, 1)
    assert agriculture.successor_root() == merged
    assert environment.successor_root() == merged
    assert merged.successor_root() == merged
    assert set(merged.predecessors.values_list("code", flat=True)) == {
        "000.00.15.H57",
        "000.00.16.H57",
    }
    doj = Unit.objects.get(code="000.00.12.H57")
    assert doj.children.count() >= 5 and doj.successor_root() == doj


def test_successor_root_follows_chains_and_survives_cycles(db):
    a = Unit.objects.create(code="000.00.90.H57", name="A")
    b = Unit.objects.create(code="000.00.91.H57", name="B")
    c = Unit.objects.create(code="000.00.92.H57", name="C")
    b.predecessors.add(a)
    c.predecessors.add(b)
    assert a.successor_root() == c
    a.predecessors.add(c)  # a bad cycle entered by mistake must not hang
    assert a.successor_root() in {a, b, c}


# --- admin ----------------------------------------------------------------------------------------
@pytest.fixture
def su(client, personas):
    client.force_login(personas["admin"])
    return client


def test_unit_changelist_filters_by_validity(su, demo):
    r = su.get("/admin/orgs/unit/?validity=ended")
    body = r.content.decode()
    assert r.status_code == 200
    assert "000.00.15.H57" in body and "000.00.16.H57" in body and "000.00.30.H57" not in body


def test_unit_change_page_shows_the_successor(su, demo):
    unit = Unit.objects.get(code="000.00.15.H57")
    r = su.get(f"/admin/orgs/unit/{unit.pk}/change/")
    assert r.status_code == 200 and "000.00.30.H57" in r.content.decode()


def test_unit_cannot_be_its_own_predecessor(su, units):
    a = units["A"]
    r = su.post(
        f"/admin/orgs/unit/{a.pk}/change/",
        {
            "code": a.code,
            "name": a.name,
            "short_name": a.short_name,
            "kind": "department",
            "parent": "",
            "calendar_name": "hue",
            "valid_from": "",
            "valid_to": "",
            "predecessors": [str(a.pk)],
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert r.status_code == 200
    assert not a.predecessors.exists()


def test_unit_with_a_bad_agency_code_is_refused(su, db):
    r = su.post(
        "/admin/orgs/unit/add/",
        {
            "code": "12.H57",
            "name": "Sai mã",
            "kind": "department",
            "calendar_name": "hue",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert r.status_code == 200 and not Unit.objects.filter(name="Sai mã").exists()


def test_membership_added_in_the_admin_is_audited(su, personas, units):
    r = su.post(
        "/admin/orgs/membership/add/",
        {"user": str(personas["citizen1"].pk), "unit": str(units["B"].pk), "role": "specialist"},
    )
    assert r.status_code == 302
    assert Membership.objects.filter(user=personas["citizen1"], unit=units["B"]).exists()
    assert AuditEvent.objects.filter(action="membership.create").count() == 1


def test_staff_without_permission_cannot_open_org_admin(client, db):
    user = get_user_model().objects.create_user("bare", password="pw", is_staff=True)
    client.force_login(user)
    for url in ("/admin/orgs/unit/", "/admin/orgs/membership/", "/admin/accounts/citizenprofile/"):
        assert client.get(url).status_code == 403


def test_viewing_a_citizen_profile_is_logged(su, personas):
    from motcua.accounts.models import CitizenProfile

    profile = CitizenProfile.objects.create(
        user=personas["citizen1"],
        full_name="Nguyễn Văn A",
        id_number="046090001234",
        phone="0912345678",
    )
    r = su.get("/admin/accounts/citizenprofile/")
    body = r.content.decode()
    assert r.status_code == 200 and "046090001234" not in body and "1234" in body
    assert not PersonalDataAccess.objects.exists()
    r = su.get(f"/admin/accounts/citizenprofile/{profile.pk}/change/")
    assert r.status_code == 200
    access = PersonalDataAccess.objects.get()
    assert access.who == personas["admin"] and access.subject_id == str(profile.pk)


def test_user_admin_shows_memberships(su, personas):
    r = su.get(f"/admin/auth/user/{personas['clerk'].pk}/change/")
    assert r.status_code == 200 and "memberships" in r.content.decode()
