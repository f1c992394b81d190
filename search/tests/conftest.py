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


@pytest.fixture
def board(db):
    return Board.objects.create(slug="talk", name="业主交流", description="", writers="verified")
