"""The citizen's own document store at online submission (issue 15; DOMAIN §7, 4.3): files of
their earlier dossiers can stand in for an upload; nobody else's."""

from __future__ import annotations

import pytest

from motcua.dossiers.choices import Status
from motcua.dossiers.models import Attachment, Dossier, DossierDocument

from .conftest import pdf

pytestmark = pytest.mark.django_db


def form_data(procedure, **extra):
    data = {
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_type": "cccd",
        "applicant_id_number": "046095000123",
        "applicant_phone": "0905123456",
        "applicant_email": "an@example.org",
        "applicant_address": "12 Lê Lợi, Huế",
        "result_delivery": "online",
        "declaration": "on",
    }
    data.update(extra)
    return data


@pytest.fixture
def earlier(personas, submit_online):
    mine = submit_online(personas["citizen1"])
    theirs = submit_online(personas["citizen2"])
    return {
        "mine": Attachment.objects.get(dossier=mine),
        "theirs": Attachment.objects.get(dossier=theirs),
    }


def test_the_form_offers_my_documents_only(client, personas, online_procedure, earlier):
    client.force_login(personas["citizen1"])
    page = client.get(f"/thu-tuc/{online_procedure.code}/nop-truc-tuyen/").content.decode()
    doc = online_procedure.documents.first()
    assert f'name="doc_{doc.pk}_reuse"' in page
    assert f'value="{earlier["mine"].pk}"' in page
    assert f'value="{earlier["theirs"].pk}"' not in page


def test_submitting_with_a_document_of_my_store(client, personas, online_procedure, earlier):
    doc = online_procedure.documents.first()
    client.force_login(personas["citizen1"])
    response = client.post(
        f"/thu-tuc/{online_procedure.code}/nop-truc-tuyen/",
        form_data(online_procedure, **{f"doc_{doc.pk}_reuse": earlier["mine"].pk}),
    )
    assert response.status_code == 302
    dossier = Dossier.objects.filter(applicant_user=personas["citizen1"]).latest("id")
    assert dossier.status == Status.SUBMITTED_ONLINE
    copy = Attachment.objects.get(dossier=dossier)
    component = DossierDocument.objects.get(dossier=dossier)
    assert copy.reused_from == earlier["mine"] and copy.document == component
    assert component.digitised and component.reused
    dossier.refresh_from_db()
    assert dossier.digitised and dossier.reused_data


def test_uploads_are_linked_to_their_component(client, personas, online_procedure, media):
    doc = online_procedure.documents.first()
    client.force_login(personas["citizen1"])
    response = client.post(
        f"/thu-tuc/{online_procedure.code}/nop-truc-tuyen/",
        form_data(online_procedure, **{f"doc_{doc.pk}": pdf()}),
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get(applicant_user=personas["citizen1"])
    component = DossierDocument.objects.get(dossier=dossier)
    assert Attachment.objects.get(dossier=dossier).document == component
    assert component.digitised and not component.reused


def test_someone_elses_document_is_refused(client, personas, online_procedure, earlier):
    doc = online_procedure.documents.first()
    client.force_login(personas["citizen2"])
    before = Dossier.objects.count()
    response = client.post(
        f"/thu-tuc/{online_procedure.code}/nop-truc-tuyen/",
        form_data(online_procedure, **{f"doc_{doc.pk}_reuse": earlier["mine"].pk}),
    )
    assert response.status_code == 400
    assert Dossier.objects.count() == before


def test_a_mandatory_document_needs_an_upload_or_a_choice(
    client, personas, online_procedure, earlier
):
    client.force_login(personas["citizen1"])
    response = client.post(
        f"/thu-tuc/{online_procedure.code}/nop-truc-tuyen/", form_data(online_procedure)
    )
    assert response.status_code == 400
    assert Dossier.objects.filter(applicant_user=personas["citizen1"]).count() == 1
