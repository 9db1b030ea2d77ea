"""Emails link to pages their recipient can open, at the configured public address (issue 14).

A counter applicant has no account: the public tracking page with the code filled in and the
rating page, never "My dossiers" or a staff print page; an applicant with an account gets their
dossier. Real email through Django's test outbox; the links are then opened with the test client.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from motcua.core.management.commands.demo import public_url_for
from motcua.dossiers.services import Applicant, DocumentLine, dossier_receive, dossier_transition

pytestmark = pytest.mark.django_db

PUBLIC = "https://motcua.example.gov.vn"


def links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def _counter_dossier(personas, procedure):
    return dossier_receive(
        actor=personas["clerk"],
        procedure=procedure,
        applicant=Applicant(
            name="Trần Thị Bình",
            id_number="046190001234",
            phone="0914567890",
            email="binh@example.org",
        ),
        documents=[DocumentLine("Tờ khai", "original")],
    )


def test_counter_applicant_gets_links_they_can_open(
    personas, procedure, settings, django_capture_on_commit_callbacks
):
    settings.MOTCUA_PUBLIC_URL = PUBLIC
    with django_capture_on_commit_callbacks(execute=True):
        dossier = _counter_dossier(personas, procedure)
    receipt = mail.outbox[-1]
    assert receipt.to == ["binh@example.org"]
    found = links(receipt)
    assert found == [f"{PUBLIC}/tra-cuu/?ma={dossier.code}"]
    assert ":8000" not in receipt.body and "/in/01/" not in receipt.body
    # The receipt itself is attached.
    assert receipt.attachments[0][2] == "application/pdf"
    # The link opens for an anonymous visitor with the code filled in.
    page = Client().get(found[0].removeprefix(PUBLIC))
    assert page.status_code == 200 and f'value="{dossier.code}"' in page.content.decode()


def test_result_ready_email_links_to_the_rating_page(
    personas, procedure, settings, django_capture_on_commit_callbacks
):
    settings.MOTCUA_PUBLIC_URL = PUBLIC
    dossier = _counter_dossier(personas, procedure)
    for actor, action, assignee in (
        ("clerk", "forward", "specialist"),
        ("specialist", "forward", "leader"),
    ):
        dossier_transition(
            actor=personas[actor],
            dossier_id=dossier.pk,
            action=action,
            assignee=personas[assignee],
        )
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(actor=personas["leader"], dossier_id=dossier.pk, action="result_ready")
    message = mail.outbox[-1]
    found = links(message)
    assert f"{PUBLIC}/tra-cuu/?ma={dossier.code}" in found
    assert f"{PUBLIC}/danh-gia/{dossier.code}/" in found
    anonymous = Client()
    for url in found:
        assert anonymous.get(url.removeprefix(PUBLIC)).status_code == 200, url


def test_applicant_with_an_account_gets_their_dossier(
    personas, submit_online, settings, django_capture_on_commit_callbacks
):
    settings.MOTCUA_PUBLIC_URL = PUBLIC
    dossier = submit_online(personas["citizen1"])
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(actor=personas["clerk"], dossier_id=dossier.pk, action="accept")
    found = links(mail.outbox[-1])
    assert f"{PUBLIC}/ho-so-cua-toi/{dossier.code}/" in found
    assert f"{PUBLIC}/ho-so/{dossier.code}/in/01/" in found  # the applicant may print it
    owner = Client()
    owner.force_login(personas["citizen1"])
    for url in found:
        assert owner.get(url.removeprefix(PUBLIC)).status_code == 200, url


@pytest.mark.parametrize(
    ("bind", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("127.0.0.1:9123", "http://127.0.0.1:9123"),
        ("0.0.0.0:8080", "http://127.0.0.1:8080"),
        ("demo.local:81", "http://demo.local:81"),
    ],
)
def test_demo_links_follow_the_address_served(bind, url):
    assert public_url_for(bind) == url
