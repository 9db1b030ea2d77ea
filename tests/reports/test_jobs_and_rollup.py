"""Background jobs (reminders, escalation, monthly figures) and the stored monthly figures
equal to the raw computation (hypothesis property test)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.worktime import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_step(make_dossier, personas, units):
    from motcua.dossiers.models import DossierStep

    dossier = make_dossier(received="2024-03-04T08:00", due="2024-03-08T17:00", status=4)
    personas["specialist"].email = "specialist@example.org"
    personas["specialist"].save()
    personas["leader"].email = "leader@example.org"
    personas["leader"].save()
    step = DossierStep.objects.create(
        dossier=dossier,
        order=2,
        name="Thẩm định",
        role="specialist",
        unit=units["A"],
        assignee=personas["specialist"],
        started_at=datetime(2024, 3, 4, 8, 0, tzinfo=TZ),
        due_at=datetime(2024, 3, 6, 16, 0, tzinfo=TZ),
    )
    dossier.current_step = step
    dossier.save(update_fields=["current_step"])
    return step


def test_reminder_once_before_the_due_time(open_step, settings):
    from motcua.notifications.models import Delivery
    from motcua.reports.jobs import remind_steps

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    too_early = datetime(2024, 3, 5, 9, 0, tzinfo=TZ)  # 7 working hours before
    assert remind_steps(too_early).sent == 0
    now = datetime(2024, 3, 6, 13, 0, tzinfo=TZ)  # 3 working hours before (default 4)
    assert remind_steps(now).sent == 1
    assert remind_steps(now).skipped == 1  # idempotent: not sent twice
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["specialist@example.org"]
    assert open_step.dossier.code in mail.outbox[0].subject
    assert Delivery.objects.filter(key="step_reminder", status="sent").count() == 1


def test_escalation_to_leaders_once(open_step, settings):
    from motcua.reports.jobs import escalate_overdue

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    before = datetime(2024, 3, 6, 15, 0, tzinfo=TZ)
    assert escalate_overdue(before).sent == 0
    after = datetime(2024, 3, 7, 9, 0, tzinfo=TZ)
    assert escalate_overdue(after).sent == 1
    assert escalate_overdue(after).skipped == 1
    (message,) = mail.outbox
    assert message.to == ["leader@example.org"] and "Thẩm định" in message.body


def test_failed_send_is_logged_and_retried(open_step, settings):
    from motcua.notifications.models import Delivery
    from motcua.reports.jobs import escalate_overdue

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    after = datetime(2024, 3, 7, 9, 0, tzinfo=TZ)
    assert escalate_overdue(after).failed == 1
    assert Delivery.objects.filter(key="step_overdue", status="failed").exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert escalate_overdue(after).sent == 1


def test_commands(open_step, settings, capsys):
    import json

    from motcua.reports.models import MonthlyReport

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("report", "monthly", "--month", "2024-03", "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert out == {"months": ["2024-03"], "rows": 2}
    call_command("report", "monthly", "--month", "2024-03")  # idempotent: rewritten in place
    assert MonthlyReport.objects.count() == 2
    call_command("report", "monthly", "--from-month", "2024-01", "--month", "2024-02", "--enqueue")
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.count() == 2
    call_command("report", "remind", "--format", "json")
    assert "sent" in json.loads(capsys.readouterr().out.splitlines()[-1])


@pytest.mark.parametrize(
    "bad", [["--month", "2024-13"], ["--from-month", "2024-05", "--month", "2024-01"]]
)
def test_monthly_bad_input(bad, capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("report", "monthly", *bad)
    assert exc.value.code != 0
    assert capsys.readouterr().out == ""


# --- rollups equal the raw computation ---------------------------------------------------------
MONTH = date(2024, 5, 1)
BASE = datetime(2024, 4, 1, 8, 0, tzinfo=TZ)

dossier_strategy = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(["A", "B"]),
        "received": st.integers(0, 24 * 60),  # hours after 1 April
        "due_after": st.integers(1, 400),
        "outcome": st.sampled_from(["open", "settled", "withdrawn", "refused"]),
        "took": st.integers(0, 600),
        "channel": st.sampled_from(["online", "counter", "post"]),
        "phone": st.booleans(),
    }
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(dossier_strategy, max_size=25))
def test_stored_month_equals_raw(rows, units, procedure):
    from motcua.dossiers.models import Dossier
    from motcua.reports.dashboard import monthly_rates
    from motcua.reports.index766 import (
        INDICATORS,
        compute_index,
        index_from_counts,
        period_counts,
    )
    from motcua.reports.models import MonthlyReport
    from motcua.reports.ontime import COUNT_FIELDS, compute_ontime, profile_rules
    from motcua.reports.rollup import procedure_counts, store_month, stored

    Dossier.objects.all().delete()
    MonthlyReport.objects.all().delete()
    for i, r in enumerate(rows):
        received = BASE + timedelta(hours=r["received"])
        end = received + timedelta(hours=r["took"])
        status, finished, closed = 4, None, None
        if r["outcome"] == "settled":
            status, finished = 10, end
        elif r["outcome"] in ("withdrawn", "refused"):
            status, closed = (7 if r["outcome"] == "withdrawn" else 3), end
        Dossier.objects.create(
            code=f"H-{i}",
            procedure=procedure,
            unit=units[r["unit"]],
            channel=r["channel"],
            status=status,
            applicant_name="A",
            applicant_phone="0905123456" if r["phone"] else "",
            received_at=received,
            submitted_at=received,
            due_at=received + timedelta(hours=r["due_after"]),
            finished_at=finished,
            closed_at=closed,
        )
    store_month(MONTH)
    rules = profile_rules()
    # Stored under the default profile: another profile's figures are not read as these.
    assert stored([MONTH], None, profile_rules("national")) == {}
    for scope in (None, [units["A"].pk], [units["A"].pk, units["B"].pk]):
        summed = stored([MONTH], scope, rules)[MONTH]
        raw = compute_ontime(
            MONTH,
            date(2024, 5, 31),
            units=None if scope is None else [u for u in units.values() if u.pk in scope],
        )
        assert summed["ontime"] == {k: getattr(raw, k) for k in COUNT_FIELDS}
        # The stored 766 counts add up to the raw counts, and give the same index.
        last = date(2024, 5, 31)
        assert summed["index"] == period_counts(MONTH, last, scope)[None]
        live = compute_index(MONTH, last, unit_ids=scope)
        from_store = index_from_counts(MONTH, last, summed["index"])
        assert [(r.indicator.id, r.value, r.score) for r in from_store.results if not r.manual] == [
            (r.indicator.id, r.value, r.score) for r in live.results if not r.manual
        ]
        (rate,) = monthly_rates([MONTH], unit_ids=scope)
        per_proc = procedure_counts(MONTH, unit_ids=scope)
        assert sum(s for s, _ok in per_proc.values()) == rate.settled
        assert sum(v[0] for v in summed["procedures"].values()) == rate.settled
        assert sum(v[1] for v in summed["procedures"].values()) == rate.early_or_on_time
    assert len(INDICATORS) == 20


def test_dashboard_reads_stored_months(client, personas, make_dossier, time_machine):
    """A stored month is used as stored (here deliberately different from the raw data)."""
    from motcua.reports.models import MonthlyReport
    from motcua.reports.rollup import store_month

    time_machine.move_to(datetime(2024, 6, 10, 10, 0, tzinfo=TZ))
    make_dossier(
        received="2024-05-06T09:00", due="2024-05-08T09:00", finished="2024-05-09T09:00", status=10
    )
    client.force_login(personas["leader"])
    live = client.get("/bao-cao/").content.decode()
    store_month(MONTH)
    assert client.get("/bao-cao/").content.decode().count("0,0") == live.count("0,0")
    row = MonthlyReport.objects.get(month=MONTH, unit=personas["leader"].memberships.get().unit)
    # The monthly rate is read from the stored per-procedure counts (results only).
    for key in row.figures["procedures"]:
        row.figures["procedures"][key] = [1, 1]
    row.save()
    html = client.get("/bao-cao/").content.decode()
    assert "05/2024: 1 of 1 settled early or on time" in html or "05/2024: 1 / 1" in html
