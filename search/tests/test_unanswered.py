"""Searches that found nothing are counted, by their folded words and without who asked, and
staff who write content read them in the admin, most asked first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from search.models import UnansweredQuery
from search.tests.test_search import topic

pytestmark = pytest.mark.django_db

LIST = "/admin/search/unanswered/"


def search(client, query):
    return client.get(reverse("search:search"), {"q": query})


def test_a_search_that_finds_nothing_is_counted_by_its_folded_words(client, board, owner):  # noqa: F811
    topic(board, owner, "停车场收费调整", "正文")
    search(client, "停车")  # found: not counted
    search(client, "游泳池 開放")
    search(client, "游泳池，开放")
    search(client, "健身房")
    assert dict(UnansweredQuery.objects.values_list("query", "count")) == {
        "游泳池 开放": 2,
        "健身房": 1,
    }
    long = "游泳池" * 16 + "开放"  # the longest query the search takes: kept whole
    search(client, long)
    assert UnansweredQuery.objects.filter(query=long).exists()


def test_staff_who_write_content_read_them_most_asked_first(client, staff, owner):
    for query, times in (("健身房", 1), ("游泳池", 3), ("快递柜", 2)):
        for _ in range(times):
            search(client, query)
    client.force_login(staff("Editors"))
    html = client.get(LIST).content.decode()
    assert html.index("游泳池") < html.index("快递柜") < html.index("健身房")
    export = client.get(LIST, {"export": "csv"})
    content = b"".join(export.streaming_content).decode()
    assert export.status_code == 200 and "游泳池,3" in content
    for who in (owner, staff("Forum moderators")):
        client.force_login(who)
        response = client.get(LIST)
        assert response.status_code in (302, 403), who
        assert "游泳池" not in response.content.decode()


def test_the_list_costs_the_same_queries_for_3_and_300(client, staff):
    client.force_login(staff("Managers"))
    counts = []
    for total in (3, 300):
        UnansweredQuery.objects.all().delete()
        UnansweredQuery.objects.bulk_create(
            UnansweredQuery(query=f"词{n}", count=n) for n in range(total)
        )
        client.get(LIST)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 15, counts
