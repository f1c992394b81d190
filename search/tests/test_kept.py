"""What a search ranked and showed is kept until what it shows changes: the next owner who
looks for the same word reads no index and no post, yet sees every change at once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from forum import searching as forum_searching
from forum.caching import FORUM
from forum.models import Board
from forum.moderation import hide_post
from forum.tests.conftest import moderator  # noqa: F401 (a shared fixture)
from portal.pagecache import PAGES
from portal.tests.cache_reads import count_reads
from search import engine
from search import searching as page_searching
from search.models import Synonyms
from search.tests.test_search import topic

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("either_way")]


def search(client, query, view="search:search", page=1):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse(view), {"q": query, "page": page}).content.decode()
    tables = {table for query in queries for table in re.findall(r'FROM "(\w+)"', query["sql"])}
    return html, tables - {"django_session", "owners_user"}


@pytest.mark.parametrize("view", ["search:search", "forum:search"])
def test_the_same_search_again_reads_no_index_and_no_post(client, board, owner, view):
    topic(board, owner, "地下停车场收费太高", "希望物业能调整一下。")
    first, tables = search(client, "停车", view)
    assert "地下<mark>停车</mark>场收费太高" in first
    assert {"search_gram", "forum_post"} <= tables
    again, tables = search(client, "停车", view)
    assert again == first and not tables


def test_a_new_post_an_edit_and_a_hidden_post_show_at_once(client, board, owner, moderator):  # noqa: F811
    topic(board, owner, "停车场收费", "正文")
    search(client, "停车")
    added = topic(board, owner, "访客停车难", "正文")
    html, _ = search(client, "停车")
    assert "访客<mark>停车</mark>难" in html and "1 条结果" not in html
    hide_post(added.posts.get(), moderator, "广告")
    html, _ = search(client, "停车")
    assert "访客" not in html and "1 条结果" in html


def test_a_publication_and_a_view_restriction_show_at_once(client, news, make_news):
    make_news("停车场开放通知")
    assert "开放通知" in search(client, "停车场")[0]
    closed = make_news("停车场关闭通知")
    assert "关闭通知" in search(client, "停车场")[0]
    PageViewRestriction.objects.create(
        page=closed, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    html, _ = search(client, "停车场")
    assert "开放通知" in html and "关闭通知" not in html


def test_each_kind_of_reader_finds_their_own(
    client, board, owner, verified_owner, django_user_model
):
    inner = Board.objects.create(slug="inner", name="业主内部", readers="verified")
    topic(inner, owner, "停车位内部讨论", "仅业主可见")
    topic(board, owner, "停车场公告", "正文")
    client.force_login(verified_owner)
    assert "位内部讨论" in search(client, "停车")[0]  # kept for verified owners
    client.logout()
    assert "位内部讨论" not in search(client, "停车")[0]
    client.force_login(django_user_model.objects.create_user("newcomer", password="x"))
    html = search(client, "停车")[0]  # signed in, not verified
    assert "场公告" in html and "位内部讨论" not in html


def test_a_synonym_staff_add_is_a_new_search(client, board, owner):
    topic(board, owner, "车库漏水", "正文")
    assert "车库漏水" not in search(client, "停车场")[0]
    Synonyms.objects.create(words="停车场 车库")
    assert "<mark>车库</mark>漏水" in search(client, "停车场")[0]


@pytest.fixture
def searched_while_indexing(client, monkeypatch):
    """Each index write of `module` is preceded by a search for `query`: one made after the
    change bumped its version, before the index has it."""

    def during(module, query):
        write = module.index_document

        def late_write(*args, **kwargs):
            search(client, query)
            write(*args, **kwargs)

        monkeypatch.setattr(module, "index_document", late_write)

    return during


def test_a_search_while_a_post_is_indexed_is_not_kept_past_it(
    client, board, owner, searched_while_indexing
):
    topic(board, owner, "停车场收费", "正文")
    searched_while_indexing(forum_searching, "停车")
    topic(board, owner, "访客停车难", "正文")
    assert "访客<mark>停车</mark>难" in search(client, "停车")[0]


def test_a_search_while_a_page_is_indexed_is_not_kept_past_it(
    client, make_news, searched_while_indexing
):
    make_news("停车场开放通知")
    searched_while_indexing(page_searching, "停车场")
    make_news("停车场关闭通知")
    assert "关闭通知" in search(client, "停车场")[0]


def test_a_page_far_down_the_results_is_ranked_afresh(client, board, owner):
    """Only the first pages are kept: nobody fills the cache by asking for page after page."""
    topic(board, owner, "地下停车场收费太高", "希望物业能调整一下。")
    for _again in range(2):
        assert "search_gram" in search(client, "停车", page=engine.KEPT_RESULTS)[1]
    search(client, "停车", page=2)
    assert not search(client, "停车", page=2)[1]


def test_a_kept_search_reads_the_shared_cache_three_times(
    client, board, owner, news, make_news, monkeypatch
):
    """The versions of every source (with what the page's frame reads: portal.memo), then
    every source's ranking, then every source's page of results: one round trip each, not one
    per source and per part."""
    topic(board, owner, "地下停车场收费太高", "希望物业能调整一下。")
    make_news("停车场开放通知")
    first, _tables = search(client, "停车")
    assert "开放通知" in first
    reads = count_reads(monkeypatch)
    again, tables = search(client, "停车")
    assert again == first and not tables
    assert [name for name, _keys in reads] == ["get_many"] * 3
    versions, rankings, shown = (keys for _name, keys in reads)
    assert {FORUM.key, PAGES.key} <= set(versions)
    assert all(":search:" in key for key in rankings) and len(rankings) == 2
    assert all(":search-shown:" in key for key in shown) and len(shown) == 2
