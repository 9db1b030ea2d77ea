"""Issue 13 gap 3: a reform scheme exported and imported again keeps text that looks like a formula,
and the workbook never carries a live formula (core/spreadsheet.py)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

DDE = "=cmd|' /C calc'!A0"


@pytest.mark.django_db
def test_reform_scheme_round_trip_keeps_text_that_looks_like_a_formula(reform_people, scheme):
    from motcua.reform.excel import scheme_from_xlsx, scheme_to_xlsx
    from motcua.reform.models import Scheme

    item = scheme.items.get(code="1.1")
    item.title, item.guidance = DDE, "- có văn bản\n- có minh chứng"
    item.save(update_fields=["title", "guidance"])
    book = load_workbook(io.BytesIO(scheme_to_xlsx(scheme)))
    cells = [c for row in book["Tiêu chí"].iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert "'" + DDE in [c.value for c in cells]
    book["Thông tin"]["B1"] = 2031
    out = io.BytesIO()
    book.save(out)
    evaluator = reform_people["evaluator"]
    created = scheme_from_xlsx(actor=evaluator, data=out.getvalue())
    copy = Scheme.objects.get(pk=created.pk).items.get(code="1.1")
    assert (copy.title, copy.guidance) == (DDE, "- có văn bản\n- có minh chứng")
