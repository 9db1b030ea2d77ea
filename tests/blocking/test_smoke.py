import pytest

from motcua.blocking.search import run_search

pytestmark = pytest.mark.django_db


def test_smoke(make_request, personas):
    r = make_request(publish=True)
    out = run_search(user=personas["notary"], query="ab123456")
    assert [a.request_id for a in out.assets] == [r.pk]
