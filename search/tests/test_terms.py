"""A query of several terms (search.folding.terms): every term must be in a result, anywhere;
a phrase in quotes stays whole; when nothing has every term, what has the most is shown
under a heading that says so."""

import pytest
from django.urls import reverse

from search.folding import terms
from search.tests.test_search import topic

pytestmark = pytest.mark.django_db


def test_a_query_is_split_at_spaces_and_punctuation_and_phrases_stay_whole():
    assert terms("电梯 维修") == terms("电梯，维修") == terms("電梯、維修") == ["电梯", "维修"]
    assert terms("3 号楼 漏水") == ["3号楼", "漏水"]  # a number beside Chinese stays with it
    assert terms('"电梯 维修" 三号楼') == ["电梯 维修", "3号楼"]
    assert terms("「停車場」 收费 收费") == ["停车场", "收费"]
    assert terms('">') == ['">'] and terms(" ， ") == [","] and terms("  ") == []


def search(client, query, name="search:search"):
    return client.get(reverse(name), {"q": query}).content.decode()


def test_every_term_must_be_in_a_result_anywhere(client, board, owner):  # noqa: F811
    topic(board, owner, "三号楼电梯又坏了", "物业说明天来维修。")
    topic(board, owner, "电梯广告太多", "希望少一点。")
    topic(board, owner, "水管维修通知", "周三停水。")
    for name in ("search:search", "forum:search"):
        for query in ("电梯 维修", "电梯，维修", "維修 電梯"):
            html = search(client, query, name)
            assert "三号楼<mark>电梯</mark>又坏了" in html, (name, query)
            assert "电梯广告太多" not in html and "水管维修通知" not in html, (name, query)
            assert "来<mark>维修</mark>" in html, (name, query)


def test_a_phrase_in_quotes_must_be_found_as_written(client, board, owner):  # noqa: F811
    topic(board, owner, "电梯 维修 安排", "见通知。")
    topic(board, owner, "电梯要维修", "见通知。")
    html = search(client, '"电梯 维修"')
    assert "<mark>电梯 维修</mark> 安排" in html
    assert "电梯要维修" not in html


def test_when_nothing_has_every_term_the_most_terms_are_shown_under_a_heading(
    client,
    board,  # noqa: F811
    owner,
):
    topic(board, owner, "电梯维修通知", "下周二上午。")
    topic(board, owner, "花园绿化", "草坪修剪。")
    html = search(client, "电梯 维修 游泳池")
    assert "没有同时包含这些词的结果" in html and "包含这些词的结果：" in html
    assert "<mark>电梯维修</mark>通知" in html
    assert "花园绿化" not in html
    html = search(client, "游泳池 健身房")
    assert "未找到相关内容，请少输几个词或换个关键词试试" in html
    assert "没有同时包含" not in html
