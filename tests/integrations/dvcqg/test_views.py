"""The administrator's sync page: superuser only (404 for everyone else), re-send audited."""

from __future__ import annotations

import pytest

from motcua.audit.models import AuditEvent
from motcua.integrations.dvcqg import worker
from motcua.integrations.dvcqg.models import OutboxMessage, OutboxState

from .conftest import receive

pytestmark = pytest.mark.django_db
URL = "/quan-tri/dong-bo-dvcqg/"


@pytest.fixture
def parked(settings, sync_on, personas, procedure):
    settings.MOTCUA_DVCQG_MAX_ATTEMPTS = 1
    sync_on.stop()
    receive(personas, procedure)
    worker.run_once(pull=False)
    message = OutboxMessage.objects.get()
    assert message.state == OutboxState.PARKED
    sync_on.start()
    return message


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.parametrize("who", ["clerk", "leader", "auditor", "citizen1"])
def test_everyone_but_the_administrator_gets_404(client, personas, parked, who):
    client.force_login(personas[who])
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"message": [parked.pk]}).status_code == 404
    parked.refresh_from_db()
    assert parked.state == OutboxState.PARKED


def test_the_administrator_sees_the_queue_and_resends(client, personas, parked):
    client.force_login(personas["admin"])
    page = client.get(URL).content.decode()
    assert "data-parked>1<" in page and "data-pending>0<" in page
    assert f'data-message="{parked.pk}"' in page and "Connection refused" in page
    response = client.post(URL, {"message": [parked.pk]}, follow=True)
    assert response.status_code == 200
    parked.refresh_from_db()
    assert parked.state == OutboxState.PENDING and parked.attempts == 0
    assert AuditEvent.objects.filter(action="dvcqg.resend", actor=personas["admin"]).count() == 1
    assert worker.run_once(pull=False).sent == 1


def test_resend_with_nothing_chosen_changes_nothing(client, personas, parked):
    client.force_login(personas["admin"])
    response = client.post(URL, {}, follow=True)
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="dvcqg.resend").exists()


def test_the_page_says_when_sync_is_off(client, settings, personas):
    settings.MOTCUA_DVCQG_URL = ""
    client.force_login(personas["admin"])
    assert "data-sync-off" in client.get(URL).content.decode()
