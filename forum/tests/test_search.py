"""Search finds Chinese words inside sentences, on SQLite and PostgreSQL alike."""

import pytest
from django.urls import reverse

from forum import posting

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics(alice, boards):
    posting.create_topic(alice, boards["owners"], title="停车场收费太高", source="每月 450 元")
    posting.create_topic(
        alice, boards["questions"], title="电梯", source="关于物业费调整的通知，请大家留意"
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("停车", "停车场收费太高"),
        ("物业费", "电梯"),
        ("450", "停车场收费太高"),
        ("调整的通", "电梯"),
    ],
)
def test_words_inside_sentences_are_found(client, topics, query, expected):
    page = client.get(reverse("forum:search"), {"q": query}).content.decode()
    assert f"<mark>{query}</mark>" in page
    assert expected in page.replace("<mark>", "").replace("</mark>", "")


def test_no_match_and_empty_query(client, topics):
    page = client.get(reverse("forum:search"), {"q": "游泳池"}).content.decode()
    assert "“游泳池”的搜索结果：0 个" in page
    assert client.get(reverse("forum:search")).status_code == 200


def test_markup_in_the_query_is_escaped(client, topics):
    page = client.get(reverse("forum:search"), {"q": "<b>停车</b>"}).content.decode()
    assert "<b>停车</b>" not in page
