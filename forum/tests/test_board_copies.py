"""A board's list of topics is kept once for each kind of owner, as a topic page is; each
reader gets it with their own links and unread markers, follow button and token, and without
the board and its topics read again."""

import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import caching, posting
from forum.moderation import hide_topic
from forum.tests.conftest import verified
from forum.tests.test_topic_copies import signed_in, token_in

pytestmark = pytest.mark.django_db

BOARD = reverse("forum:board", args=["owners"])


@pytest.fixture
def topic(boards, alice, bob):
    topic = posting.create_topic(alice, boards["owners"], title="地库照明", source="B2 很暗")
    posting.reply(bob, topic, source="同感")
    return topic


def row_of(page, topic):
    """The list item of `topic` on a board's page."""
    rows = re.findall(r'<li class="topic-row.*?</li>', page, re.S)
    return next(row for row in rows if f"/forum/t/{topic.pk}/" in row)


def test_a_kept_copy_is_answered_without_reading_the_topics(topic, alice, bob):
    signed_in(alice).get(BOARD)  # kept for verified owners
    with CaptureQueriesContext(connection) as queries:
        page = signed_in(bob).get(BOARD).content.decode()
    assert "地库照明" in page and "<!--reader:" not in page
    sql = " ".join(query["sql"] for query in queries)
    assert 'FROM "forum_topic"' not in sql and 'FROM "forum_board"' not in sql


def test_each_reader_gets_their_own_unread_marker(topic, alice, bob):
    signed_in(alice).get(BOARD)
    carol = signed_in(verified("carol"))
    assert 'class="unread-dot"' in row_of(carol.get(BOARD).content.decode(), topic)  # never opened
    carol.get(topic.get_absolute_url())
    assert "unread-" not in row_of(carol.get(BOARD).content.decode(), topic)  # read it all
    posting.reply(bob, topic, source="物业已回复")
    row = row_of(carol.get(BOARD).content.decode(), topic)
    # One reply she has not read, and the link leads to it.
    assert '<span class="unread-count"' in row and ">1</span>" in row and "#post-3" in row


def test_the_follow_button_and_its_token_are_each_readers_own(topic, alice, bob):
    signed_in(alice).get(BOARD)
    reader = signed_in(bob, enforce_csrf_checks=True)
    page = reader.get(BOARD).content.decode()
    assert "关注版块" in page
    follow = reverse("forum:follow_board", args=["owners"])
    assert reader.post(follow, {"csrfmiddlewaretoken": token_in(page)}).status_code == 302
    assert "取消关注" in reader.get(BOARD).content.decode()
    assert "取消关注" not in signed_in(alice).get(BOARD).content.decode()


def test_a_new_topic_and_a_hidden_one_show_at_once(topic, alice, bob, owner, moderator):
    reader = signed_in(bob)
    reader.get(BOARD)
    added = posting.create_topic(alice, topic.board, title="电梯异响", source="3 栋")
    assert "电梯异响" in reader.get(BOARD).content.decode()
    hide_topic(added, moderator, "重复")
    assert "电梯异响" not in reader.get(BOARD).content.decode()
    # Moderators see it still, on a page of their own, which no owner is given.
    assert "电梯异响" in signed_in(moderator).get(BOARD).content.decode()
    assert "电梯异响" not in reader.get(BOARD).content.decode()
    assert "电梯异响" not in signed_in(owner).get(BOARD).content.decode()


def test_owners_who_may_not_post_get_a_copy_of_their_own(topic, alice, owner):
    new_topic = reverse("forum:new_topic", args=["owners"])
    assert new_topic in signed_in(alice).get(BOARD).content.decode()
    for _ in range(2):
        page = signed_in(owner).get(BOARD).content.decode()
        assert new_topic not in page and "地库照明" in page


def test_how_long_ago_is_said_anew_within_a_minute(topic, alice, bob, client, monkeypatch):
    """The rows say how long ago each topic was answered, which changes with time alone: the
    owners' copy and the anonymous visitors' page are kept for SAYS_AGO seconds at most."""
    monkeypatch.setattr(caching, "SAYS_AGO", 1)
    reader = signed_in(bob)
    for visitor in (reader, client):
        visitor.get(BOARD)
        with CaptureQueriesContext(connection) as kept:
            visitor.get(BOARD)
        time.sleep(1.2)
        with CaptureQueriesContext(connection) as later:
            visitor.get(BOARD)
        assert 'FROM "forum_topic"' not in " ".join(query["sql"] for query in kept)
        assert 'FROM "forum_topic"' in " ".join(query["sql"] for query in later)
