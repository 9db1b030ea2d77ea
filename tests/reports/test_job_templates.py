"""The reminder and escalation emails of the background jobs are administrator-editable message
templates (notifications.MessageTemplate, keys step_reminder and step_overdue)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core import mail

from motcua.notifications.models import Delivery, MessageTemplate
from motcua.reports.jobs import escalate_overdue, remind_steps
from motcua.worktime import TZ

pytestmark = pytest.mark.django_db

BEFORE_DUE = datetime(2024, 3, 6, 13, 0, tzinfo=TZ)  # 3 working hours before (reminder: 4)
AFTER_DUE = datetime(2024, 3, 7, 9, 0, tzinfo=TZ)

# (job, template key, when to run it, who receives it)
JOBS = [
    pytest.param(remind_steps, "step_reminder", BEFORE_DUE, "specialist_a", id="reminder"),
    pytest.param(escalate_overdue, "step_overdue", AFTER_DUE, "leader_a", id="overdue"),
]


@pytest.fixture(autouse=True)
def locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def step(make_dossier, personas, units):
    """Step "Thẩm định" of dossier T-000001, held by specialist_a of unit A, due 16:00 06/03/2024."""
    from motcua.dossiers.models import DossierStep

    dossier = make_dossier(received="2024-03-04T08:00", due="2024-03-08T17:00", status=4)
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


def link(settings, code: str) -> str:
    return f"{settings.MOTCUA_PUBLIC_URL}/ho-so/{code}/"


def expected_default(key: str, code: str, url: str) -> tuple[str, str]:
    """The built-in Vietnamese texts, written out (not computed from defaults.py)."""
    if key == "step_reminder":
        return (
            f"Nhắc việc: hồ sơ {code} đến hạn lúc 16:00 06/03/2024",
            f'Bước "Thẩm định" của hồ sơ {code} (Cấp Phiếu lý lịch tư pháp) được giao cho '
            f"anh/chị, hạn 16:00 06/03/2024.\n\n{url}\n",
        )
    return (
        f"Quá hạn: hồ sơ {code}",
        f'Bước "Thẩm định" của hồ sơ {code} (Cấp Phiếu lý lịch tư pháp) có hạn 16:00 06/03/2024 '
        f"nhưng chưa xong (cán bộ: Trần Văn Minh; đơn vị: Sở Tư pháp).\n\n{url}\n",
    )


def test_new_keys_are_seeded_rows_offered_in_the_admin(client, personas):
    rows = MessageTemplate.objects.filter(key__in=["step_reminder", "step_overdue"])
    assert set(rows.values_list("key", "language", "active")) == {
        ("step_reminder", "vi", True),
        ("step_reminder", "en", True),
        ("step_overdue", "vi", True),
        ("step_overdue", "en", True),
    }
    client.force_login(personas["admin"])
    page = client.get("/admin/notifications/messagetemplate/add/")
    assert page.status_code == 200
    assert b'value="step_reminder"' in page.content and b'value="step_overdue"' in page.content
    row = rows.get(key="step_overdue", language="vi")
    assert client.get(f"/admin/notifications/messagetemplate/{row.pk}/change/").status_code == 200


@pytest.mark.parametrize("seeded", [True, False], ids=["seeded-row", "no-row"])
@pytest.mark.parametrize(("job", "key", "now", "to"), JOBS)
def test_default_text_is_sent(step, settings, job, key, now, to, seeded):
    if not seeded:  # no row at all (deleted by an administrator): the built-in text
        MessageTemplate.objects.filter(key=key).delete()
    code = step.dossier.code
    subject, body = expected_default(key, code, link(settings, code))
    assert job(now).sent == 1
    (message,) = mail.outbox
    assert message.to == [f"{to}@example.org"]
    assert (message.subject, message.body) == (subject, body)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'<a href="{link(settings, code)}"' in html
    delivery = Delivery.objects.get()
    assert (delivery.key, delivery.status, delivery.dossier_id) == (key, "sent", step.dossier_id)
    assert (delivery.subject, delivery.body) == (subject, body)


@pytest.mark.parametrize(("job", "key", "now", "to"), JOBS)
def test_administrator_template_is_used(step, settings, job, key, now, to):
    MessageTemplate.objects.filter(key=key, language="vi").update(
        subject="[{{ unit }}] {{ code }} – {{ due_at }}",
        body_text=(
            "{{ step }}|{{ assignee }}|{{ procedure }}|{{ link }}"
            # Placeholders are plain strings: no way to reach the models behind them.
            "|{{ step.dossier.applicant_name }}{{ dossier.applicant_phone }}{{ assignee.email }}"
        ),
        body_html="<p>{{ code }} <b>{{ step }}</b></p>",
    )
    MessageTemplate.objects.filter(key=key, language="en").update(subject="EN {{ code }}")
    code = step.dossier.code
    assert job(now).sent == 1
    assert job(now).skipped == 1  # still sent once
    (message,) = mail.outbox
    assert message.to == [f"{to}@example.org"]
    assert message.subject == f"[Sở Tư pháp] {code} – 16:00 06/03/2024"
    assert message.body == (
        f"Thẩm định|Trần Văn Minh|Cấp Phiếu lý lịch tư pháp|{link(settings, code)}|"
    )
    assert message.alternatives[0] == (f"<p>{code} <b>Thẩm định</b></p>", "text/html")
    delivery = Delivery.objects.get()
    assert (delivery.key, delivery.subject, delivery.body) == (key, message.subject, message.body)


@pytest.mark.parametrize(("job", "key", "now", "to"), JOBS)
def test_language_follows_the_site_language(step, settings, job, key, now, to):
    settings.LANGUAGE_CODE = "en"
    MessageTemplate.objects.filter(key=key, language="en").update(subject="EN {{ code }}")
    assert job(now).sent == 1
    assert mail.outbox[0].subject == f"EN {step.dossier.code}"


@pytest.mark.parametrize(("job", "key", "now", "to"), JOBS)
def test_inactive_template_is_ignored(step, settings, job, key, now, to):
    MessageTemplate.objects.filter(key=key, language="vi").update(
        subject="NOT THIS {{ code }}", body_text="not this", active=False
    )
    code = step.dossier.code
    assert job(now).sent == 1
    (message,) = mail.outbox
    assert (message.subject, message.body) == expected_default(key, code, link(settings, code))


@pytest.mark.parametrize(
    "broken",
    [
        {"subject": "{% if %}"},
        {"body_text": "{{ code|no_such_filter }}"},
        {"body_text": "{% load static %}{% static 'x' %}"},
        {"body_html": "{% for %}"},
    ],
    ids=["subject", "filter", "library", "html"],
)
@pytest.mark.parametrize(("job", "key", "now", "to"), JOBS)
def test_broken_template_falls_back_and_the_email_is_sent(
    step, settings, caplog, job, key, now, to, broken
):
    MessageTemplate.objects.filter(key=key, language="vi").update(**broken)
    code = step.dossier.code
    with caplog.at_level("ERROR", logger="motcua.notifications"):
        assert job(now).sent == 1
    assert "does not render" in caplog.text
    (message,) = mail.outbox
    assert message.to == [f"{to}@example.org"]
    assert (message.subject, message.body) == expected_default(key, code, link(settings, code))
    assert Delivery.objects.get().status == "sent"
