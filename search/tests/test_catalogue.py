"""The public pages are few, so each process keeps them for the site search (search.searching
.catalogue): a search for a word nobody asked before reads no page, and finds what the index
and the exact-word check together would."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from portal import pagecache
from publications.models import NewsPage
from search import searching
from search.queries import contains

pytestmark = pytest.mark.django_db

QUERIES = [
    "停车",
    "停车场",
    "停車",
    "停车 通知",
    "停车场 开放",
    "通知停车",
    "三号楼",
    "车",
    "tingche",
    "杭州",
    "徒步",
]


@pytest.fixture
def pages(make_news, make_listing, make_issue):
    make_news("停车场开放通知", summary="3号楼地下停车场下周开放")
    make_news("物业费调整", summary="自明年起停车费不变")
    make_news("游园会", summary="中秋游园会报名")
    make_listing("金都停车楼", city="杭州")
    make_issue(1)


def found(query):
    """What the pages source gives for `query`, checked for the exact words as a results page
    checks them: (id, section, time, in the title, as a phrase, what is shown) of each."""
    source = searching.Pages()
    hits, more = source.hits(query, AnonymousUser())
    shown = source.show(hits, query, RequestFactory().get("/search/"))
    return sorted(
        (hit.pk, hit.section, hit.at, hit.title, hit.phrase, sorted(vars(hit.item).items()))
        for hit in shown
    ), more


def test_the_kept_pages_find_what_the_index_finds(pages, monkeypatch):
    kept = {query: found(query) for query in QUERIES}
    monkeypatch.setattr(searching, "CATALOGUE_PAGES", 0)  # too many pages to keep: the index
    pagecache.PAGES.bump()
    assert searching.catalogue() is None
    indexed = {query: found(query) for query in QUERIES}
    assert kept == indexed
    assert kept["停车"][0] and kept["停車"] == kept["停车"] and kept["tingche"] == kept["停车"]
    assert any(phrase for *_rest, phrase, _shown in kept["停车场 开放"][0])
    assert not any(phrase for *_rest, phrase, _shown in kept["停车 通知"][0])
    shown = dict(kept["停车场"][0][0][-1])
    assert shown["url"].startswith("/news/") and "<mark>停车场</mark>" in shown["title_marked"]
    assert "<mark>停车场</mark>" in shown["snippet"] and shown["kind"]


def test_a_new_word_is_ranked_without_a_query_and_shown_with_its_pages_alone(pages):
    found("游园会")
    request = RequestFactory().get("/search/")
    source = searching.Pages()
    with CaptureQueriesContext(connection) as ranking:
        hits, _more = source.hits("徒步", AnonymousUser())
    with CaptureQueriesContext(connection) as showing:
        shown = source.show(hits, "徒步", request)
    assert shown and len(ranking) == 0
    tables = " ".join(query["sql"] for query in showing)
    assert "search_gram" not in tables and len(showing) == 1  # whether they are still public


def test_a_page_made_private_with_no_signal_is_not_shown(pages):
    """The catalogue is built again on every change a signal tells; a restriction written
    without one still keeps the page off the results at once."""
    page = Page.objects.get(title="游园会")
    assert page.pk in [pk for pk, *_rest in found("游园会")[0]]
    PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=page, restriction_type=PageViewRestriction.LOGIN)]
    )
    assert page.pk not in [pk for pk, *_rest in found("游园会")[0]]


def test_a_publication_and_an_unpublication_show_at_once(pages, make_news):
    assert not found("电梯")[0]
    added = make_news("电梯维修通知")
    assert [pk for pk, *_rest in found("电梯")[0]] == [added.pk]
    added.unpublish()
    assert not found("电梯")[0]


def test_each_page_found_has_the_exact_words(pages):
    for query in QUERIES:
        for hit in searching.Pages().hits(query, AnonymousUser())[0]:
            page = Page.objects.get(pk=hit.pk).specific
            assert contains(searching.page_text(page), query), (query, page.title)


def test_a_change_no_signal_told_shows_after_a_while(pages, monkeypatch):
    """What the process keeps is built again CATALOGUE_SECONDS later whatever the version."""
    assert not found("电梯")[0]
    NewsPage.objects.filter(title="游园会").update(title="电梯检修")  # no signal, no bump
    assert not found("电梯")[0]
    monkeypatch.setattr(searching, "CATALOGUE_SECONDS", 0)
    assert found("电梯")[0]


def test_while_the_shared_cache_is_down_the_index_is_asked(pages, monkeypatch):
    if getattr(cache, "outage", None) is None:
        pytest.skip("the shared cache is not Redis here")
    assert searching.catalogue() is not None
    monkeypatch.setattr(cache.outage, "down_since", 1.0)
    assert searching.catalogue() is None
    assert found("停车")[0]


def test_with_several_sites_the_links_follow_the_site_asked(pages):
    """A page's link names its site when there are several: the pages are then loaded to be
    shown, as Wagtail links them for the site asked."""
    one = dict(found("停车场")[0][0][-1])
    Site.objects.create(hostname="club.example.com", root_page=Page.objects.get(depth=2))
    several = dict(found("停车场")[0][0][-1])
    assert one["url"].startswith("/news/")
    assert several["url"] == Site.objects.get(is_default_site=True).root_url + one["url"]
    assert {**several, "url": one["url"]} == one
