"""The query count of a page as rendered afresh, for the tests that assert it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def fresh_queries(client, url):
    """Queries of a visit the shared page cache does not answer (an unknown query string),
    after visits that warmed the other caches (routes, renditions, the menu)."""
    # Twice: a first visit may create what it reads (the club's settings), which refreshes
    # the pages' version and so the kept routes.
    for _ in range(2):
        client.get(f"{url}?fresh=1")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{url}?fresh=1").status_code == 200
    return len(queries)
