"""Suggestions as an owner types: titles of pages and topics the reader may open, and the
Chinese a pinyin query spells, as JSON; shown under the search box as text, never as HTML."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from playwright.sync_api import expect

from forum.models import Board
from search.index import rebuild
from search.tests.test_search import topic

SUGGEST = reverse("search:suggest")


def suggested(client, query):
    response = client.get(SUGGEST, {"q": query})
    assert response["Content-Type"] == "application/json"
    return [(item["text"], item["url"]) for item in response.json()["suggestions"]]


@pytest.mark.django_db
def test_titles_with_the_words_newest_first_and_pinyin_spelled_first(
    client, board, owner, make_news
):
    older = topic(board, owner, "地下停车场收费太高", "正文")
    news = make_news("停车场开放通知")
    topic(board, owner, "电梯维修", "停车也难")  # only in the text: not a title suggestion
    assert suggested(client, "停车") == [
        ("停车场开放通知", news.url),
        ("地下停车场收费太高", f"/forum/t/{older.pk}/"),
    ]
    assert suggested(client, "tingche")[0] == ("停车", "/search/?q=%E5%81%9C%E8%BD%A6")
    assert suggested(client, "停") == [] and suggested(client, "") == []


@pytest.mark.django_db
def test_at_most_eight_and_only_what_the_reader_may_open(client, board, owner, verified_owner):
    private = Board.objects.create(slug="inner", name="内部", readers="verified")
    topic(private, owner, "停车位内部讨论", "仅业主可见")
    for n in range(12):
        topic(board, owner, f"停车问题{n}", "正文")
    found = suggested(client, "停车")
    assert len(found) == 8 and all("内部" not in text for text, _url in found)
    client.force_login(verified_owner)
    assert "停车位内部讨论" in [text for text, _url in suggested(client, "停车位")]


@pytest.mark.django_db
def test_the_same_queries_for_3_or_30_titles(client, board, owner, make_news):
    def count():
        suggested(client, "停车")  # warm
        with CaptureQueriesContext(connection) as queries:
            suggested(client, "停车")
        return len(queries)

    for n in range(3):
        topic(board, owner, f"停车问题{n}", "正文")
        make_news(f"停车新闻{n}")
    few = count()
    for n in range(3, 30):
        topic(board, owner, f"停车问题{n}", "正文")
        make_news(f"停车新闻{n}")
    assert count() == few <= 8


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_suggestions_show_under_the_box_as_text_and_open_with_the_keyboard(
    live_server, page, board, owner
):
    hostile = topic(board, owner, '停车<img src=x onerror="window.hit=1">', "正文")
    plain = topic(board, owner, "停车场收费调整", "正文")
    page.goto(f"{live_server.url}/search/")
    page.fill("input[name=q]", "停车")
    options = page.locator(".suggest [role=option]")
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_have_text("停车场收费调整")  # the newer first
    expect(options.nth(1)).to_have_text('停车<img src=x onerror="window.hit=1">')
    assert page.evaluate("window.hit") is None and not page.locator(".suggest img").count()
    expect(page.locator("input[name=q]")).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/forum/t/{hostile.pk}/")
    page.goto(f"{live_server.url}/search/")
    page.fill("input[name=q]", "停车场")
    expect(options).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator(".suggest")).to_be_hidden()
    assert plain.pk


@pytest.mark.django_db
def test_a_spelling_read_from_private_content_is_not_offered(client, board, owner):
    private = Board.objects.create(slug="inner", name="内部", readers="verified")
    topic(private, owner, "秘密会议纪要", "仅业主可见")
    assert suggested(client, "mimi") == []
    topic(board, owner, "秘密花园开放", "欢迎参观")
    assert suggested(client, "mimi")[0] == ("秘密", "/search/?q=%E7%A7%98%E5%AF%86")
    # The forum's box: topics only, and the search it offers stays in the forum.
    response = client.get(SUGGEST, {"q": "mimi", "section": "forum"})
    assert response.json()["suggestions"][0]["url"] == "/forum/search/?q=%E7%A7%98%E5%AF%86"


@pytest.mark.django_db
def test_pages_without_an_address_are_never_results(client, home_page):
    rebuild()  # every live page, Wagtail's root included
    html = client.get(reverse("search:search"), {"q": "Root"}).content.decode()
    assert 'href="None"' not in html and "search-results__title" not in html
