"""A topic page is kept once for verified owners and once for other owners; each reader gets it
with their own buttons, CSRF token, follow button, read marker and case, and without loading the
posts again."""

import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.casework import case_from_topic
from forum import posting
from forum.caching import FORUM
from forum.models import Reaction, Subscription
from forum.tests.conftest import verified
from portal.models import Notification
from portal.tests.cache_reads import count_reads

pytestmark = pytest.mark.django_db


def signed_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def token_in(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


@pytest.fixture
def topic(boards, alice, bob):
    topic = posting.create_topic(alice, boards["owners"], title="地库照明", source="B2 很暗")
    posting.reply(bob, topic, source="同感")
    return topic


def test_a_kept_copy_is_answered_without_loading_the_posts(topic, alice, bob):
    signed_in(alice).get(topic.get_absolute_url())  # kept for verified owners
    with CaptureQueriesContext(connection) as queries:
        page = signed_in(bob).get(topic.get_absolute_url()).content.decode()
    assert "B2 很暗" in page and "同感" in page
    sql = " ".join(query["sql"] for query in queries)
    assert 'FROM "forum_post"' not in sql and 'FROM "forum_topic"' not in sql
    assert "<!--reader:" not in page


def test_each_reader_gets_their_own_buttons_and_token(topic, alice, bob):
    signed_in(alice).get(topic.get_absolute_url())
    reader = signed_in(bob, enforce_csrf_checks=True)
    page = reader.get(topic.get_absolute_url()).content.decode()
    first, reply = topic.posts.order_by("position")
    # Bob may like and report Alice's post, and edit his own reply; not the other way round.
    assert reverse("forum:like", args=[first.pk]) in page
    assert reverse("forum:edit", args=[reply.pk]) in page
    assert reverse("forum:edit", args=[first.pk]) not in page
    # The token in the copy is Bob's own: his like goes through.
    like = reader.post(
        reverse("forum:like", args=[first.pk]), {"csrfmiddlewaretoken": token_in(page)}
    )
    assert like.status_code == 302
    assert Reaction.objects.filter(user=bob, post=first).exists()


def test_follow_and_read_marker_are_each_readers_own(topic, alice, bob, boards):
    assert Subscription.objects.filter(user=bob, topic=topic).exists()  # he replied
    signed_in(alice).get(topic.get_absolute_url())
    bob_page = signed_in(bob).get(topic.get_absolute_url()).content.decode()
    assert "取消关注" in bob_page
    carol = signed_in(verified("carol"))
    assert "取消关注" not in carol.get(topic.get_absolute_url()).content.decode()
    # Carol has read both posts; a third one makes the copy new and shows her the way to it.
    posting.reply(bob, topic, source="物业已回复")
    signed_in(alice).get(topic.get_absolute_url())
    assert "跳到第一条未读" in carol.get(topic.get_absolute_url()).content.decode()


def test_only_the_author_sees_the_case_made_of_the_topic(topic, alice, bob, staff):
    case = case_from_topic(topic, staff("Customer service"))
    signed_in(bob).get(topic.get_absolute_url())  # kept for verified owners, without a case
    assert case.reference in signed_in(alice).get(topic.get_absolute_url()).content.decode()
    assert case.reference not in signed_in(bob).get(topic.get_absolute_url()).content.decode()


def test_owners_who_may_not_reply_get_a_copy_of_their_own(topic, alice, owner):
    signed_in(alice).get(topic.get_absolute_url())
    assert 'id="reply"' in signed_in(alice).get(topic.get_absolute_url()).content.decode()
    for _ in range(2):
        page = signed_in(owner).get(topic.get_absolute_url()).content.decode()
        assert 'id="reply"' not in page and "B2 很暗" in page


def test_a_readers_likes_follow_and_read_marker_come_from_one_query(topic, alice, bob):
    """What is the reader's own on a kept copy (the posts they liked, whether they follow the
    topic, how far they had read) is one query, beside the account's."""
    first, reply = topic.posts.order_by("position")
    posting.like(bob, first)
    reader = signed_in(bob)
    reader.get(topic.get_absolute_url())  # kept, and Bob's marker is at the last post
    with CaptureQueriesContext(connection) as queries:
        page = reader.get(topic.get_absolute_url()).content.decode()
    # The account, and the reader's rows (a session kept in the database is read too).
    account, rows = (query["sql"] for query in queries if "django_session" not in query["sql"])
    assert 'FROM "owners_user"' in account
    assert 'FROM "forum_readstate"' in rows and 'FROM "forum_reaction"' in rows
    assert 'aria-pressed="true"' in page and page.count('aria-pressed="true"') == 1
    assert "取消关注" in page and "跳到第一条未读" not in page


@override_settings(SESSION_ENGINE="portal.sessions")
def test_a_kept_copy_reads_the_shared_cache_twice(topic, alice, bob, monkeypatch):
    """A signed-in reader's kept page reads the shared cache in two round trips: the session
    with the privacy policy, then the copy and its version with the reader's unread count
    (portal.memo's read-ahead), not one each."""
    Notification.objects.create(recipient=bob, kind="reply", text="停水通知", url="/")
    reader = signed_in(bob)
    reader.get(topic.get_absolute_url())
    reads = count_reads(monkeypatch)
    page = reader.get(topic.get_absolute_url()).content.decode()
    assert [name for name, _keys in reads] == ["get_many", "get_many"]
    session, copy = (list(keys) for _name, keys in reads)
    assert session[0].endswith(reader.session.session_key) and "privacy-policy" in session
    assert f"notifications:unread:{bob.pk}" in copy and FORUM.key in copy
    assert 'class="nav-count"' in page  # the count read ahead is the one shown
