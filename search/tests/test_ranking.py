"""Relevance: the terms in the title before the body, side by side before scattered, official
replies and pinned topics before the rest, then the newest; one row per topic; pages and posts
ranked together, with a tab per section."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from forum.models import Post, Topic
from forum.posting import text_fields
from forum.searching import POSTS
from search import index, registry
from search.engine import loosen
from search.tests.test_search import topic

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("either_way")]


def titles(client, query, view="search:search", **params):
    """The titles of the results, in order, marks removed."""
    html = client.get(reverse(view), {"q": query, **params}).content.decode()
    found = re.findall(r'class="search-results__title" href="[^"]*">(.*?)</a>', html, re.S)
    return [re.sub(r"</?mark>", "", title) for title in found]


def aged(item, days):
    """Make a topic's posts or a page `days` old."""
    when = timezone.now() - timedelta(days=days)
    if isinstance(item, Topic):
        Post.objects.filter(topic=item).update(created_at=when)
    else:
        Page.objects.filter(pk=item.pk).update(first_published_at=when)
    return item


def reply(topic, author, text, **fields):
    position = topic.posts.count() + 1
    return Post.objects.create(
        topic=topic, author=author, position=position, **text_fields(text), **fields
    )


def test_a_title_match_ranks_above_a_newer_match_in_the_text(client, board, owner):
    aged(topic(board, owner, "电梯维修安排", "下周开始"), 30)
    aged(topic(board, owner, "物业通知", "本周电梯维修"), 1)
    assert titles(client, "电梯维修") == ["电梯维修安排", "物业通知"]


def test_at_equal_relevance_the_newer_comes_first(client, board, owner):
    aged(topic(board, owner, "旧话题", "电梯坏了"), 9)
    aged(topic(board, owner, "新话题", "电梯又坏了"), 2)
    aged(topic(board, owner, "中间的话题", "电梯还是坏了"), 5)
    assert titles(client, "电梯") == ["新话题", "中间的话题", "旧话题"]


def test_the_words_side_by_side_rank_above_the_words_apart(client, board, owner):
    aged(topic(board, owner, "甲", "请尽快安排电梯维修"), 20)
    aged(topic(board, owner, "乙", "电梯需要尽快维修"), 1)
    assert titles(client, "电梯 维修") == ["甲", "乙"]


def test_an_official_reply_and_a_pinned_topic_rank_above_the_others(
    client, board, owner, spokesperson
):
    plain = topic(board, owner, "大家怎么看", "开头")
    reply(plain, owner, "门禁卡可以补办吗")
    answered = topic(board, owner, "补办问题", "开头")
    reply(answered, spokesperson, "门禁卡可在物业服务中心补办", is_official=True)
    aged(answered, 10)
    pinned = aged(topic(board, owner, "置顶：服务指南", "门禁卡说明"), 20)
    Topic.objects.filter(pk=pinned.pk).update(is_pinned=True)
    assert titles(client, "门禁卡") == ["补办问题", "置顶：服务指南", "大家怎么看"]


def test_a_topic_shows_once_by_its_best_post_with_how_many_others_match(client, board, owner):
    talk = topic(board, owner, "停车位问题汇总", "欢迎补充")
    for text in ("我家停车位被占", "停车位太少", "停车位价格"):
        reply(talk, owner, text)
    aged(topic(board, owner, "另一个话题", "车库停车位"), 3)
    html = client.get(reverse("search:search"), {"q": "停车位"}).content.decode()
    assert titles(client, "停车位") == ["停车位问题汇总", "另一个话题"]
    assert "该话题另有 3 条回复匹配" in html
    # The forum's own search shows the same rows.
    assert titles(client, "停车位", "forum:search") == ["停车位问题汇总", "另一个话题"]


def test_pages_and_posts_are_ranked_together_and_sections_narrow_them(
    client, board, owner, make_news, make_issue, make_listing
):
    aged(make_news("小区泳池开放通知"), 40)
    aged(topic(board, owner, "泳池水质", "泳池今天很干净"), 2)
    aged(make_news("夏季活动", body=[]), 1)  # no pool
    aged(topic(board, owner, "周末去哪", "听说泳池开放了"), 1)
    aged(make_listing("泳池花园"), 50)
    assert titles(client, "泳池") == ["泳池水质", "小区泳池开放通知", "泳池花园", "周末去哪"]
    assert titles(client, "泳池", section="news") == ["小区泳池开放通知"]
    assert titles(client, "泳池", section="forum") == ["泳池水质", "周末去哪"]
    assert titles(client, "泳池", section="listings") == ["泳池花园"]
    assert titles(client, "泳池", section="magazine") == []
    html = client.get(reverse("search:search"), {"q": "泳池", "section": "news"}).content.decode()
    tabs = re.search(r'<nav class="pill-tabs search-tabs".*?</nav>', html, re.S)[0]
    assert 'aria-current="page">新闻公告' in tabs and "论坛 <span" in tabs
    assert "?q=%E6%B3%B3%E6%B1%A0&amp;section=forum" in tabs
    # An unknown section is all of them.
    assert len(titles(client, "泳池", section="<script>")) == 4


