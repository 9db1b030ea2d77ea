"""Digitisation at intake (issue 15; DOMAIN §7, 4.2–4.3): the counter scans each component into
the dossier, or reuses an earlier digitised document or result of the same person (same identity
number); only documents of that person, in dossiers the clerk may see, are offered or accepted."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.audit.models import AuditEvent, PersonalDataAccess
from motcua.dossiers.attachments import store_attachment
from motcua.dossiers.choices import AttachmentKind, Status
from motcua.dossiers.models import Attachment, Dossier, DossierDocument
from motcua.reports.index766.counts import dossier_conditions

from .test_views import intake_data
from .test_views_support import make_dossier, media_fixture

__all__ = ["media_fixture"]

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def upload(personas, dossier, real_pdf, name, kind=AttachmentKind.SUBMITTED):
    return store_attachment(
        actor=personas["clerk"],
        dossier=dossier,
        uploaded_file=SimpleUploadedFile(name, real_pdf, "application/pdf"),
        kind=kind,
        result_number="5/QĐ" if kind == AttachmentKind.RESULT else "",
    )


@pytest.fixture
def earlier(personas, procedure, units, media, real_pdf):
    """Earlier files: the same person in unit A (a submitted document and a result), another
    person in unit A, and the same person in unit B (not the clerk's)."""
    same = make_dossier(procedure, status=Status.RETURNED, step_order=None)
    other = make_dossier(procedure, status=Status.RETURNED, step_order=None, name="Trần Thị Bé")
    Dossier.objects.filter(pk=other.pk).update(applicant_id_number="046195000999")
    elsewhere = make_dossier(procedure, status=Status.RETURNED, step_order=None, unit=units["B"])
    return {
        "cccd": upload(personas, same, real_pdf, "cccd-cu.pdf"),
        "result": upload(personas, same, real_pdf, "ket-qua-cu.pdf", AttachmentKind.RESULT),
        "other": upload(personas, other, real_pdf, "nguoi-khac.pdf"),
        "elsewhere": store_attachment(
            actor=personas["clerk_b"],
            dossier=elsewhere,
            uploaded_file=SimpleUploadedFile("don-vi-khac.pdf", real_pdf, "application/pdf"),
        ),
    }


def test_the_generated_key_is_the_search_key(personas, procedure):
    from motcua.core.validators import id_search_key

    dossier = make_dossier(procedure)
    for number in ("046095000123", "0100109106-001", "C1234567", "123.456.789"):
        Dossier.objects.filter(pk=dossier.pk).update(applicant_id_number=number)
        stored = Dossier.objects.values_list("applicant_id_key", flat=True).get(pk=dossier.pk)
        assert stored == id_search_key(number)


def test_lookup_offers_only_the_same_persons_documents_of_the_clerks_units(
    client, personas, procedure, earlier
):
    client.force_login(personas["clerk"])
    data = intake_data(procedure, applicant_id_number="046 095 000 123", lookup="1")
    response = client.post("/ho-so/tiep-nhan/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "cccd-cu.pdf" in page and "ket-qua-cu.pdf" in page
    assert "nguoi-khac.pdf" not in page and "don-vi-khac.pdf" not in page
    assert 'value="Nguyễn Văn An"' in page  # the form keeps what was typed
    assert not Dossier.objects.filter(status=Status.RECEIVED).exists()  # nothing received
    access = PersonalDataAccess.objects.filter(subject_id="046095000123").get()
    assert access.who == personas["clerk"]


def test_reusing_an_earlier_result_marks_the_component(client, personas, procedure, earlier):
    doc = procedure.documents.first()
    client.force_login(personas["clerk"])
    data = intake_data(procedure, **{f"doc_{doc.pk}_reuse": earlier["result"].pk})
    response = client.post("/ho-so/tiep-nhan/", data)
    assert response.status_code == 302
    dossier = Dossier.objects.get(status=Status.RECEIVED)
    copy = Attachment.objects.get(dossier=dossier)
    assert copy.reused_from == earlier["result"] and copy.kind == AttachmentKind.SUBMITTED
    assert copy.sha256 == earlier["result"].sha256
    assert copy.storage_name != earlier["result"].storage_name  # a copy, kept whatever happens
    assert default_storage.exists(copy.storage_name)
    component = DossierDocument.objects.get(dossier=dossier)
    assert copy.document == component and component.digitised and component.reused
    dossier.refresh_from_db()
    assert dossier.digitised and dossier.reused_data  # DOMAIN §7, 4.2 and 4.3
    assert AuditEvent.objects.filter(action="dossier.components_digitised").count() == 1
    page = client.get(f"/ho-so/{dossier.code}/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert f"dùng lại từ hồ sơ {earlier['result'].dossier.code}" in page
    conditions = dossier_conditions(
        datetime(2020, 1, 1, tzinfo=TZ), datetime(2031, 1, 1, tzinfo=TZ)
    )
    mine = Dossier.objects.filter(pk=dossier.pk)
    assert mine.filter(conditions["reused"]).exists()
    assert mine.filter(conditions["digitised"]).exists()


def test_scanning_a_component_marks_it_digitised_only(
    client, personas, procedure, earlier, real_pdf
):
    doc = procedure.documents.first()
    client.force_login(personas["clerk"])
    scan = SimpleUploadedFile("to-khai.pdf", real_pdf, "application/pdf")
    response = client.post(
        "/ho-so/tiep-nhan/", intake_data(procedure, **{f"doc_{doc.pk}_file": scan})
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get(status=Status.RECEIVED)
    component = DossierDocument.objects.get(dossier=dossier)
    assert component.digitised and not component.reused
    assert Attachment.objects.get(dossier=dossier).document == component
    dossier.refresh_from_db()
    assert dossier.digitised and not dossier.reused_data


@pytest.mark.parametrize("which", ["other", "elsewhere"])
def test_another_persons_or_units_document_is_refused(client, personas, procedure, earlier, which):
    doc = procedure.documents.first()
    client.force_login(personas["clerk"])
    before = Attachment.objects.count()
    data = intake_data(procedure, **{f"doc_{doc.pk}_reuse": earlier[which].pk})
    response = client.post("/ho-so/tiep-nhan/", data)
    assert response.status_code == 400
    assert not Dossier.objects.filter(status=Status.RECEIVED).exists()
    assert Attachment.objects.count() == before


def test_store_looked_up_for_one_person_cannot_serve_another(personas, procedure, earlier):
    """The service checks the person again: a file of the store is refused for a dossier of
    another identity number (e.g. the number was changed after the look-up)."""
    from motcua.dossiers.digitise import ComponentInput, counter_store, dossier_components_digitise
    from motcua.dossiers.errors import DossierError

    store = counter_store(personas["clerk"], "046095000123")
    target = make_dossier(procedure, status=Status.RECEIVED)
    Dossier.objects.filter(pk=target.pk).update(applicant_id_number="046195000999")
    target.refresh_from_db()
    component = DossierDocument.objects.create(dossier=target, name="Tờ khai", form="original")
    with pytest.raises(DossierError):
        dossier_components_digitise(
            actor=personas["clerk"],
            dossier=target,
            components={component.pk: ComponentInput(reuse=earlier["cccd"])},
            allowed_reuse=store,
            person_key="046195000999",
            stored=[],
        )


def test_a_scan_for_an_unticked_component_is_a_clear_error(client, personas, procedure, real_pdf):
    doc = procedure.documents.first()
    client.force_login(personas["clerk"])
    scan = SimpleUploadedFile("to-khai.pdf", real_pdf, "application/pdf")
    data = intake_data(procedure, **{f"doc_{doc.pk}_file": scan})
    del data[f"doc_{doc.pk}"]
    response = client.post("/ho-so/tiep-nhan/", data, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert not Dossier.objects.exists()
