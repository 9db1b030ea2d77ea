"""The authorisation letter is required only when applying on someone else's behalf (issue 14):
"for myself / on someone else's behalf" on the online form and at the counter, the document
marked "only when on someone else's behalf" in the catalogue (data: RequiredDocument.condition).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.procedures.choices import DocumentCondition
from motcua.procedures.exchange import export_catalogue, import_catalogue
from motcua.procedures.models import Procedure, RequiredDocument

from .conftest import pdf

pytestmark = pytest.mark.django_db
LETTER = "Văn bản ủy quyền"


@pytest.fixture
def letter(online_procedure):
    return RequiredDocument.objects.create(
        procedure=online_procedure,
        order=2,
        name=LETTER,
        form="original",
        condition=DocumentCondition.ON_BEHALF,
    )


def online_data(procedure, *, letter_file: bool, **extra):
    data = {
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_type": "cccd",
        "applicant_id_number": "046095000123",
        "applicant_phone": "0905 123 456",
        "applicant_email": "an@example.org",
        "applicant_address": "12 Lê Lợi, Huế",
        "result_delivery": "online",
        "declaration": "on",
    }
    for doc in procedure.documents.all():
        if doc.condition != DocumentCondition.ON_BEHALF or letter_file:
            data[f"doc_{doc.pk}"] = pdf()
    data.update(extra)
    return data


# --- online ------------------------------------------------------------------------------------
def test_online_for_myself_needs_no_letter(client, personas, online_procedure, letter, media):
    client.force_login(personas["citizen1"])
    url = reverse("portal:submit", args=[online_procedure.code])
    page = client.get(url).content.decode()
    assert re.search(r'<input type="radio" name="applying_for" value="self"[^>]*checked', page)
    assert "only when applying on someone else" in page or "chỉ khi nộp thay" in page
    response = client.post(
        url, online_data(online_procedure, letter_file=False, applying_for="self")
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert [d.name for d in dossier.documents.all()] == ["Tờ khai"]


def test_online_on_behalf_requires_the_letter(client, personas, online_procedure, letter, media):
    client.force_login(personas["citizen1"])
    url = reverse("portal:submit", args=[online_procedure.code])
    response = client.post(
        url, online_data(online_procedure, letter_file=False, applying_for="behalf")
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Dossier.objects.exists()
    response = client.post(
        url, online_data(online_procedure, letter_file=True, applying_for="behalf")
    )
    assert response.status_code == 302
    assert sorted(d.name for d in Dossier.objects.get().documents.all()) == sorted(
        ["Tờ khai", LETTER]
    )


def test_online_letter_for_oneself_is_refused_with_a_message(
    client, personas, online_procedure, letter, media
):
    client.force_login(personas["citizen1"])
    url = reverse("portal:submit", args=[online_procedure.code])
    response = client.post(
        url, online_data(online_procedure, letter_file=True, applying_for="self")
    )
    assert response.status_code == 400 and not Dossier.objects.exists()


def test_bad_choice_changes_nothing(client, personas, online_procedure, letter, media):
    client.force_login(personas["citizen1"])
    url = reverse("portal:submit", args=[online_procedure.code])
    response = client.post(url, online_data(online_procedure, letter_file=True, applying_for="x"))
    assert response.status_code == 400 and not Dossier.objects.exists()


# --- counter -----------------------------------------------------------------------------------
def counter_data(procedure, *, letter: bool, **extra):
    data = {
        "procedure": procedure.pk,
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_type": "cccd",
        "applicant_id_number": "046095000123",
        "applicant_phone": "0905 123 456",
        "channel": "counter",
        "sets_count": 1,
        "result_delivery": "desk",
    }
    for doc in procedure.documents.all():
        if doc.condition != DocumentCondition.ON_BEHALF or letter:
            data[f"doc_{doc.pk}"] = "on"
    data.update(extra)
    return data


def test_counter_letter_unticked_by_default_and_marked(client, personas, online_procedure, letter):
    client.force_login(personas["clerk"])
    html = client.get(f"/ho-so/tiep-nhan/?procedure={online_procedure.pk}").content.decode()
    assert "data-on-behalf" in html and 'name="applying_for"' in html
    assert f'name="doc_{letter.pk}" id="id_doc_{letter.pk}">' in html  # not checked


def test_counter_for_oneself_and_on_behalf(client, personas, online_procedure, letter, media):
    client.force_login(personas["clerk"])
    response = client.post(
        "/ho-so/tiep-nhan/", counter_data(online_procedure, letter=False, applying_for="self")
    )
    assert response.status_code == 302 and Dossier.objects.count() == 1
    response = client.post(
        "/ho-so/tiep-nhan/", counter_data(online_procedure, letter=False, applying_for="behalf")
    )
    assert response.status_code == 400 and Dossier.objects.count() == 1
    response = client.post(
        "/ho-so/tiep-nhan/", counter_data(online_procedure, letter=True, applying_for="behalf")
    )
    assert response.status_code == 302 and Dossier.objects.count() == 2
    latest = Dossier.objects.order_by("-id").first()
    assert LETTER in [d.name for d in latest.documents.all()]


# --- the catalogue carries the condition -------------------------------------------------------
def test_catalogue_export_import_keeps_the_condition(online_procedure, letter):
    data = export_catalogue(Procedure.objects.filter(pk=online_procedure.pk))
    docs = data["procedures"][0]["documents"]
    assert [d["condition"] for d in docs] == ["always", "on_behalf"]
    RequiredDocument.objects.filter(pk=letter.pk).update(condition="always")
    import_catalogue(data, actor=None)
    assert online_procedure.documents.get(name=LETTER).condition == "on_behalf"
    # Older files without the column: always asked for.
    for d in docs:
        d.pop("condition")
    import_catalogue(data, actor=None)
    assert set(online_procedure.documents.values_list("condition", flat=True)) == {"always"}


def test_demo_catalogue_marks_the_authorisation_letter(db):
    from motcua.procedures.demo import catalogue

    docs = [d for p in catalogue()["procedures"] for d in p["documents"]]
    letters = [d for d in docs if "ủy quyền" in d["name"]]
    assert letters and all(d["condition"] == "on_behalf" for d in letters)
