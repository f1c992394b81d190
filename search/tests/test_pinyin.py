"""Pinyin and wrong characters of the same sound: spelled as the site's own documents spell
them; a query in Latin letters finds the Chinese and the letters, a wrong character is offered
as "did you mean", never mixed in; a long word not found as written is found by its words."""

import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from forum.models import Board
from search.tests.test_search import topic

pytestmark = pytest.mark.django_db


def search(client, query, view="search:search"):
    return client.get(reverse(view), {"q": query}).content.decode()


def titles(html):
    found = re.findall(r'class="search-results__title" href="[^"]*">(.*?)</a>', html, re.S)
    return [re.sub(r"</?mark>", "", title) for title in found]


@pytest.fixture
def posts(board, owner):
    topic(board, owner, "停车场收费调整", "地下停车场每月收费调整。")
    topic(board, owner, "电梯需要尽快维修", "三号楼的电梯坏了。")
    topic(board, owner, "物业费怎么交", "物业费可以在线缴纳。")
    topic(board, owner, "Tingche app", "tingche 是停车场的应用。")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("tingche", "停车场收费调整"),
        ("dianti", "电梯需要尽快维修"),
        ("wuyefei", "物业费怎么交"),
        ("tc", "停车场收费调整"),  # initials
        ("wyf", "物业费怎么交"),
    ],
)
def test_pinyin_finds_the_chinese_it_spells(client, posts, typed, meant):
    for view in ("search:search", "forum:search"):
        html = search(client, typed, view)
        assert meant in titles(html), (typed, view)


def test_pinyin_finds_the_letters_too_and_marks_both(client, posts):
    html = search(client, "tingche")
    assert set(titles(html)) == {"停车场收费调整", "Tingche app"}
    assert "<mark>停车</mark>场收费调整" in html and "<mark>Tingche</mark> app" in html


def test_initials_come_from_titles_anyone_may_read(client, board, owner, verified_owner):
    private = Board.objects.create(slug="inner", name="内部", readers="verified")
    topic(private, owner, "业主大会筹备", "仅业主可见")
    topic(board, owner, "一周总结", "业主大会下月召开")
    client.force_login(verified_owner)
    # yz is 业主 in the private title only: the public one reads 一周 and finds its topic.
    assert titles(search(client, "yz")) == ["一周总结"]


def test_letters_that_are_not_pinyin_are_only_letters(client, posts):
    assert titles(search(client, "parking")) == []
    assert "未找到相关内容" in search(client, "parking")


@pytest.mark.parametrize(("typed", "meant"), [("停车常", "停车场"), ("电悌", "电梯")])
def test_a_wrong_character_of_the_same_sound_is_offered_not_mixed_in(client, posts, typed, meant):
    for view in ("search:search", "forum:search"):
        html = search(client, typed, view)
        assert titles(html) == []  # nothing shown that the owner did not ask for
        assert "未找到相关内容" in html
        offer = re.search(
            r'<p class="did-you-mean">您是不是要找： <a href="\?q=([^"]+)">(.*?)</a>', html
        )
        assert unquote(offer[1]) == offer[2] == meant, view
    # The offer finds what was meant.
    assert any(meant in title for title in titles(search(client, meant)))


def test_no_offer_when_the_respelling_finds_nothing_the_reader_may_see(client, board, owner):
    private = Board.objects.create(slug="inner", name="内部", readers="verified")
    topic(private, owner, "停车场内部讨论", "仅业主可见")
    html = search(client, "停车常")
    assert "您是不是要找" not in html and "停车场" not in html


def test_a_long_word_is_found_by_its_words_too_after_the_word_itself(client, board, owner):
    from search.tests.test_ranking import aged

    aged(topic(board, owner, "甲", "本周电梯维修安排"), 30)
    topic(board, owner, "乙", "电梯需要尽快维修")
    html = search(client, "电梯维修")
    assert titles(html) == ["甲", "乙"]  # side by side first, then apart
    assert "<mark>电梯</mark>需要尽快<mark>维修</mark>" in html
    assert "本周<mark>电梯维修</mark>安排" in html  # one mark where the words meet
    # In quotes, only as written.
    assert titles(search(client, '"电梯维修"')) == ["甲"]


def test_candidates_without_the_words_are_nothing_found(client, board, owner):
    from search.models import UnansweredQuery

    topic(board, owner, "小区话题", "停车难，车场满")  # the pairs of 停车场, not the word
    html = search(client, "停车场")
    assert titles(html) == [] and "未找到相关内容" in html and "search-tabs" not in html
    assert UnansweredQuery.objects.filter(query="停车场").exists()