def test_a_one_character_query_ranks_title_matches_first(client, board, owner):
    aged(topic(board, owner, "车位出租", "详情私聊"), 30)
    aged(topic(board, owner, "小区绿化", "楼下的车太多"), 1)
    assert titles(client, "车") == ["车位出租", "小区绿化"]


def test_a_topic_whose_best_candidate_lacks_the_words_shows_by_the_next(client, board, owner):
    """停车难，车场满 has the pairs of 停车场 but not the word: the topic's older post that has
    it stands for the topic, and the count says only what was checked."""
    talk = aged(topic(board, owner, "小区话题", "地下停车场在哪"), 3)
    reply(talk, owner, "停车难，车场满")
    html = client.get(reverse("search:search"), {"q": "停车场"}).content.decode()
    assert titles(client, "停车场") == ["小区话题"]
    assert "地下<mark>停车场</mark>在哪" in html and "另有" not in html


@pytest.mark.parametrize("window", [index.WINDOW, 10])
@pytest.mark.parametrize("query", ["停车", "停车 收费", "“停车场”", "车"])
def test_the_forum_is_ranked_in_the_database_as_hits_are_ranked_in_python(
    board, owner, spokesperson, query, window, monkeypatch
):
    """The forum ranks its candidates in one query (ForumPosts.ranked); a source with few
    documents ranks its hits in Python (registry.rank). Both give the same order, the same
    runners-up in each topic and the same counts, the whole window read or a part of it."""
    monkeypatch.setattr(index, "WINDOW", window)
    for n in range(12):
        talk = aged(topic(board, owner, "停车收费" if n % 4 == 0 else f"话题{n}", "开头"), n)
        reply(talk, owner, "地下停车场收费" if n % 3 else "停车，收费")
        reply(talk, spokesperson, "停车场已开放", is_official=n % 5 == 0)
        if n == 7:
            Topic.objects.filter(pk=talk.pk).update(is_pinned=True)
    anyone = AnonymousUser()
    hits, _more = POSTS.hits(loosen(query), anyone)

    def seen(found):
        return [(hit.pk, hit.others, [other.pk for other in hit.rest]) for hit in found]

    expected = seen(registry.rank(hits))
    assert len(expected) > 3
    ranked = POSTS.ranked(loosen(query), anyone, 100)
    assert ranked.counts == {"forum": len(expected)}
    assert seen(ranked.hits) == [
        (pk, others, rest[: registry.TRIES - 1]) for pk, others, rest in expected
    ]
    assert seen(POSTS.ranked(loosen(query), anyone, 3).hits) == seen(ranked.hits)[:3]


def test_a_result_card_shows_its_post_and_page_as_written(
    client, board, owner, spokesperson, make_news
):
    """Each card: the title linked with the words marked, the snippet, the board, the author,
    an official reply's chip, the day in the site's zone; a page's kind. Text is escaped."""
    topic(board, owner, "<b>门禁卡</b>怎么补办", "开头")
    answer = reply(
        topic(board, owner, "补办问题", "开头"),
        spokesperson,
        "门禁卡在服务中心补办",
        is_official=True,
    )
    moment = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    Post.objects.filter(pk=answer.pk).update(created_at=moment)
    make_news("门禁卡补办通知")
    html = client.get(reverse("search:search"), {"q": "门禁卡"}).content.decode()
    cards = re.findall(r'<li class="card">.*?</li>', html, re.S)
    escaped = next(card for card in cards if "怎么补办" in card)
    assert "&lt;b&gt;<mark>门禁卡</mark>&lt;/b&gt;怎么补办" in escaped and "<b>" not in escaped
    post = next(card for card in cards if "官方回复" in card)
    assert '<span class="chip">官方回复</span> ' in post and board.name in post
    assert "<p><mark>门禁卡</mark>在服务中心补办</p>" in post
    assert '<time datetime="2026-03-02T07:30:00+08:00">2026-03-02</time>' in post
    assert f"#post-{answer.position}" in post
    page = next(card for card in cards if "补办通知" in card)
    assert "<mark>门禁卡</mark>补办通知" in page and "新闻 · <time" in page
