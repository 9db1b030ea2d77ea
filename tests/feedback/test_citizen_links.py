"""Issue 14: PAKN is reachable from the home page, the tracking page and the dossier page, with
the dossier's agency preselected (else the portal's own agency); the rating page shows the rating
given instead of a blank form once the citizen has rated."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from motcua.feedback.models import Rating
from motcua.orgs.models import Unit

from .conftest import answers

pytestmark = pytest.mark.django_db


def selected_unit(html: str) -> str | None:
    select = re.search(r'<select name="unit"[^>]*>(.*?)</select>', html, re.S).group(1)
    chosen = re.search(r'<option value="([^"]+)"[^>]*selected', select)
    return chosen.group(1) if chosen else None


@pytest.fixture
def city_hall(db):
    # Sorts before the Department of Justice by code: the old default, the wrong agency.
    return Unit.objects.create(
        code="000.00.00.H57", name="Ủy ban nhân dân thành phố", short_name="UBND"
    )


def test_home_links_to_feedback(client):
    html = client.get("/").content.decode()
    assert f'href="{reverse("feedback:submit")}"' in html


def test_default_agency_is_the_portals_own(client, units, procedure, city_hall):
    html = client.get(reverse("feedback:submit")).content.decode()
    assert selected_unit(html) == units["A"].code


def test_agency_and_code_preselected_from_the_link(client, units, city_hall):
    url = f"{reverse('feedback:submit')}?don-vi={units['B'].code}&ma=000.00.13.h57-250101-0001"
    html = client.get(url).content.decode()
    assert selected_unit(html) == units["B"].code
    assert 'value="000.00.13.H57-250101-0001"' in html


def test_unknown_agency_in_the_link_falls_back(client, units, procedure, city_hall):
    html = client.get(f"{reverse('feedback:submit')}?don-vi=NOPE").content.decode()
    assert selected_unit(html) == units["A"].code


def test_tracking_result_links_to_feedback_about_the_dossier(client, settled, units):
    response = client.post(reverse("tracking:page"), {"ma": settled.code, "factor": "0905123456"})
    html = response.content.decode()
    assert response.status_code == 200
    link = re.search(r'<a href="([^"]+)" data-feedback-link', html).group(1).replace("&amp;", "&")
    assert link == f"{reverse('feedback:submit')}?don-vi={units['A'].code}&ma={settled.code}"
    page = client.get(link).content.decode()
    assert selected_unit(page) == units["A"].code and f'value="{settled.code}"' in page
    # The form page itself links to PAKN without a lookup.
    assert (
        f'href="{reverse("feedback:submit")}"'
        in client.get(reverse("tracking:page")).content.decode()
    )


def test_dossier_page_links_to_feedback_about_the_dossier(client, personas, submit_online, units):
    dossier = submit_online(personas["citizen1"])
    client.force_login(personas["citizen1"])
    html = client.get(reverse("portal:dossier", args=[dossier.code])).content.decode()
    assert (
        f'href="{reverse("feedback:submit")}?don-vi={units["A"].code}&amp;ma={dossier.code}"'
        in html
    )


# --- the rating page after rating --------------------------------------------------------------
def test_coming_back_shows_the_rating_given_not_a_blank_form(client, settled):
    url = reverse("feedback:rate", args=[settled.code])
    assert 'name="overall_service"' in client.get(url).content.decode()
    done = client.post(url, answers())
    assert done.status_code == 200 and "data-rating-given" in done.content.decode()
    again = client.get(url)
    html = again.content.decode()
    assert again.status_code == 200
    assert 'name="overall_service"' not in html and '<form method="post" novalidate>' not in html
    assert "data-rating-given" in html and "Nhanh" in html  # the comment given
    assert Rating.objects.count() == 1


def test_another_browser_proves_it_then_sees_the_rating(client, settled):
    from django.test import Client

    url = reverse("feedback:rate", args=[settled.code])
    client.post(url, answers())
    other = Client()
    assert 'name="overall_service"' in other.get(url).content.decode()  # no proof yet
    response = other.post(url, answers(overall_service="1"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "data-rating-given" in html and 'name="overall_service"' not in html
    assert Rating.objects.get().overall_service == 3
    assert "data-rating-given" in other.get(url).content.decode()


def test_the_applicants_account_sees_its_rating(client, settled, personas):
    settled.applicant_user = personas["citizen1"]
    settled.save(update_fields=["applicant_user"])
    client.force_login(personas["citizen1"])
    url = reverse("feedback:rate", args=[settled.code])
    answers_own = {k: v for k, v in answers().items() if k != "factor"}
    assert client.post(url, answers_own).status_code == 200
    html = client.get(url).content.decode()
    assert "data-rating-given" in html and 'name="overall_service"' not in html
