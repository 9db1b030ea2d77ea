"""Issue 14: the PAKN and rating forms mark their required fields — a visible "*" beside the label
(hidden from screen readers, which hear the field's own `required`), radio groups announced as
required — and leave optional fields unmarked."""

from __future__ import annotations

import re

import pytest

from motcua.feedback.forms import RatingForm

pytestmark = pytest.mark.django_db

MARK = '<span class="required-mark" aria-hidden="true">*</span>'


def _label_of(html: str, field_id: str) -> str:
    match = re.search(rf'<label for="{field_id}">(.*?)<(input|textarea|select)', html, re.S)
    assert match, field_id
    return match.group(1)


def _control(html: str, field_id: str) -> str:
    return re.search(rf'<(input|textarea|select)[^>]*id="{field_id}"[^>]*>', html).group(0)


def test_the_pakn_form_marks_its_required_fields(client, units):
    html = client.get("/gop-y/").content.decode()
    for name in ("sender_name", "sender_phone", "content"):
        assert MARK in _label_of(html, f"id_{name}"), name
        assert " required" in _control(html, f"id_{name}"), name
    for name in ("dossier_code", "sender_email"):
        assert MARK not in _label_of(html, f"id_{name}"), name
        assert " required" not in _control(html, f"id_{name}"), name


def test_the_rating_form_marks_its_required_questions(client, settled):
    html = client.get(f"/danh-gia/{settled.code}/").content.decode()
    form = RatingForm(need_factor=True)
    questions = [n for n, f in form.fields.items() if f.required and f.widget.input_type == "radio"]
    groups = re.findall(
        r'<fieldset role="radiogroup" aria-required="true"><legend>(.*?)</legend>', html
    )
    assert len(groups) == len(questions) == 11  # two overall questions, nine indices
    assert all(MARK in legend for legend in groups)
    assert MARK in _label_of(html, "id_factor")
    assert MARK not in _label_of(html, "id_comment")  # "Comment (optional)"
