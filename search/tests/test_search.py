"""One site search: Chinese words inside sentences, pages and forum posts grouped, matches
marked, and nothing a reader may not see."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from forum.caching import FORUM
from forum.models import Board, Post, Topic
from forum.posting import edit_post, text_fields
from search import index
from search.engine import CAP
from search.grams import code, grams
from search.index import index_rows
from search.models import Gram
from search.queries import highlight, snippet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("either_way")]


def test_chinese_is_cut_into_pairs_and_latin_into_runs_of_three():
    assert grams("停车场收费") == {"停车", "车场", "场收", "收费"}
    assert grams("WiFi, 密码, wifi!") == {"wif", "ifi", "密码"}
    # Where a number or word meets Chinese (a space between them is dropped), the seam too.
    assert grams("5 栋 A座") == {"5栋", "栋a", "a座", "5", "栋", "a", "座"}
    assert grams("车, ab") == {"车", "ab"}


def test_short_queries_and_parts_of_words_are_still_found(client, board, owner):
    topic(board, owner, "Parking 车位 A1", "正文")
    for query in ("park", "Park", "车", "A1", "king 车"):
        html = client.get(reverse("search:search"), {"q": query}).content.decode()
        assert "search-results__title" in html, query


def topic(board, author, title, text):
    t = Topic.objects.create(board=board, author=author, title=title)
    Post.objects.create(topic=t, author=author, position=1, **text_fields(text))
    return t


def test_a_word_inside_a_sentence_is_found_in_posts_and_pages(
    client, board, owner, news, make_news
):
    topic(board, owner, "地下停车场收费太高", "希望物业能调整一下。")
    topic(board, owner, "电梯维修", "三号楼电梯又坏了。")
    make_news("关于物业费调整的通知")
    html = client.get(reverse("search:search"), {"q": "停车"}).content.decode()
    assert "地下<mark>停车</mark>场收费太高" in html and "电梯维修" not in html
    html = client.get(reverse("search:search"), {"q": "物业费"}).content.decode()
    assert "关于<mark>物业费</mark>调整的通知" in html
    assert "希望物业能调整" not in html  # 物业 alone is not 物业费


def test_pairs_must_be_neighbours_not_just_present(client, board, owner):
    topic(board, owner, "停在楼下的车", "车停了很久")  # has 停 and 车, never 停车
    html = client.get(reverse("search:search"), {"q": "停车"}).content.decode()
    assert "停在楼下的车" not in html


def test_hidden_posts_and_private_boards_stay_private(client, board, owner, verified_owner):
    private = Board.objects.create(
        slug="owners", name="业主内部", readers="verified", writers="verified"
    )
    topic(private, owner, "停车位内部讨论", "仅业主可见")
    hidden = topic(board, owner, "停车违规广告", "广告")
    Topic.objects.filter(pk=hidden.pk).update(is_hidden=True)
    anonymous = client.get(reverse("search:search"), {"q": "停车"}).content.decode()
    assert "位内部讨论" not in anonymous and "违规广告" not in anonymous
    client.force_login(verified_owner)
    signed_in = client.get(reverse("search:search"), {"q": "停车"}).content.decode()
    assert "<mark>停车</mark>位内部讨论" in signed_in and "违规广告" not in signed_in


def test_private_posts_do_not_crowd_out_older_public_ones(
    client, board, owner, verified_owner, monkeypatch
):
    # A search reads its candidates a window at a time, newest first (a thousand on the site;
    # three here). Newer private posts fill the first windows: older ones are read after them.
    monkeypatch.setattr(index, "WINDOW", 3)
    for title in ("公告一", "公告二"):
        topic(board, owner, title, "地下停车场开放")
    private = Board.objects.create(slug="inner", name="内部", readers="verified")
    for number in range(8):
        topic(private, owner, f"内部{number}", "地下停车场内部讨论")
    html = client.get(reverse("search:search"), {"q": "停车"}).content.decode()
    assert "公告一" in html and "公告二" in html and "内部" not in html
    assert "2 条结果" in html
    client.force_login(verified_owner)
    html = client.get(reverse("search:search"), {"q": "停车"}).content.decode()
    # Their reader has a window's worth among the newest: the rest are "more", not read.
    assert "内部7" in html and "超过 3 条结果" in html


def test_members_only_articles_are_not_searchable_by_their_text(client, make_issue):
    make_issue()  # its articles say 会员专享的正文
    html = client.get(reverse("search:search"), {"q": "会员专享"}).content.decode()
    assert "第 1 期" not in html
    assert "第 1 期" in client.get(reverse("search:search"), {"q": "中秋游园"}).content.decode()


def test_pages_in_a_private_section_are_not_found_and_found_pages_link_to_themselves(
    client, news, make_news
):
    shown = make_news("停车场开放通知")
    hidden = make_news("停车场内部通知")
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    html = client.get(reverse("search:search"), {"q": "停车场"}).content.decode()
    assert f'href="{shown.url}"><mark>停车场</mark>开放通知</a>' in html
    assert "内部通知" not in html
    PageViewRestriction.objects.create(
        page=news, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )  # the whole section, its pages with it
    html = client.get(reverse("search:search"), {"q": "停车场"}).content.decode()
    assert "开放通知" not in html


def test_the_index_follows_edits_deletes_and_unpublishing(
    client, board, verified_owner, news, make_news
):
    t = topic(board, verified_owner, "旧标题", "正文")
    post = t.posts.get()
    edit_post(post, verified_owner, source="新的内容：停车场")
    assert Gram.objects.filter(kind=Gram.Kind.POST, object_id=post.pk, gram=code("停车")).exists()
    assert not Gram.objects.filter(
        kind=Gram.Kind.POST, object_id=post.pk, gram=code("正文")
    ).exists()
    t.title = "换了标题"
    t.save()
    assert Gram.objects.filter(kind=Gram.Kind.POST, object_id=post.pk, gram=code("标题")).exists()
    item = make_news("停车场新闻")
    item.unpublish()
    assert not Gram.objects.filter(kind=Gram.Kind.PAGE, object_id=item.pk).exists()
    post.delete()
    assert not Gram.objects.filter(kind=Gram.Kind.POST, object_id=post.pk).exists()


def test_html_in_content_and_queries_is_escaped(client, board, owner):
    topic(board, owner, "<script>alert(1)</script>停车", "<b>停车</b>")
    html = client.get(reverse("search:search"), {"q": "<script>"}).content.decode()
    assert "<script>alert" not in html
    html = client.get(reverse("search:search"), {"q": "停车"}).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_the_search_page_costs_a_fixed_number_of_queries(
    client, board, owner, news, make_news, django_assert_max_num_queries
):
    for n in range(3):
        topic(board, owner, f"停车问题{n}", "停车")
        make_news(f"停车新闻{n}")
    # Each measurement starts cold: answers, versions and the page's frame are kept in the
    # cache, and publishing empties some of them.
    cache.clear()
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("search:search"), {"q": "停车"})
    for n in range(3, 25):
        topic(board, owner, f"停车问题{n}", "停车")
        make_news(f"停车新闻{n}")
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("search:search"), {"q": "停车"})


def test_the_forum_search_uses_the_same_index(client, board, owner):
    topic(board, owner, "业主停车", "地下车库")
    html = client.get(reverse("forum:search"), {"q": "停车"}).content.decode()
    assert "业主<mark>停车</mark>" in html


def test_letters_that_change_length_in_lower_case_do_not_break_marking():
    assert str(highlight("İstanbul 停车", "停车")) == "İstanbul <mark>停车</mark>"
    assert str(snippet("İİİ 停车场", "停车")) == "İİİ <mark>停车</mark>场"


def marked(client, view, query):
    """The marked titles and snippets of a results page, in order."""
    html = client.get(reverse(view), {"q": query}).content.decode()
    titles = re.findall(r'class="search-results__title" href="[^"]*">(.*?)</a>', html, re.S)
    return titles, re.findall(r"<p>(.*?)</p>", html, re.S)


def test_both_search_pages_mark_the_same_way(client, board, owner):
    """The site search and the forum's search show a post alike: the same title and the same
    part of the text, every match marked in any case, everything else escaped."""
    topic(
        board, owner, "<b>停车</b>难 Parking", "前言" * 30 + "地下停车场 PARKING 收费" + "后记" * 30
    )
    topic(board, owner, "电梯", "三号楼的停车位")
    for query in ("停车", "parking", "<b>"):
        site, forum = marked(client, "search:search", query), marked(client, "forum:search", query)
        assert site == forum and site[0], query
    titles, snippets = marked(client, "forum:search", "parking")
    assert titles == ["&lt;b&gt;停车&lt;/b&gt;难 <mark>Parking</mark>"]
    assert snippets[0].startswith("…") and "停车场 <mark>PARKING</mark> 收费" in snippets[0]
    titles, snippets = marked(client, "search:search", "停车")
    assert "&lt;b&gt;<mark>停车</mark>&lt;/b&gt;难 Parking" in titles
    assert "三号楼的<mark>停车</mark>位" in snippets


def bulk_topics(board, author, texts):
    """Many topics at once, indexed as the signals index them (for counts and paging)."""
    topics = Topic.objects.bulk_create(
        Topic(board=board, author=author, title=f"话题{n}") for n in range(len(texts))
    )
    posts = Post.objects.bulk_create(
        Post(topic=t, author=author, position=1, source=text, html=text, search_text=text)
        for t, text in zip(topics, texts, strict=True)
    )
    Gram.objects.bulk_create(
        row
        for post, text in zip(posts, texts, strict=True)
        for row in index_rows(
            Gram.Kind.POST, post.pk, f"{post.topic.title}\n{text}", post.topic.title
        )
    )
    FORUM.bump()  # as every post saved does
    return posts


def shown(client, view, query, page):
    html = client.get(reverse(view), {"q": query, "page": page}).content.decode()
    return re.findall(r'class="search-results__title" href="([^"]*)"', html), html


@pytest.mark.parametrize("view", ["search:search", "forum:search"])
def test_pages_show_every_match_once_and_never_a_false_one(client, board, owner, view):
    """停车场 is cut into 停车 and 车场: a post with both pairs but not the word is a candidate,
    never a result. Paging over the candidates loses no match and shows none twice."""
    texts = [
        "地下停车场收费" if n % 3 else "停车难，车场外排队"  # every third only looks like it
        for n in range(45)
    ]
    posts = bulk_topics(board, owner, texts)
    matches = {p.get_absolute_url() for p in posts if "停车场" in p.search_text}
    seen = []
    for page in (1, 2, 3):
        urls, html = shown(client, view, "停车场", page)
        assert "停车难" not in html
        seen += urls
    assert len(seen) == len(set(seen)) == len(matches) == 30
    assert set(seen) == matches
    assert shown(client, view, "停车场", 9)[0] == shown(client, view, "停车场", 3)[0]  # the last


def test_the_count_is_exact_on_one_page_and_estimated_beyond(client, board, owner):
    bulk_topics(board, owner, ["停车难，车场外排队", "地下停车场收费", "停车场满了"])
    html = client.get(reverse("forum:search"), {"q": "停车场"}).content.decode()
    assert "“停车场”的搜索结果：2 个" in html  # every candidate checked: exact
    bulk_topics(board, owner, ["地下停车场收费"] * 30)
    html = client.get(reverse("forum:search"), {"q": "停车场"}).content.decode()
    assert "“停车场”的搜索结果：约 33 个" in html  # candidates, checked a page at a time
    html = client.get(reverse("search:search"), {"q": "停车场"}).content.decode()
    assert "约 33 条结果" in html


def test_more_than_the_cap_is_said_so_and_paged_to_the_cap(client, board, owner):
    bulk_topics(board, owner, [f"停车场第{n}号车位" for n in range(CAP + 5)])
    html = client.get(reverse("forum:search"), {"q": "停车"}).content.decode()
    assert f"“停车”的搜索结果：超过 {CAP} 个" in html
    assert f"第 1 页，共 {CAP // 20} 页" in html
    html = client.get(reverse("search:search"), {"q": "停车"}).content.decode()
    assert f"超过 {CAP} 条结果" in html
    last, html = shown(client, "forum:search", "停车", CAP // 20)
    # The newest CAP are offered: the last page ends with the sixth post written.
    assert len(last) == 20 and "场第5号车位" in html and "场第4号车位" not in html


@pytest.mark.parametrize("view", ["search:search", "forum:search"])
def test_a_results_page_costs_the_same_for_3_or_300_matches(client, board, owner, view):
    def count(query):
        client.get(reverse(view), {"q": query})  # warm
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(view), {"q": query}).status_code == 200
        return len(captured)

    bulk_topics(board, owner, ["电梯维修通知"] * 3 + ["地下停车场收费"] * 300)
    assert count("电梯维修") == count("停车场")


def test_a_page_number_below_one_shows_the_last_page_with_its_results(client, board, owner):
    bulk_topics(board, owner, ["地下停车场收费"] * 45)
    last, _html = shown(client, "forum:search", "停车场", 3)
    assert len(last) == 5
    for number in ("0", "-1"):
        assert shown(client, "forum:search", "停车场", number)[0] == last
    assert (
        shown(client, "forum:search", "停车场", "x")[0]
        == shown(client, "forum:search", "停车场", 1)[0]
    )
