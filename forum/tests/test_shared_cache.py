"""Anonymous visitors get the board list, topic lists and topics from the shared page cache;
every forum write shows to them at once, and nothing a signed-in reader sees is kept."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from forum import moderation, posting
from forum.models import Post, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(alice, boards):
    return posting.create_topic(alice, boards["owners"], title="装修推荐", source="求推荐师傅")


def addresses(topic):
    return [
        reverse("forum:index"),
        reverse("forum:board", args=[topic.board.slug]),
        reverse("forum:topic", args=[topic.pk]),
    ]


def test_forum_pages_are_answered_with_no_query_and_no_session(topic, django_assert_num_queries):
    visitor = Client()
    for url in addresses(topic):
        first = visitor.get(url)
        with django_assert_num_queries(0):
            hit = visitor.get(url)
        assert hit.status_code == 200 and hit.content == first.content
    assert not visitor.cookies and Session.objects.count() == 0


def test_a_reply_shows_at_once(topic, bob):
    visitor = Client()
    before = {url: visitor.get(url).content for url in addresses(topic)}
    posting.reply(bob, topic, source="推荐王师傅")
    assert "推荐王师傅" in visitor.get(reverse("forum:topic", args=[topic.pk])).content.decode()
    # The lists' counts and latest post too.
    for url in addresses(topic):
        assert visitor.get(url).content != before[url]


def test_a_hidden_post_and_a_hidden_topic_disappear_at_once(topic, bob, moderator):
    visitor = Client()
    url = reverse("forum:topic", args=[topic.pk])
    reply = posting.reply(bob, topic, source="推荐王师傅")
    assert "推荐王师傅" in visitor.get(url).content.decode()
    moderation.hide_post(reply, moderator, "广告")
    assert "推荐王师傅" not in visitor.get(url).content.decode()
    board_url = reverse("forum:board", args=[topic.board.slug])
    assert "装修推荐" in visitor.get(board_url).content.decode()
    moderation.hide_topic(Topic.objects.get(pk=topic.pk), moderator, "重复")
    assert "装修推荐" not in visitor.get(board_url).content.decode()
    assert visitor.get(url).status_code == 404


def test_a_deleted_post_and_a_like_show_at_once(topic, alice, bob):
    visitor = Client()
    url = reverse("forum:topic", args=[topic.pk])
    reply = posting.reply(bob, topic, source="推荐王师傅")
    visitor.get(url)
    posting.like(alice, reply)
    assert Post.objects.get(pk=reply.pk).like_count == 1
    liked = visitor.get(url).content.decode()
    posting.unlike(alice, reply)
    assert visitor.get(url).content.decode() != liked
    posting.delete_own_post(Post.objects.get(pk=reply.pk), bob)
    assert "推荐王师傅" not in visitor.get(url).content.decode()


def test_signed_in_readers_are_never_answered_nor_kept(client, topic, bob):
    visitor = Client()
    url = reverse("forum:topic", args=[topic.pk])
    visitor.get(url)
    client.force_login(bob)
    assert "回复" in client.get(url).content.decode()
    # Bob's page (with his reply form) is his; the visitors' copy stays theirs.
    page = visitor.get(url).content.decode()
    assert bob.display_name not in page


def test_a_members_board_is_never_kept(client, boards, alice):
    members_topic = posting.create_topic(
        alice, boards["members"], title="业主专区", source="仅认证"
    )
    url = reverse("forum:topic", args=[members_topic.pk])
    client.force_login(alice)
    assert client.get(url).status_code == 200
    visitor = Client()
    assert visitor.get(url).status_code == 302
    assert visitor.get(url).status_code == 302


def test_a_new_name_shows_at_once(topic, alice):
    visitor = Client()
    url = reverse("forum:topic", args=[topic.pk])
    before = visitor.get(url).content.decode()
    alice.nickname = "装修达人"
    alice.save()
    after = visitor.get(url).content.decode()
    assert "装修达人" in after and after != before
