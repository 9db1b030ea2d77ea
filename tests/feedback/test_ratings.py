"""Ratings (DOMAIN §8): the second factor of tracking, once per dossier, only after the result,
never editable by staff; the figures per unit, procedure and quarter; the SIPAS-style share."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from motcua.audit.models import AppendOnlyError

from .conftest import answers

pytestmark = pytest.mark.django_db


def url(dossier):
    return reverse("feedback:rate", args=[dossier.code])


def test_url_name_used_by_the_portal(settled):
    assert url(settled) == f"/danh-gia/{settled.code}/"


def test_rate_with_phone_digits(client, settled):
    from motcua.feedback.models import Rating

    response = client.post(url(settled), answers())
    assert response.status_code == 200
    rating = Rating.objects.get(dossier=settled)
    assert (rating.overall_service, rating.visits, rating.feedback_handled) == (3, 1, 0)
    assert rating.satisfied is True


def test_rate_with_id_digits(client, settled):
    assert client.post(url(settled), answers(factor="046090017890")).status_code == 200


def test_wrong_factor_and_unknown_code_answer_alike(client, settled):
    from motcua.feedback.models import Rating

    wrong = client.post(url(settled), answers(factor="0000000000"))
    missing = client.post("/danh-gia/NOPE-1/", answers())
    assert wrong.status_code == missing.status_code == 404
    assert not Rating.objects.exists()


def test_one_rating_per_dossier(client, settled):
    client.post(url(settled), answers())
    again = client.post(url(settled), answers(overall_service="1"))
    assert again.status_code == 409
    from motcua.feedback.models import Rating

    assert Rating.objects.get().overall_service == 3


def test_not_before_the_result(client, settled):
    settled.status = 4
    settled.finished_at = None
    settled.save()
    assert client.post(url(settled), answers()).status_code == 409


def test_bad_input_changes_nothing(client, settled):
    from motcua.feedback.models import Rating

    assert client.post(url(settled), answers(time_total="5")).status_code == 400
    assert client.post(url(settled), answers(factor="12a4")).status_code == 400
    assert not Rating.objects.exists()


def test_rate_limited_like_tracking(client, settled, settings):
    settings.TRACKING_RATE_PER_CODE = 3
    for _ in range(3):
        client.post(url(settled), answers(factor="0000000000"))
    assert client.post(url(settled), answers()).status_code == 429


def test_applicant_account_needs_no_factor(client, settled, personas):
    settled.applicant_user = personas["citizen1"]
    settled.save()
    client.force_login(personas["citizen1"])
    data = answers()
    del data["factor"]
    assert client.post(url(settled), data).status_code == 200
    # Another citizen still needs the digits.
    client.force_login(personas["citizen2"])
    assert "factor" in client.get(url(settled)).content.decode()


def test_staff_cannot_edit_ratings(client, settled, personas):
    from motcua.feedback.models import Rating

    client.post(url(settled), answers())
    rating = Rating.objects.get()
    rating.overall_service = 1
    with pytest.raises(AppendOnlyError):
        rating.save()
    with pytest.raises(AppendOnlyError):
        Rating.objects.update(overall_service=1)
    client.force_login(personas["admin"])
    change = f"/admin/feedback/rating/{rating.pk}/change/"
    response = client.post(change, {"overall_service": 1})
    assert Rating.objects.get().overall_service == 3
    assert response.status_code in (200, 403)


def test_figures_per_unit_procedure_quarter(client, settled, units, procedure):
    from motcua.dossiers.models import Dossier
    from motcua.feedback.stats import rating_figures

    client.post(url(settled), answers())
    other = Dossier.objects.get(pk=settled.pk)
    other.pk, other.code = None, "000.00.12.H57-230105-0002"
    other.save()
    client.post(url(other), answers(overall_service="1", overall_result="1"))
    today = date.today()
    span = (date(today.year, 1, 1), date(today.year, 12, 31))
    (total,) = rating_figures(*span)
    assert (total.ratings, total.satisfied, total.service_ok, total.result_ok) == (2, 1, 1, 1)
    assert total.sipas_share == 50 and total.satisfied_share == 50
    assert total.index_points == 30 and str(total.index_share) == "83.33"  # 15 of 18, twice
    (by_unit,) = rating_figures(*span, group_by="unit")
    assert by_unit.key == units["A"].pk
    (by_proc,) = rating_figures(*span, group_by="procedure")
    assert by_proc.key == procedure.pk
    (quarter,) = rating_figures(*span, group_by="quarter")
    assert quarter.key == f"{today.year}-Q{(today.month - 1) // 3 + 1}" and quarter.ratings == 2
    assert rating_figures(*span, unit_ids=[units["B"].pk])[0].ratings == 0


def test_stats_page_access(client, personas, units):
    assert client.get("/bao-cao/hai-long/").status_code == 302
    client.force_login(personas["clerk"])
    assert client.get("/bao-cao/hai-long/").status_code == 404
    client.force_login(personas["leader"])
    assert client.get("/bao-cao/hai-long/").status_code == 200
    assert client.get("/bao-cao/hai-long/", {"unit": units["B"].code}).status_code == 404
    assert client.get("/bao-cao/hai-long/", {"year": "x"}).status_code == 404


def test_tracking_page_links_to_rating_once_settled(client, settled):
    html = client.post("/tra-cuu/", {"ma": settled.code, "factor": "0905123456"}).content.decode()
    assert f'href="{url(settled)}"' in html
    settled.status = 4
    settled.save()
    html = client.post("/tra-cuu/", {"ma": settled.code, "factor": "0905123456"}).content.decode()
    assert "data-rate-link" not in html
