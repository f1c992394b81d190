import pytest

from forum.models import Board
from forum.tests.conftest import spokesperson  # noqa: F401 (shared fixtures)
from publications.tests.conftest import (  # noqa: F401 (shared fixtures)
    listings,
    magazine,
    make_issue,
    make_listing,
    make_news,
    news,
)
from search import searching


@pytest.fixture
def board(db):
    return Board.objects.create(slug="talk", name="业主交流", description="", writers="verified")


@pytest.fixture(params=["kept pages", "index"])
def either_way(request, monkeypatch):
    """The test once with the pages read from what the process keeps (search.searching
    .catalogue) and once from the index, as a site with more pages than it keeps reads them."""
    if request.param == "index":
        monkeypatch.setattr(searching, "CATALOGUE_PAGES", 0)
    return request.param
